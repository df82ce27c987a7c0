package handlers

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/sifeng"
	"minsheng/suggest"
)

// modelPage is the data of templates/pages/model.html: how the suggestion model in use
// measures on items it never saw, what it learnt from, and the models kept before it.
type modelPage struct {
	Info     suggest.Info
	Starting bool // the model the portal ships with: nothing learnt from this office yet
	Styles   []labelFigures
	Others   []labelFigures
	Kept     []keptModel
	Done     string // "switched" or "kept" after a retraining
	CanTrain bool
	// QuietPercent is the share of held-out opinions with no style that got no style
	// suggested, in per cent.
	QuietPercent float64
}

// labelFigures is one label's line of the figures table.
type labelFigures struct {
	Label                 string
	Precision, Recall     float64
	Found, Items, Flagged int
}

// keptModel is one line of the list of trained models.
type keptModel struct {
	TrainedAt        time.Time
	Active           bool
	Examples, Office int
	MicroF1, Quiet   float64
	HeldoutItems     int
}

// showModel handles GET /admin/model.
func (s *Server) showModel(c echo.Context) error {
	m := s.learner.Model()
	page := modelPage{Info: m.Info, Starting: m.Info.TrainedAt.IsZero(), Done: c.QueryParam("done"),
		CanTrain: viewer(c).Can(access.Administer), QuietPercent: 100 * m.Info.Heldout.QuietShare()}
	t, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	for _, l := range m.Info.Heldout.Labels {
		f := labelFigures{Precision: l.Precision(), Recall: l.Recall(), Found: l.TP, Items: l.TP + l.FN, Flagged: l.TP + l.FP}
		if l.Kind == suggest.KindStyle {
			f.Label = sifeng.LabelIn(p, l.Code)
			page.Styles = append(page.Styles, f)
		} else if f.Items > 0 {
			f.Label = t.Label(l.Code)
			page.Others = append(page.Others, f)
		}
	}
	stored, err := s.store.Models(c.Request().Context())
	if err != nil {
		return err
	}
	for _, sm := range stored {
		var info suggest.Info
		if json.Unmarshal([]byte(sm.Info), &info) != nil {
			continue
		}
		page.Kept = append(page.Kept, keptModel{TrainedAt: info.TrainedAt, Active: sm.Active, Examples: info.Examples,
			Office: info.FromOffice, MicroF1: info.Heldout.StylesMicroF1, Quiet: info.Heldout.QuietShare(),
			HeldoutItems: info.Heldout.Examples})
	}
	return s.render(c, http.StatusOK, "model", page)
}

// retrainModel handles POST /admin/model/retrain: learn from the office's decisions now, as
// the schedule would, and switch only if the new model measures at least as well; the
// near-duplicate look-up learns from the office's grouping decisions too.
func (s *Server) retrainModel(c echo.Context) error {
	if _, err := s.store.LearnNearDuplicates(c.Request().Context()); err != nil {
		return err
	}
	out, err := s.learner.Retrain(c.Request().Context(), time.Now())
	if err != nil {
		return err
	}
	done := "kept"
	if out.Switched {
		done = "switched"
	}
	return c.Redirect(http.StatusSeeOther, "/admin/model?done="+done)
}
