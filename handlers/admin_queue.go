package handlers

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// queuePageSize is how many opinions one queue page shows.
const queuePageSize = 50

// queuePage is the data of templates/pages/queue.html.
type queuePage struct {
	Filter   storage.OpinionFilter
	Rows     []queueRow
	NextURL  template.URL // the next page, empty on the last
	CSVURL   template.URL // this filter's export links
	XLSXURL  template.URL
	Statuses []lifecycle.Status
	Styles   []sifeng.Style
	Types    []vocab.Term
	Channels []vocab.Term
	// Submitters are the choices of the filter by who spoke (#16).
	Submitters []vocab.Term
	Units      []storage.Unit
	// TagGroups are the tag filter's choices (retired tags last); AddTagGroups the bulk tag's
	// (tags in use only). See queue_tags.go.
	TagGroups    []tagOptgroup
	AddTagGroups []tagOptgroup
	// Campaigns are the 活动 filter's choices (most recently started first); Campaign is the one
	// filtered by, whose phases the 阶段 filter offers (nil: none chosen).
	Campaigns []campaign.Campaign
	Campaign  *campaign.Campaign
	// Mailboxes are those the person reads, for the 信箱 filter (none: no filter shown).
	Mailboxes []storage.Mailbox
	// CanExport shows the export links to the roles that may export.
	CanExport bool

	// Problem is the problem (问题) the queue is filtered by, nil for none (admin_problem.go).
	Problem *storage.Problem

	// The sidebar: counts per status for this filter and scope, and the person's saved filters.
	Counts   []statusCount
	AllCount statusCount
	Overdue  int
	// CountedOf: when the counts are capped, how many of a search's newest matches they looked
	// at (storage.SearchCap); those in the filter and the scope are counted.
	CountedOf int
	// ByFilter: CountedOf is how many of the filter's newest opinions (a department head's 科室,
	// a tag) the search looked through, not how many of its matches.
	ByFilter bool
	Saved    []savedLink
	// Hidden is the filter as hidden inputs, for the forms that come back to this queue.
	Hidden     []hiddenField
	FilterName string // what was typed as a saved filter's name

	// Bulk actions on the ticked rows (admin_bulk.go).
	Bulk        bulkChoices
	Ledgers     []lifecycle.Term
	Today       string
	BulkAction  string   // the action tried, to reopen its part of the form
	AddStyle    string   // the style chosen for a bulk tag
	AddTag      string   // the tag chosen for a bulk tag (manifestation or family)
	MoveTo      string   // the status chosen for a bulk move
	Step        stepForm // what was typed for a bulk 交办
	StepErrors  map[string]string
	Selected    map[string]bool // ticked ids, kept when the form comes back
	Outcome     string          // what the last bulk action did, read from the redirect
	OutcomeDone bool            // it changed at least one opinion

	Errors  map[string]string // field → message
	Message string            // above the page after a refused form
}

// queueRow is one opinion in the queue with its deadline as people read it, its tags, and
// for one not yet sorted the styles the model suggests.
type queueRow struct {
	storage.Opinion
	// Excerpt is the start of the content as this viewer sees it, what the search found marked.
	Excerpt template.HTML
	// Found says where the search found the opinion when not in its own text (search.found_*).
	Found       string
	Due         deadlineView
	TagChips    []tagChip
	Suggestions []suggestionChip
}

// foundKeys are the catalog's words for where a search found an opinion (storage.Found*).
var foundKeys = map[string]string{
	storage.FoundReply:         "search.found_reply",
	storage.FoundRectification: "search.found_rectification",
	storage.FoundNote:          "search.found_note",
}

// statusCount is one link of the sidebar: a status, how many opinions of the filter are in it,
// and the queue filtered to it.
type statusCount struct {
	Code    string
	Label   string
	N       int
	Capped  bool // a search for a common word: at least N (search.count_capped)
	URL     template.URL
	Current bool
}

// savedLink is a saved filter as the sidebar shows it.
type savedLink struct {
	ID   int64
	Name string
	URL  template.URL
}

type hiddenField struct{ Name, Value string }

// filterFromQuery reads the queue filter from the URL.
func filterFromQuery(c echo.Context) storage.OpinionFilter {
	return filterFromValues(c.QueryParams())
}

