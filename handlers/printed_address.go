package handlers

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
)

// printedAddress is the portal's address as printed on what people take away (posters, QR
// codes, 评议码 slips), and why people outside could not open it, if they could not.
type printedAddress struct {
	What    string // what cannot be done, in the reader's language: 这张海报现在不能打印。
	Base    string // the address: -public-url, or the one this page was opened on
	Problem string // "" when the public can open Base; else what kind of address it is, in words
	// FromRequest: no -public-url is set, so Base is the address this page was opened on.
	FromRequest bool
}

// printedAddressFor checks the address that what would carry; what is already in the reader's
// language.
func (s *Server) printedAddressFor(c echo.Context, what string) printedAddress {
	base := s.publicBase(c)
	a := printedAddress{What: what, Base: base, FromRequest: s.publicURL == ""}
	if key := addressProblem(base); key != "" {
		a.Problem = s.printer(c).T(key)
	}
	return a
}

// cgnat is the carriers' shared address space (RFC 6598): not reachable from the internet.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// addressProblem names (by its catalog key) why people outside the building cannot open base,
// or is "" when they can: a loopback address, a private or link-local one, or a host name that only a
// local network knows (no dot, .local, .lan, .internal…). Nothing is looked up: the check
// must not depend on, or leak to, a name server.
func addressProblem(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "address.incomplete"
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		switch {
		case ip.IsLoopback() || ip.IsUnspecified():
			return "address.loopback"
		case ip.IsPrivate() || ip.IsLinkLocalUnicast() || cgnat.Contains(ip):
			return "address.private"
		}
		return ""
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "address.loopback"
	}
	if !strings.Contains(host, ".") {
		return "address.local_name"
	}
	for _, local := range []string{".local", ".lan", ".internal", ".intranet", ".corp", ".home.arpa", ".test", ".invalid"} {
		if strings.HasSuffix(host, local) {
			return "address.local_name"
		}
	}
	return ""
}

// refuseUnprintable answers a download that would carry an address people outside cannot open
// (a poster or QR code file) with the explanation instead: 409, as the request is fine but
// the portal's setting is not.
func (s *Server) refuseUnprintable(c echo.Context, a printedAddress) error {
	p := s.printer(c)
	return s.render(c, http.StatusConflict, "error", errorPage{p.T("address.refused_title"),
		p.T("address.refused", locale.Args{"what": a.What, "base": a.Base, "problem": a.Problem})})
}
