package plan

import (
	"sort"
	"strings"
	"testing"

	"minsheng/campaign"
)

func keys[M ~map[string]V, V any](m M) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestTextProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		text Text
		want string
	}{
		{"fine", Text{CampaignID: 1, Kind: Special, Title: "  专项  整治  ", Body: "一、\n"}, ""},
		{"nothing", Text{}, "campaign,kind,title"},
		{"an unknown kind", Text{CampaignID: 1, Kind: "memo", Title: "x"}, "kind"},
		{"a title too long", Text{CampaignID: 1, Kind: System, Title: strings.Repeat("长", MaxTitle+1)}, "title"},
		{"a text too long", Text{CampaignID: 1, Kind: System, Title: "x", Body: strings.Repeat("长", MaxBody+1)}, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.text.Normalize()
			if got := keys(tc.text.Problems()); got != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
	txt := Text{Title: "  专项  整治  ", Body: "一、总体要求\r\n正文  \n\n"}
	txt.Normalize()
	if txt.Title != "专项 整治" || txt.Body != "一、总体要求\n正文" {
		t.Errorf("normalized %+v", txt)
	}
}

func TestTaskProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		task Task
		want string
	}{
		{"fine", Task{What: "缩短候诊时间", Deadline: "2027-05-31", LeaderPost: "分管副院长"}, ""},
		{"no task", Task{What: "  "}, "what"},
		{"a bad deadline", Task{What: "x", Deadline: "2027-5-31"}, "deadline"},
		{"an impossible deadline", Task{What: "x", Deadline: "2027-02-30"}, "deadline"},
		{"a long post", Task{What: "x", LeaderPost: strings.Repeat("长", MaxPost+1)}, "leader_post"},
		{"long measures", Task{What: "x", Measures: strings.Repeat("长", MaxMeasures+1)}, "measures"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.task.Normalize()
			if got := keys(tc.task.Problems()); got != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
	nameless := Task{What: "x", PublishName: true}
	nameless.Normalize()
	if nameless.PublishName {
		t.Error("publishing a name that is not there stayed ticked")
	}
}

func TestOpeningAndPublicationProblems(t *testing.T) {
	const today = "2027-03-10"
	for _, tc := range []struct {
		name string
		o    Opening
		want string
	}{
		{"fine", Opening{Scope: campaign.ScopePublic, From: "2027-03-10", To: "2027-03-20"}, ""},
		{"a unit", Opening{Scope: campaign.ScopeUnit("county-hospital"), From: "2027-03-01", To: "2027-03-10"}, ""},
		{"no scope", Opening{From: "2027-03-10", To: "2027-03-20"}, "scope"},
		{"an unknown scope", Opening{Scope: "everyone", From: "2027-03-10", To: "2027-03-20"}, "scope"},
		{"no start", Opening{Scope: campaign.ScopeStaff, To: "2027-03-20"}, "from"},
		{"no end", Opening{Scope: campaign.ScopeStaff, From: "2027-03-10"}, "to"},
		{"backwards", Opening{Scope: campaign.ScopeStaff, From: "2027-03-12", To: "2027-03-11"}, "to"},
		{"over already", Opening{Scope: campaign.ScopeStaff, From: "2027-03-01", To: "2027-03-09"}, "to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(tc.o.Problems(today)); got != tc.want {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
	if got := keys(Publication{Scope: campaign.ScopeStaff}.Problems()); got != "" {
		t.Errorf("a publication to staff: %q", got)
	}
	if got := keys(Publication{Scope: "", Changes: strings.Repeat("长", MaxNote+1)}.Problems()); got != "changes,scope" {
		t.Errorf("a bad publication: %q", got)
	}
	if got := keys(NoteProblems(Return, "  ")); got != "note" {
		t.Errorf("a return without a note: %q", got)
	}
	if got := keys(NoteProblems(Approve, "")); got != "" {
		t.Errorf("an approval without a note: %q", got)
	}
}
