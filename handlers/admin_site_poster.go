package handlers

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/qrimg"
	"minsheng/storage"
)

// posterQRPixels is the side of the downloadable QR PNG: 10 cm at 300 dpi is about 1200 px,
// enough for a print shop.
const posterQRPixels = 1200

// sitePosterPage is the data of templates/pages/site_poster.html. The page speaks the
// administrator's language; the poster on it speaks Lang, the language chosen for the people
// who will read it (?lang=, the default language when none is chosen).
type sitePosterPage struct {
	Site  storage.Site
	Lang  string // the poster's language and its script's direction, for its lang and dir
	Dir   string
	Where string // the unit and department
	Place string // the site's name and where it hangs
	URL   string // the short URL the QR code holds, in the poster's language
	QR    template.HTML
	// What every poster says, on the page and in the SVG alike, in the poster's language. The
	// 举报 line is split in two where a reader pauses; SVG text does not wrap by itself.
	Headline string
	Promise  [2]string
	Report   [2]string
	Foot     string // the portal's name and the site's code
	QRLabel  string // the QR code's accessible name
	Label    string // the poster's accessible name
	// Languages offers the poster in each language; Query carries the chosen one to the
	// downloads ("" for the default language).
	Languages []languageLink
	Query     string
	// Address is the portal's address the short URL starts with; a poster is only printed
	// when people outside can open it.
	Address printedAddress
}

// posterLanguage is the language a poster is asked for in (?lang=en): one of the languages
// offered to readers, else the default.
func posterLanguage(c echo.Context) string {
	if lang := c.QueryParam("lang"); slices.Contains(locale.Languages, lang) {
		return lang
	}
	return locale.Default
}

// shortURL is what a site's poster prints and its QR code holds: in a language other than the
// default it carries the language's prefix (/en/q/CODE), so that a person who scans an English
// poster lands on the English form.
func (s *Server) shortURL(c echo.Context, code, lang string) string {
	return s.publicBase(c) + langPrefix(lang) + "/q/" + code
}

// posterOf loads the site (retired ones too) and what its poster says in the language asked for.
func (s *Server) posterOf(c echo.Context) (sitePosterPage, error) {
	st, err := s.store.Site(c.Request().Context(), c.Param("code"))
	if err != nil {
		return sitePosterPage{}, err
	}
	if !viewer(c).OwnsInBranch(st.UnitCode) {
		return sitePosterPage{}, errOutsideBranch
	}
	lang := posterLanguage(c)
	pp := locale.Get(lang)
	short := s.shortURL(c, st.Code, lang)
	p := sitePosterPage{Site: st, Lang: lang, Dir: pp.Dir(), Where: st.UnitName, Place: st.Name, URL: short,
		Headline: pp.T("poster.headline"),
		Promise:  [2]string{pp.T("poster.promise_anonymous"), pp.T("poster.promise_code")},
		Report:   [2]string{pp.T("poster.report_what"), pp.T("poster.report_how")},
		Foot:     pp.T("poster.foot", st.Code), QRLabel: pp.T("poster.qr_label", short), Label: pp.T("poster.a4"),
		Address: s.printedAddressFor(c, s.printer(c).T("poster.unprintable"))}
	if lang != locale.Default {
		p.Query = "?lang=" + lang
	}
	for _, l := range locale.Languages {
		href := "/admin/sites/" + st.Code + "/poster"
		if l != locale.Default {
			href += "?lang=" + l
		}
		p.Languages = append(p.Languages, languageLink{Lang: l, Name: locale.Get(l).Name(), Href: href, Current: l == lang})
	}
	if st.Dept != "" {
		p.Where += " · " + st.Dept
	}
	if place := st.Place(); place != "" {
		p.Place = pp.T("poster.place", p.Place, place)
	}
	return p, nil
}

// showSitePoster handles GET /admin/sites/{code}/poster (?lang= the poster's language): the A4
// poster, printed from the browser (static/style.css hides everything else when printing).
// When the address is one people outside cannot open, the page explains what to ask for
// instead of showing a poster.
func (s *Server) showSitePoster(c echo.Context) error {
	p, err := s.posterOf(c)
	if err != nil {
		return err
	}
	if p.Address.Problem != "" {
		return s.render(c, http.StatusOK, "site_poster", p)
	}
	qr, err := qrimg.SVG(p.URL, "120mm", p.QRLabel)
	if err != nil {
		return err
	}
	p.QR = template.HTML(qr) // only numbers and escaped attributes (see qrimg.SVG)
	return s.render(c, http.StatusOK, "site_poster", p)
}

