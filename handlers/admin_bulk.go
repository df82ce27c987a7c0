package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
)

// maxBulk is the most opinions one bulk action may name. A queue page shows 50, so only a
// hand-made request comes near it.
const maxBulk = 200

// bulkChoices are the bulk actions the queue offers a role.
type bulkChoices struct {
	CanTag    bool
	Moves     []lifecycle.Status // statuses some opinion can reach with nothing to write
	CanAssign bool               // 交办, with the step's fields given once for all
}

// Any reports whether the role has any bulk action, so the queue shows tick boxes.
func (b bulkChoices) Any() bool { return b.CanTag || len(b.Moves) > 0 || b.CanAssign }

// bulkChoicesFor lists what v may do in bulk. A move is offered when v may make it from some
// status and the step needs nothing written (已分类, 回头看, 满意度回访, 销号 after the visit);
// steps that need a reason or an account are done one by one on the item page.
func bulkChoicesFor(v access.Viewer, today string) bulkChoices {
	b := bulkChoices{CanTag: v.Can(access.Tag), CanAssign: v.CanMove(lifecycle.Triaged, lifecycle.Assigned)}
	for _, to := range lifecycle.Statuses {
		for _, from := range lifecycle.Statuses {
			if v.CanMove(from.Code, to.Code) && len(lifecycle.Step{To: to.Code}.Problems(from.Code, today)) == 0 {
				b.Moves = append(b.Moves, to)
				break
			}
		}
	}
	return b
}

// bulkSkips are the reasons an opinion was left as it was, in the order the outcome names
// them, each with its words (a plural message: "{n} 条…"). An opinion the person may not see
// is "gone", exactly like one that does not exist.
var bulkSkips = []struct{ key, message string }{
	{"gone", "bulk.skip_gone"},
	{"state", "bulk.skip_state"},
	{"role", "bulk.skip_role"},
	{"fields", "bulk.skip_fields"},
	{"visit", "bulk.skip_visit"},
	{"same", "bulk.skip_same"},
	{"left", "bulk.skip_left"},
}

// bulkTally is what one bulk action did. It travels to the queue in the redirect as counts
// and codes only (?bulk=status&what=triaged&done=3&skip_state=1): nothing from an opinion.
type bulkTally struct {
	action, what string
	done         int
	skipped      map[string]int
}

func (t bulkTally) query() url.Values {
	q := url.Values{"bulk": {t.action}, "done": {strconv.Itoa(t.done)}}
	if t.what != "" {
		q.Set("what", t.what)
	}
	for k, n := range t.skipped {
		if n > 0 {
			q.Set("skip_"+k, strconv.Itoa(n))
		}
	}
	return q
}

// bulkOutcome reads a bulk action's outcome from the queue's URL, in words of p's language:
// "3 条已改为“已分类”；1 条当前状态不能这样改。" It reports whether anything changed; "" when
// the URL holds no (valid) outcome. tax names a tag added.
func bulkOutcome(p *locale.Printer, q url.Values, tax taxonomy) (string, bool) {
	what := q.Get("what")
	var did func(n int) string
	switch q.Get("bulk") {
	case "tag":
		if !sifeng.Valid(what) {
			return "", false
		}
		did = func(n int) string { return p.Plural("bulk.done_tag", n, sifeng.LabelIn(p, what)) }
	case "subtag":
		if _, ok := tax.byCode[what]; !ok {
			return "", false
		}
		did = func(n int) string { return p.Plural("queue_tags.done_tag", n, tax.Label(what)) }
	case "status":
		if !lifecycle.Valid(what) {
			return "", false
		}
		did = func(n int) string { return p.Plural("bulk.done_status", n, lifecycle.LabelIn(p, what)) }
	case "assign":
		did = func(n int) string { return p.Plural("bulk.done_assign", n) }
	default:
		return "", false
	}
	count := func(key string) int {
		n, err := strconv.Atoi(q.Get(key))
		if err != nil || n < 0 || n > maxBulk {
			return 0
		}
		return n
	}
	done := count("done")
	parts := []string{p.T("bulk.none")}
	if done > 0 {
		parts[0] = did(done)
	}
	for _, sk := range bulkSkips {
		if n := count("skip_" + sk.key); n > 0 {
			parts = append(parts, p.Plural(sk.message, n))
		}
	}
	return p.T("bulk.outcome", strings.Join(parts, p.T("bulk.separator"))), done > 0
}