// filterFromValues reads a queue filter from a query string or a form. Unknown values are
// dropped rather than rejected: a stale bookmark should still show a queue.
func filterFromValues(q url.Values) storage.OpinionFilter {
	f := storage.OpinionFilter{
		Status:    q.Get("status"),
		Style:     q.Get("style"),
		UnitCode:  q.Get("unit"),
		Type:      q.Get("type"),
		Month:     q.Get("month"),
		Channel:   q.Get("channel"),
		Submitter: q.Get("submitter"),
		Mailbox:   q.Get("mailbox"),
		Tag:       q.Get("tag"),
		Nature:    q.Get("nature"),
		Reach:     q.Get("reach"),
		Problem:   q.Get("problem"),
		Text:      storage.SearchQuery(q.Get("q")), // 搜索内容: trimmed and cut, searched folded
	}
	if !vocab.Valid(vocab.Channels, f.Channel) {
		f.Channel = ""
	}
	if !vocab.Valid(vocab.Submitters, f.Submitter) {
		f.Submitter = ""
	}
	if !lifecycle.Valid(f.Status) {
		f.Status = ""
	}
	if f.Style != storage.StyleNone && !sifeng.Valid(f.Style) {
		f.Style = ""
	}
	if !vocab.Valid(vocab.Types, f.Type) {
		f.Type = ""
	}
	if _, _, ok := storage.MonthRange(f.Month); !ok {
		f.Month = ""
	}
	if len(f.UnitCode) > 40 {
		f.UnitCode = ""
	}
	if len(f.Mailbox) > 40 {
		f.Mailbox = ""
	}
	if !tagShaped(f.Tag) { // an unknown code is dropped once the taxonomy is read (knownTag)
		f.Tag = ""
	}
	if !validNature(f.Nature) {
		f.Nature = ""
	}
	if !validReach(f.Reach) {
		f.Reach = ""
	}
	if !problemIDShaped(f.Problem) {
		f.Problem = ""
	}
	// 活动 and 阶段 (#14): a campaign's id and one of its phases' numbers; a phase without a
	// campaign means nothing. An unknown id selects nothing, as a stale bookmark should.
	if id, err := strconv.ParseInt(q.Get("campaign"), 10, 64); err == nil && id > 0 {
		f.Campaign = id
		if seq, err := strconv.Atoi(q.Get("phase")); err == nil && seq > 0 && seq <= campaign.MaxPhases {
			f.Phase = seq
		}
	}
	return f
}

// filterQuery encodes a filter as a query string, leaving out empty fields.
func filterQuery(f storage.OpinionFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "style": f.Style, "unit": f.UnitCode, "type": f.Type, "month": f.Month,
		"channel": f.Channel, "submitter": f.Submitter, "mailbox": f.Mailbox, "q": f.Text, "tag": f.Tag, "nature": f.Nature, "reach": f.Reach, "problem": f.Problem} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Campaign != 0 {
		q.Set("campaign", strconv.FormatInt(f.Campaign, 10))
		if f.Phase != 0 {
			q.Set("phase", strconv.Itoa(f.Phase))
		}
	}
	return q
}

// queueURL is the queue showing f, with extra parameters (such as a bulk outcome) added.
func queueURL(f storage.OpinionFilter, extra url.Values) string {
	q := filterQuery(f)
	for k, vs := range extra {
		q[k] = vs
	}
	if len(q) == 0 {
		return "/admin/queue"
	}
	return "/admin/queue?" + q.Encode()
}

// showQueue handles GET /admin/queue: opinions newest first, filtered, one page at a time;
// with ?view=problems, the problems (问题) instead (admin_problem.go).
func (s *Server) showQueue(c echo.Context) error {
	if c.QueryParam("view") == "problems" {
		return s.showProblemQueue(c)
	}
	return s.renderQueue(c, http.StatusOK, filterFromQuery(c), queuePage{})
}

