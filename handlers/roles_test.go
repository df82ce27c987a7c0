package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// roleWorld is one portal with a staff member of every role and opinions that test each rule.
type roleWorld struct {
	h        *harness
	browsers map[string]*browser // by role name used in the tables
	ids      map[string]string   // by object name
	content  map[string]string   // object name → its text, to look for leaks
}

// roleObject is a kind of opinion the access rules treat differently.
type roleObject struct {
	name, typ, unit, lead string
	leadership            bool
}

var roleObjects = []roleObject{
	{"county complaint", "complaint", "county-hospital", "county-hospital", false},
	{"county leadership", "complaint", "county-hospital", "county-hospital", true},
	{"tcm unassigned", "suggestion", "tcm-hospital", "", false},
	{"misconduct report", "report", "county-hospital", "county-hospital", false},
}

// create stores an opinion of kind o, assigned where o says, and returns its id and text.
func (w *roleWorld) create(t *testing.T, o roleObject) (string, string) {
	t.Helper()
	ctx := context.Background()
	text := "对象「" + o.name + "」的意见内容，请认真处理。"
	id, _ := w.h.seed(t, storage.NewOpinion{Type: o.typ, UnitCode: o.unit, Content: text, Contact: "13800000000"})
	if o.leadership {
		if err := w.h.store.Classify(ctx, 0, id, "leadership", true); err != nil {
			t.Fatal(err)
		}
	} else {
		w.h.walkTo(t, 0, id, lifecycle.Triaged)
	}
	if o.lead != "" {
		step := fullStep(lifecycle.Assigned, "")
		step.LeadUnit = o.lead
		if err := w.h.store.Transition(ctx, 0, id, step); err != nil {
			t.Fatal(err)
		}
	}
	return id, text
}

func newRoleWorld(t *testing.T) *roleWorld {
	t.Helper()
	h := newHarness(t)
	ctx := context.Background()
	w := &roleWorld{h: h, browsers: map[string]*browser{}, ids: map[string]string{}, content: map[string]string{}}
	users := map[string]storage.NewUser{
		"admin":            {Role: access.Admin},
		"reviewer":         {Role: access.Reviewer},
		"supervisor":       {Role: access.Supervisor},
		"discipline":       {Role: access.Discipline},
		"liaison-county":   {Role: access.Liaison, Unit: "county-hospital"},
		"liaison-qingshan": {Role: access.Liaison, Unit: "qingshan-thc"},
		"leader-tcm":       {Role: access.Leader, Linked: []string{"tcm-hospital"}},
	}
	for name, n := range users {
		n.Username, n.Password = name, staffPassword
		if _, err := h.store.CreateScopedUser(ctx, 0, n); err != nil {
			t.Fatalf("CreateScopedUser(%s): %v", name, err)
		}
		b := h.login(t, name, staffPassword)
		b.getCSRF(t, "/admin/queue")
		w.browsers[name] = b
	}
	for _, o := range roleObjects {
		w.ids[o.name], w.content[o.name] = w.create(t, o)
	}
	return w
}

// TestRoleRouteObject is the table of who may do what to which opinion, through the router.
func TestRoleRouteObject(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	type req struct {
		method, route string
		form          url.Values
	}
	view := req{"GET", "", nil}
	tag := req{"POST", "/styles", url.Values{"style": {"hedonism"}}}
	reply := req{"POST", "/reply", url.Values{"reply": {"答复内容"}}}
	note := req{"POST", "/note", url.Values{"note": {"备注内容"}}}
	startWork := req{"POST", "/status", url.Values{"status": {"rectifying"}, "kind": {"immediate"}}}
	assign := req{"POST", "/status", url.Values{"status": {"assigned"}, "lead_unit": {"tcm-hospital"}, "responsible": {"院长"},
		"measures": {"整改"}, "ledger": {"problem"}, "deadline": {"2026-06-01"}}}
	tests := []struct {
		role, object string
		r            req
		want         int
	}{
		{"reviewer", "county complaint", view, 200},
		{"reviewer", "county complaint", tag, 303},
		{"reviewer", "county complaint", startWork, 303},
		{"reviewer", "misconduct report", view, 404},
		{"reviewer", "misconduct report", reply, 404},
		{"admin", "misconduct report", view, 404},
		{"supervisor", "misconduct report", view, 404},
		{"discipline", "misconduct report", view, 200},
		{"discipline", "misconduct report", reply, 303},
		{"discipline", "county complaint", view, 404},
		{"supervisor", "county complaint", view, 200},
		{"supervisor", "county complaint", tag, 403},
		{"supervisor", "county complaint", reply, 403},
		{"supervisor", "county complaint", note, 303},
		{"supervisor", "county complaint", startWork, 403},
		{"liaison-county", "county complaint", view, 200},
		{"liaison-county", "county complaint", startWork, 303},
		{"liaison-county", "county complaint", note, 303},
		{"liaison-county", "county complaint", reply, 403},
		{"liaison-county", "county complaint", tag, 403},
		{"liaison-county", "county leadership", view, 404},
		{"liaison-county", "county leadership", note, 404},
		{"liaison-county", "tcm unassigned", view, 404},
		{"liaison-county", "misconduct report", view, 404},
		{"liaison-qingshan", "county complaint", view, 404},
		{"leader-tcm", "tcm unassigned", view, 200},
		{"leader-tcm", "tcm unassigned", note, 403},
		{"leader-tcm", "tcm unassigned", assign, 403},
		{"reviewer", "tcm unassigned", assign, 303},
		{"supervisor", "tcm unassigned", assign, 403},
		{"leader-tcm", "county complaint", view, 404},
	}
	for _, tt := range tests {
		name := tt.role + " " + tt.r.method + " " + tt.r.route + " " + tt.object
		t.Run(name, func(t *testing.T) {
			b := w.browsers[tt.role]
			// A fresh opinion per case, so that one case's change cannot decide the next.
			var id string
			for _, o := range roleObjects {
				if o.name == tt.object {
					id, _ = w.create(t, o)
				}
			}
			target := "/admin/opinions/" + id + tt.r.route
			var r *response
			if tt.r.method == "GET" {
				r = b.get(t, target)
			} else {
				r = b.post(t, target, tt.r.form)
			}
			if r.Code != tt.want {
				t.Fatalf("status %d, want %d", r.Code, tt.want)
			}
			if tt.want >= 400 && strings.Contains(r.Body, w.content[tt.object]) {
				t.Fatalf("a refused request shows the opinion's text")
			}
		})
	}
}