// bulkIDs returns the ticked ids without blanks or repeats, in order; false for more than
// maxBulk.
func bulkIDs(raw []string) ([]string, bool) {
	if len(raw) > maxBulk {
		return nil, false
	}
	seen := map[string]bool{}
	var ids []string
	for _, id := range raw {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, true
}

// bulkQueue handles POST /admin/queue/bulk: one action (tag, subtag, status, assign) on the ticked
// opinions of the queue. The action's fields are checked once (422 with the queue as it was);
// then each opinion is checked on its own like on its item page — one the person may not see
// counts as not found — and changed through the same storage methods, each audited. The queue
// then tells how many changed and why the others did not.
func (s *Server) bulkQueue(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ids, ok := bulkIDs(form["ids"])
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "too many ids")
	}
	ctx := c.Request().Context()
	v := viewer(c)
	u, _ := staffUser(c)
	today := s.store.Today()
	page := queuePage{BulkAction: form.Get("action"), Selected: map[string]bool{}}
	errs := locale.Fields{}
	for _, id := range ids {
		page.Selected[id] = true
	}
	tally := bulkTally{action: page.BulkAction, skipped: map[string]int{}}
	var apply func(o storage.Opinion) (skip string, err error)
	switch page.BulkAction {
	case "tag":
		if !v.Can(access.Tag) {
			return echo.ErrForbidden
		}
		page.AddStyle = form.Get("add_style")
		if !sifeng.Valid(page.AddStyle) {
			errs["add_style"] = locale.M("bulk.style_required")
		}
		tally.what = page.AddStyle
		apply = func(o storage.Opinion) (string, error) { return s.bulkTag(ctx, u.ID, o, page.AddStyle) }
	case "subtag":
		if !v.Can(access.Tag) {
			return echo.ErrForbidden
		}
		tax, err := s.taxonomy(c)
		if err != nil {
			return err
		}
		page.AddTag = form.Get("add_tag")
		if !tax.inUse(page.AddTag) {
			errs["add_tag"] = locale.M("queue_tags.tag_required")
		}
		tally.what = page.AddTag
		apply = func(o storage.Opinion) (string, error) { return s.bulkAddTag(ctx, u.ID, o, page.AddTag) }
	case "status":
		page.MoveTo = form.Get("to")
		if !lifecycle.Valid(page.MoveTo) {
			errs["to"] = locale.M("bulk.status_required")
		}
		tally.what = page.MoveTo
		step := lifecycle.Step{To: page.MoveTo}
		apply = func(o storage.Opinion) (string, error) { return s.bulkMove(ctx, u.ID, v, o, step, today) }
	case "assign":
		if !v.CanMove(lifecycle.Triaged, lifecycle.Assigned) {
			return echo.ErrForbidden
		}
		page.Step = stepForm{Status: lifecycle.Assigned, LeadUnit: form.Get("lead_unit"), Responsible: form.Get("responsible"),
			Measures: form.Get("measures"), Ledger: form.Get("ledger"), Deadline: form.Get("deadline"), DeadlineDays: form.Get("deadline_days")}
		s.resolveDeadline(&page.Step)
		units, err := s.store.Units(ctx)
		if err != nil {
			return err
		}
		// Checked once, as from 已分类: whether each opinion may be assigned is its own matter.
		if errs := page.Step.Validate(lifecycle.Triaged, today, units); len(errs) > 0 {
			page.StepErrors = stepFields(s.printer(c), errs)
		}
		step := page.Step.step()
		apply = func(o storage.Opinion) (string, error) { return s.bulkMove(ctx, u.ID, v, o, step, today) }
	default:
		errs["action"] = locale.M("bulk.action_required")
	}
	if len(ids) == 0 {
		errs["ids"] = locale.M("bulk.ids_required")
	}
	if len(errs) > 0 || len(page.StepErrors) > 0 {
		p := s.printer(c)
		page.Errors, page.Message = p.Fields(errs), p.T("bulk.refused")
		return s.renderQueue(c, http.StatusUnprocessableEntity, filterFromValues(form), page)
	}
	for i, id := range ids {
		skip, err := s.bulkOne(ctx, v, id, apply)
		if err != nil {
			if tally.done == 0 {
				return err
			}
			// Some opinions have changed already: say so rather than show an error page
			// that hides it.
			s.log.Error("bulk action stopped", "action", tally.action, "err", err)
			tally.skipped["left"] += len(ids) - i
			break
		}
		if skip == "" {
			tally.done++
		} else {
			tally.skipped[skip]++
		}
	}
	return c.Redirect(http.StatusSeeOther, queueURL(filterFromValues(form), tally.query()))
}