// downloadSitePosterSVG handles GET /admin/sites/{code}/poster.svg (?lang= as the poster page):
// the whole poster as one A4 SVG, for a print shop or to edit.
func (s *Server) downloadSitePosterSVG(c echo.Context) error {
	p, err := s.posterOf(c)
	if err != nil {
		return err
	}
	if p.Address.Problem != "" {
		return s.refuseUnprintable(c, p.Address)
	}
	svg, err := posterSVG(p)
	if err != nil {
		return err
	}
	name := p.Site.Code + langSuffix(p.Lang)
	siteDownload(c, "minsheng-poster-"+name+".svg", s.printer(c).T("poster.svg_file", name))
	return c.Blob(http.StatusOK, "image/svg+xml; charset=utf-8", []byte(svg))
}

// downloadSiteQR handles GET /admin/sites/{code}/qr.png (?lang= as the poster page): the QR
// code alone, for people's own materials.
func (s *Server) downloadSiteQR(c echo.Context) error {
	st, err := s.store.Site(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	if !viewer(c).OwnsInBranch(st.UnitCode) {
		return errOutsideBranch
	}
	p := s.printer(c)
	if a := s.printedAddressFor(c, p.T("poster.qr_unprintable")); a.Problem != "" {
		return s.refuseUnprintable(c, a)
	}
	lang := posterLanguage(c)
	png, err := qrimg.PNG(s.shortURL(c, st.Code, lang), posterQRPixels)
	if err != nil {
		return err
	}
	name := st.Code + langSuffix(lang)
	siteDownload(c, "minsheng-qr-"+name+".png", p.T("poster.qr_file", name))
	return c.Blob(http.StatusOK, "image/png", png)
}

// langSuffix tells a download in another language than the default by its name: "-en".
func langSuffix(lang string) string {
	if lang == locale.Default {
		return ""
	}
	return "-" + lang
}

// siteDownload makes the response a download named name: ascii for old clients, and the
// name in the reader's language as RFC 5987 filename* for the rest.
func siteDownload(c echo.Context, ascii, name string) {
	c.Response().Header().Set("Content-Disposition",
		`attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
}

// posterFonts are fonts that hold Chinese on Windows, macOS, Linux and phones, in that spirit
// of preference; the SVG names them because it may be opened anywhere.
const posterFonts = `'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', SimHei, sans-serif`

// posterWidth is what text may fill on the SVG poster, in mm: A4 less 15 mm each side.
const posterWidth = 180

// posterSVG draws the poster as one A4 document in millimetres (viewBox 210 × 297): text as
// <text> elements, the QR code as a nested <svg>.
func posterSVG(p sitePosterPage) (string, error) {
	const qrSize, qrTop = 120, 62
	qr, err := qrimg.SVG(p.URL, fmt.Sprint(qrSize), p.QRLabel)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="%s" text-anchor="middle" xml:lang="%s" direction="%s">`+"\n", posterFonts, p.Lang, p.Dir)
	fmt.Fprintf(&b, "<title>%s</title>\n", xmlText(p.Headline+" · "+p.Place))
	b.WriteString(`<rect width="210" height="297" fill="#fff"/>` + "\n")
	line := func(y, size float64, weight, fill, font, text string) {
		size = fitSize(text, size, font != "")
		attrs := ""
		if font != "" {
			attrs = ` font-family="` + font + `"`
		}
		fmt.Fprintf(&b, `<text x="105" y="%.1f" font-size="%.2f" font-weight="%s" fill="%s"%s>%s</text>`+"\n",
			y, size, weight, fill, attrs, xmlText(text))
	}
	line(32, 12, "700", "#000", "", p.Headline)
	line(46, 7.5, "700", "#000", "", p.Where)
	line(55, 5.5, "400", "#333", "", p.Place)
	fmt.Fprintf(&b, `<g transform="translate(%d %d)">%s</g>`+"\n", (210-qrSize)/2, qrTop, qr)
	line(qrTop+qrSize+12, 8, "700", "#000", "Consolas, Menlo, 'DejaVu Sans Mono', monospace", p.URL)
	line(218, 7, "400", "#000", "", p.Promise[0])
	line(229, 7, "400", "#000", "", p.Promise[1])
	b.WriteString(`<rect x="15" y="240" width="180" height="24" rx="3" fill="none" stroke="#b42318" stroke-width="0.6"/>` + "\n")
	line(250, 5.8, "400", "#b42318", "", p.Report[0])
	line(259, 5.8, "400", "#b42318", "", p.Report[1])
	line(285, 4, "400", "#555", "", p.Foot)
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// fitSize shrinks a font size until text fits posterWidth: a CJK character is about 1 em wide,
// other characters about 0.6 em in a monospace font and less in others.
func fitSize(text string, size float64, mono bool) float64 {
	var em float64
	for _, r := range text {
		switch {
		case r >= 0x2E80:
			em++
		case mono:
			em += 0.6
		default:
			em += 0.55
		}
	}
	if em > 0 && em*size > posterWidth {
		size = posterWidth / em
	}
	return size
}

// xmlText escapes text for XML character data, dropping what XML cannot hold.
func xmlText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return template.HTMLEscapeString(s)
}