// Ensure queues and exports list exactly what each role may open, and that a liaison never
// sees a submitter's contact.
func TestRoleQueuesAndExports(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	visible := map[string][]string{
		"admin":            {"county complaint", "county leadership", "tcm unassigned"},
		"reviewer":         {"county complaint", "county leadership", "tcm unassigned"},
		"supervisor":       {"county complaint", "county leadership", "tcm unassigned"},
		"discipline":       {"misconduct report"},
		"liaison-county":   {"county complaint"},
		"liaison-qingshan": nil,
		"leader-tcm":       {"tcm unassigned"},
	}
	canExport := map[string]bool{"admin": true, "reviewer": true, "supervisor": true, "discipline": true}
	for role, want := range visible {
		t.Run(role, func(t *testing.T) {
			b := w.browsers[role]
			queue := b.get(t, "/admin/queue")
			wantStatus(t, queue, http.StatusOK)
			exp := b.get(t, "/admin/export?month=2026-04&format=csv")
			if canExport[role] {
				wantStatus(t, exp, http.StatusOK)
			} else {
				wantStatus(t, exp, http.StatusForbidden)
			}
			for object, id := range w.ids {
				shown := false
				for _, o := range want {
					shown = shown || o == object
				}
				if got := strings.Contains(queue.Body, id); got != shown {
					t.Errorf("queue lists %q: %v, want %v", object, got, shown)
				}
				if canExport[role] {
					if got := strings.Contains(exp.Body, id); got != shown {
						t.Errorf("export holds %q: %v, want %v", object, got, shown)
					}
				}
			}
		})
	}
	page := w.browsers["liaison-county"].get(t, "/admin/opinions/"+w.ids["county complaint"])
	wantStatus(t, page, http.StatusOK)
	wantNotContains(t, page.Body, "13800000000", "联系方式")
	page = w.browsers["reviewer"].get(t, "/admin/opinions/"+w.ids["county complaint"])
	wantContains(t, page.Body, "13800000000")
}

// Ensure a submitter who marks an opinion as about the unit's own leadership keeps it from
// that unit's liaison even after it is assigned there.
func TestLeadershipMarkFromTheForm(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	b := w.h.browser()
	vals := validOpinion()
	vals.Set("about_leadership", "1")
	vals.Set("content", "院长在科室会上当众训斥护士，大家敢怒不敢言。")
	r := b.submit(t, vals)
	wantStatus(t, r, http.StatusOK)
	page, err := w.h.store.ListOpinions(context.Background(), storage.OpinionFilter{}, storage.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, o := range page.Opinions {
		if o.Content == vals.Get("content") {
			id = o.ID
			if !o.AboutLeadership {
				t.Fatal("the form's mark was not stored")
			}
		}
	}
	w.h.walkTo(t, 0, id, lifecycle.Assigned) // assigned to county-hospital, the unit it is about
	wantStatus(t, w.browsers["liaison-county"].get(t, "/admin/opinions/"+id), http.StatusNotFound)
	wantStatus(t, w.browsers["reviewer"].get(t, "/admin/opinions/"+id), http.StatusOK)
}