// bulkOne loads one ticked opinion and applies the action if the person may see it; it
// returns why it was skipped, "" when it changed.
func (s *Server) bulkOne(ctx context.Context, v access.Viewer, id string, apply func(storage.Opinion) (string, error)) (string, error) {
	o, err := s.store.Opinion(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return "gone", nil
	}
	if err != nil {
		return "", err
	}
	if !s.canSee(ctx, v, o) {
		return "gone", nil
	}
	return apply(o)
}

// bulkTag adds style to the opinion's tags, keeping the others.
func (s *Server) bulkTag(ctx context.Context, userID int64, o storage.Opinion, style string) (string, error) {
	return addedOutcome(s.store.AddStyle(ctx, userID, o.ID, style))
}

// bulkAddTag adds a tag (a manifestation with its style) to the opinion's tags, keeping the
// others.
func (s *Server) bulkAddTag(ctx context.Context, userID int64, o storage.Opinion, code string) (string, error) {
	return addedOutcome(s.store.AddOpinionTag(ctx, userID, o.ID, code))
}

// addedOutcome is the outcome of adding to one opinion: "gone" when it no longer exists, "same"
// when it had it already, "" when added.
func addedOutcome(added bool, err error) (string, error) {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return "gone", nil
	case err != nil:
		return "", err
	case !added:
		return "same", nil
	}
	return "", nil
}

// bulkMove takes one step of the lifecycle with the rules of setOpinionStatus: the lifecycle
// must allow it, the role must be allowed it, and the step must have what it needs.
func (s *Server) bulkMove(ctx context.Context, userID int64, v access.Viewer, o storage.Opinion, step lifecycle.Step, today string) (string, error) {
	if step.To == lifecycle.Closed && o.Status == lifecycle.Satisfaction {
		var err error
		if step.Visit, err = s.store.Visit(ctx, o.ID); err != nil {
			return "", err
		}
	}
	switch {
	case lifecycle.CanMove(o.Status, step.To) && v.CanMove(o.Status, step.To) && step.Visit.Waiting():
		return "visit", nil
	case !lifecycle.CanMove(o.Status, step.To):
		return "state", nil
	case !v.CanMove(o.Status, step.To):
		return "role", nil
	case len(step.Problems(o.Status, today)) > 0:
		return "fields", nil
	}
	err := s.store.Transition(ctx, userID, o.ID, step)
	switch {
	case errors.Is(err, storage.ErrConflict): // moved by someone else meanwhile
		return "state", nil
	case errors.Is(err, storage.ErrInvalid):
		return "fields", nil
	case errors.Is(err, storage.ErrNotFound):
		return "gone", nil
	}
	return "", err
}
