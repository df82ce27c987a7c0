package handlers

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/qrimg"
	"minsheng/storage"
	"minsheng/vocab"
)

// paperChannel is the channel of a paper slip (征求意见表) typed in. Until the code is in
// vocab.Channels (migration 0041 of #16's channels), slips come in as a box's (意见箱).
func paperChannel() string {
	if vocab.Transcribed("paper") {
		return "paper"
	}
	return "box"
}

// paperLines is how many ruled lines the slip leaves for the opinion: as many as fit on A4
// beside the rest (the print test checks it is one page).
const paperLines = 12

// paperFormsPage is the data of templates/pages/paper_forms.html.
type paperFormsPage struct {
	Units []storage.Unit
	Sites []storage.SiteSummary // active sites of those units
}

// paperFormPage is the data of templates/pages/paper_form.html: one A4 slip, for a unit or a
// site, in the reader's language.
type paperFormPage struct {
	Unit       string // the unit's name, with the site's department
	Place      string // the site's name and where it hangs; "" for a unit's form
	SiteCode   string
	URL        string // what the QR code holds: the site's short URL, or the form for the unit
	QR         template.HTML
	Types      []vocab.Term
	Submitters []vocab.Term
	Lines      []int
	Transcribe string // the transcription form with the channel, unit and site chosen
	Address    printedAddress
}

// showPaperForms handles GET /admin/paper: the units and sites the reader may print a paper
// form for (a liaison: their own unit's).
func (s *Server) showPaperForms(c echo.Context) error {
	units, err := s.transcribeUnits(c, viewer(c))
	if err != nil {
		return err
	}
	sites, err := s.store.Sites(c.Request().Context())
	if err != nil {
		return err
	}
	page := paperFormsPage{Units: units}
	for _, st := range sites {
		if st.Active && unitListed(units, st.UnitCode) {
			page.Sites = append(page.Sites, st)
		}
	}
	return s.render(c, http.StatusOK, "paper_forms", page)
}

// showUnitPaperForm handles GET /admin/paper/unit/{code}: a unit's paper form, whose QR code
// opens the web form with the unit chosen.
func (s *Server) showUnitPaperForm(c echo.Context) error {
	units, err := s.transcribeUnits(c, viewer(c))
	if err != nil {
		return err
	}
	code := c.Param("code")
	for _, u := range units {
		if u.Code == code {
			q := url.Values{"channel": {paperChannel()}, "unit": {code}, "batch": {"1"}}
			return s.renderPaperForm(c, paperFormPage{Unit: u.Name,
				URL: s.publicBase(c) + "/submit?unit=" + url.QueryEscape(code), Transcribe: transcribePath + "?" + q.Encode()})
		}
	}
	return echo.ErrNotFound
}

// showSitePaperForm handles GET /admin/paper/site/{code}: a registered site's paper form, whose
// QR code holds the same short URL as the site's poster; the link to transcription fills the site.
func (s *Server) showSitePaperForm(c echo.Context) error {
	st, err := s.store.Site(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	if !viewer(c).CanTranscribeFor(st.UnitCode) {
		return echo.ErrNotFound
	}
	page := paperFormPage{Unit: st.UnitName, Place: st.Name, SiteCode: st.Code, URL: s.shortURL(c, st.Code, locale.Default)}
	if st.Dept != "" {
		page.Unit += " · " + st.Dept
	}
	if place := st.Place(); place != "" {
		page.Place += " · " + place
	}
	q := url.Values{"channel": {paperChannel()}, "unit": {st.UnitCode}, "site": {st.Name}, "batch": {"1"}}
	page.Transcribe = transcribePath + "?" + q.Encode()
	return s.renderPaperForm(c, page)
}

// renderPaperForm draws the QR code and shows the slip; when the address is one people outside
// cannot open, the page says so instead of printing a code that leads nowhere.
func (s *Server) renderPaperForm(c echo.Context, page paperFormPage) error {
	p := s.printer(c)
	page.Types, page.Submitters = vocab.Types, vocab.Submitters
	for i := range paperLines {
		page.Lines = append(page.Lines, i)
	}
	page.Address = s.printedAddressFor(c, p.T("paper16.paper.unprintable"))
	if page.Address.Problem == "" {
		qr, err := qrimg.SVG(page.URL, "34mm", p.T("paper16.paper.qr_label", page.URL))
		if err != nil {
			return err
		}
		page.QR = template.HTML(qr) // only numbers and escaped attributes (see qrimg.SVG)
	}
	return s.render(c, http.StatusOK, "paper_form", page)
}
