package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/storage"
)

// directoryPage is the data of templates/pages/directory.html.
type directoryPage struct {
	Contacts storage.Contacts
	// Tel are the numbers as a phone dials them (tel: links), by field.
	ComplaintTel, ReportTel, SupervisionTel string
	Sites                                   []storage.PublicSite
	Units                                   []directoryUnit // units that publish something
}

// directoryUnit is one unit's entry on the public page.
type directoryUnit struct {
	storage.UnitDirectory
	Tel string
}

// dialable is a published number as a tel: link holds it: digits and a leading + only.
func dialable(phone string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, phone)
}

// showDirectory handles GET /qudao: how to reach the bureau (the complaint, 举报 and supervision
// numbers, the e-mail address), where the boxes are, each unit's liaison post and its service
// commitments. Nothing on it is about a person: posts, not names, as the administrators wrote.
func (s *Server) showDirectory(c echo.Context) error {
	ctx := c.Request().Context()
	ct, err := s.store.DirectoryContacts(ctx)
	if err != nil {
		return err
	}
	sites, err := s.store.PublicSites(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.UnitDirectories(ctx)
	if err != nil {
		return err
	}
	page := directoryPage{Contacts: ct, ComplaintTel: dialable(ct.ComplaintPhone), ReportTel: dialable(ct.ReportPhone),
		SupervisionTel: dialable(ct.SupervisionPhone), Sites: sites}
	for _, u := range units {
		if !u.Empty() {
			page.Units = append(page.Units, directoryUnit{UnitDirectory: u, Tel: dialable(u.LiaisonPhone)})
		}
	}
	return s.render(c, http.StatusOK, "directory", page)
}