// renderQueue shows the queue for filter f; fields already set in data (errors, what was
// typed, ticked rows) are kept. Only a GET pages on with ?after and tells a bulk outcome.
func (s *Server) renderQueue(c echo.Context, status int, f storage.OpinionFilter, data queuePage) error {
	ctx := c.Request().Context()
	v := viewer(c)
	u, _ := staffUser(c)
	p := s.printer(c)
	tax, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	f = tax.knownTag(f)
	f.Scope = &v
	var after storage.Cursor
	if c.Request().Method == http.MethodGet {
		after = storage.ParseCursor(c.QueryParam("after"))
		data.Outcome, data.OutcomeDone = bulkOutcome(p, c.QueryParams(), tax)
	}
	page, err := s.store.ListOpinions(ctx, f, after, queuePageSize)
	if err != nil {
		return err
	}
	counts, err := s.store.StatusCounts(ctx, f)
	if err != nil {
		return err
	}
	saved, err := s.store.SavedFilters(ctx, u.ID)
	if err != nil {
		return err
	}
	if data.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	data.Units = unitsInBranch(v, data.Units) // a branch administrator filters by their units
	if data.Campaigns, err = s.store.Campaigns(ctx); err != nil {
		return err
	}
	for i := range data.Campaigns {
		if data.Campaigns[i].ID == f.Campaign {
			data.Campaign = &data.Campaigns[i]
		}
	}
	data.Filter, data.CanExport = f, v.Can(access.Export)
	data.Statuses, data.Styles, data.Types = lifecycle.Statuses, sifeng.Styles, vocab.Types
	data.Channels, data.Submitters = vocab.Channels, vocab.Submitters
	if data.Mailboxes, err = s.mailboxesReadBy(ctx, v); err != nil {
		return err
	}
	data.Today, data.Ledgers = s.store.Today(), lifecycle.Ledgers
	data.Bulk = bulkChoicesFor(v, data.Today)
	data.TagGroups, data.AddTagGroups = tax.tagOptgroups(true), tax.tagOptgroups(false)
	data.Rows = s.queueRows(p, v, tax, page.Opinions)
	for i := range data.Rows {
		row := &data.Rows[i]
		row.Excerpt = highlight(row.Content, f.Text, 60)
		if part := page.Found[row.ID]; part != "" {
			row.Found = p.T(foundKeys[part])
		}
	}
	// The links are built from url.Values.Encode, so they are safe to mark as URLs; otherwise
	// html/template would escape the & and = inside them.
	for format, dst := range map[string]*template.URL{"csv": &data.CSVURL, "xlsx": &data.XLSXURL} {
		q := filterQuery(f)
		q.Set("format", format)
		*dst = template.URL("/admin/export?" + q.Encode())
	}
	if page.Next.ID != "" {
		q := filterQuery(f)
		q.Set("after", page.Next.String())
		data.NextURL = template.URL("/admin/queue?" + q.Encode())
	}
	fillSidebar(p, &data, f, counts, saved)
	if data.Problem, err = s.queueProblem(ctx, f); err != nil {
		return err
	}
	return s.render(c, status, "queue", data)
}

// fillSidebar puts the counts, the saved filters and the filter's hidden inputs into data,
// the words in p's language.
func fillSidebar(p *locale.Printer, data *queuePage, f storage.OpinionFilter, counts storage.StatusCounts, saved []storage.SavedFilter) {
	all := f
	all.Status = ""
	data.AllCount = statusCount{Label: p.T("queue.all"), N: counts.Total, Capped: counts.Capped,
		URL: template.URL(queueURL(all, nil)), Current: f.Status == ""}
	for _, st := range lifecycle.Statuses {
		one := f
		one.Status = st.Code
		data.Counts = append(data.Counts, statusCount{Code: st.Code, Label: st.In(p), N: counts.ByStatus[st.Code],
			Capped: counts.Capped, URL: template.URL(queueURL(one, nil)), Current: f.Status == st.Code})
	}
	data.Overdue = counts.Overdue
	if counts.Capped {
		data.CountedOf = storage.SearchCap
		if counts.FilterRead > 0 {
			data.CountedOf, data.ByFilter = counts.FilterRead, true
		}
	}
	for _, sf := range saved {
		// The stored query is read back through the queue's own checks, so the link holds
		// nothing but a valid filter whatever the row holds.
		q, _ := url.ParseQuery(sf.Query)
		data.Saved = append(data.Saved, savedLink{ID: sf.ID, Name: sf.Name, URL: template.URL(queueURL(filterFromValues(q), nil))})
	}
	q := filterQuery(f)
	for _, k := range []string{"status", "style", "unit", "type", "month", "channel", "mailbox", "q", "tag", "nature", "reach", "problem", "campaign", "phase"} {
		if v := q.Get(k); v != "" {
			data.Hidden = append(data.Hidden, hiddenField{k, v})
		}
	}
}

// redirectToQueue handles GET /admin.
func (s *Server) redirectToQueue(c echo.Context) error {
	if u, _ := staffUser(c); u.Role == access.Monitor {
		return c.Redirect(http.StatusSeeOther, "/admin/jiandu")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/queue")
}

// mailboxesReadBy are the mailboxes v reads, in the administrator's order, for the queue's
// 信箱 filter. Retired ones stay: their letters are still there to work on.
func (s *Server) mailboxesReadBy(ctx context.Context, v access.Viewer) ([]storage.Mailbox, error) {
	if len(v.Mailboxes) == 0 {
		return nil, nil
	}
	all, err := s.store.AllMailboxes(ctx)
	if err != nil {
		return nil, err
	}
	var mine []storage.Mailbox
	for _, m := range all {
		if slices.Contains(v.Mailboxes, m.Code) && v.OwnsInBranch(m.UnitCode) {
			mine = append(mine, m)
		}
	}
	return mine, nil
}
