package handlers

// Where a public opinion comes from (a site's poster or kiosk) and to whom it is written (a
// mailbox), as the opinion form resolves and shows them.

import (
	"errors"
	"html/template"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// origin is where a public opinion came from and where it is addressed, resolved from the
// form's hidden site and mailbox codes.
type origin struct {
	Site    storage.Site    // zero when the person did not come from a registered site
	Mailbox storage.Mailbox // zero when not written to a mailbox
	Kiosk   bool            // typed on the site's lobby kiosk (/kiosk/CODE), not on a phone
}

// channel is kiosk for an opinion typed on a lobby kiosk, qr for one sent from a site's
// poster, otherwise web.
func (o origin) channel() string {
	switch {
	case o.Kiosk:
		return "kiosk"
	case o.Site.Code != "":
		return "qr"
	}
	return "web"
}

// resolveOrigin looks the form's site and mailbox up. A site that is unknown or retired is
// dropped (the person never typed it, and the opinion is still welcome); a mailbox that cannot
// take letters is reported, because the person chose who would read their words.
func (s *Server) resolveOrigin(c echo.Context, f *submitForm) (origin, locale.Fields, error) {
	var o origin
	ctx := c.Request().Context()
	if f.Site != "" {
		st, err := s.store.ActiveSite(ctx, f.Site)
		switch {
		case err == nil:
			o.Site = st
		case errors.Is(err, storage.ErrNotFound):
			f.Site = ""
		default:
			return o, nil, err
		}
	}
	if f.Mailbox != "" {
		m, err := s.store.ActiveMailbox(ctx, f.Mailbox)
		switch {
		case err == nil:
			o.Mailbox = m
		case errors.Is(err, storage.ErrNotFound):
			// Dropped, and said: a second press of 提交 sends it as an ordinary opinion.
			f.Mailbox = ""
			return o, locale.Fields{"mailbox": locale.M("submit.mailbox_closed")}, nil
		default:
			return o, nil, err
		}
	}
	return o, nil, nil
}

// maxSite is the length of a site name (which box or place), in characters.
const maxSite = 50

// cleanSite keeps a site name from a link only when it is short, valid text; a bad one is
// dropped rather than refused, since the person never typed it.
func cleanSite(site string) string {
	site = strings.TrimSpace(site)
	if textProblem(site, 0, maxSite).Key != "" {
		return ""
	}
	return site
}

// describeOrigin says, in p's language, where the person is (您在：site（unit）) and to whom
// they write (写给：mailbox。who reads it), for the top of the form.
func describeOrigin(p *locale.Printer, o origin) (where string, addressee template.HTML) {
	switch {
	case o.Site.Name == "":
	case o.Site.UnitName != "":
		where = p.T("submit.at_site_unit", o.Site.Name, o.Site.UnitName)
	default:
		where = p.T("submit.at_site", o.Site.Name)
	}
	if o.Mailbox.Code != "" {
		addressee = htmlMessage(p, "submit.to_mailbox", htmlPieces{
			"mailbox": "<strong>" + escaped(o.Mailbox.Name) + "</strong>", "readers": escaped(readersIn(p, o.Mailbox))})
	}
	return where, addressee
}
