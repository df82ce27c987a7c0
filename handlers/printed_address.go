package handlers

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// printedAddress is the portal's address as printed on what people take away (posters, QR
// codes, 评议码 slips), and why people outside could not open it, if they could not.
type printedAddress struct {
	What    string // what cannot be done, for the warning: 这张海报现在不能打印。
	Base    string // the address: -public-url, or the one this page was opened on
	Problem string // "" when the public can open Base; else what kind of address it is
	// FromRequest: no -public-url is set, so Base is the address this page was opened on.
	FromRequest bool
}

// printedAddressFor checks the address that what would carry.
func (s *Server) printedAddressFor(c echo.Context, what string) printedAddress {
	base := s.publicBase(c)
	return printedAddress{What: what, Base: base, Problem: addressProblem(base), FromRequest: s.publicURL == ""}
}

// cgnat is the carriers' shared address space (RFC 6598): not reachable from the internet.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// addressProblem says in plain words why people outside the building cannot open base, or ""
// when they can: a loopback address, a private or link-local one, or a host name that only a
// local network knows (no dot, .local, .lan, .internal…). Nothing is looked up: the check
// must not depend on, or leak to, a name server.
func addressProblem(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "一个不完整的网址"
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		switch {
		case ip.IsLoopback() || ip.IsUnspecified():
			return "这台电脑自己的地址（只有这台电脑能打开）"
		case ip.IsPrivate() || ip.IsLinkLocalUnicast() || cgnat.Contains(ip):
			return "单位内部网络的地址（只有连着单位网络的电脑和手机能打开）"
		}
		return ""
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "这台电脑自己的地址（只有这台电脑能打开）"
	}
	if !strings.Contains(host, ".") {
		return "只有单位内部网络认得的名字（外面的手机打不开）"
	}
	for _, local := range []string{".local", ".lan", ".internal", ".intranet", ".corp", ".home.arpa", ".test", ".invalid"} {
		if strings.HasSuffix(host, local) {
			return "只有单位内部网络认得的名字（外面的手机打不开）"
		}
	}
	return ""
}

// refuseUnprintable answers a download that would carry an address people outside cannot open
// (a poster or QR code file) with the explanation instead: 409, as the request is fine but
// the portal's setting is not.
func (s *Server) refuseUnprintable(c echo.Context, a printedAddress) error {
	return s.render(c, http.StatusConflict, "error", errorPage{"现在不能打印",
		a.What + "网址 " + a.Base + " 是" + a.Problem + "，群众用自己的手机打不开。请找单位信息科（负责电脑和网络的同事）要民声平台对外的网址，" +
			"请他们启动民声时加上 -public-url 对外网址（或设置环境变量 MINSHENG_PUBLIC_URL），设置好后再下载。"})
}
