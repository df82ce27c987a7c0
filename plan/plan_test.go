package plan

import (
	"reflect"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
)

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		name, status, action, role, want string
	}{
		{"the office opens a draft for comment", Draft, OpenComment, access.Reviewer, Comment},
		{"the admin opens a returned plan for comment", Returned, OpenComment, access.Admin, Comment},
		{"the office closes the comment period", Comment, CloseComment, access.Reviewer, Draft},
		{"the office submits a draft", Draft, Submit, access.Reviewer, Review},
		{"the office submits after comments", Comment, Submit, access.Admin, Review},
		{"the office submits a returned plan again", Returned, Submit, access.Reviewer, Review},
		{"the supervision group approves", Review, Approve, access.Supervisor, Approved},
		{"the supervision group returns", Review, Return, access.Supervisor, Returned},
		{"the office publishes an approved plan", Approved, Publish, access.Reviewer, Published},
		{"the office marks a published plan done", Published, Finish, access.Admin, Done},

		{"the office may not approve its own plan", Review, Approve, access.Admin, ""},
		{"the office may not return", Review, Return, access.Reviewer, ""},
		{"the supervision group may not submit", Draft, Submit, access.Supervisor, ""},
		{"the supervision group may not publish", Approved, Publish, access.Supervisor, ""},
		{"a liaison may take no step", Draft, Submit, access.Liaison, ""},
		{"discipline may take no step", Review, Approve, access.Discipline, ""},
		{"a leader may take no step", Approved, Publish, access.Leader, ""},
		{"no publishing before approval", Review, Publish, access.Reviewer, ""},
		{"no publishing a draft", Draft, Publish, access.Admin, ""},
		{"no approving a draft", Draft, Approve, access.Supervisor, ""},
		{"no approving twice", Approved, Approve, access.Supervisor, ""},
		{"no opening for comment under review", Review, OpenComment, access.Reviewer, ""},
		{"no opening a published plan for comment", Published, OpenComment, access.Reviewer, ""},
		{"no closing what is not open", Draft, CloseComment, access.Reviewer, ""},
		{"no finishing before publication", Approved, Finish, access.Reviewer, ""},
		{"nothing after done", Done, Finish, access.Admin, ""},
		{"an unknown step", Draft, "delete", access.Admin, ""},
		{"an unknown state", "lost", Submit, access.Admin, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Next(tc.status, tc.action, tc.role)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Next(%s, %s, %s) = %q, %v; want %q", tc.status, tc.action, tc.role, got, ok, tc.want)
			}
		})
	}
}

func TestAllowedAndEditable(t *testing.T) {
	for _, tc := range []struct {
		name, status, role string
		allowed            []string
		editable           bool
	}{
		{"a draft to the office", Draft, access.Reviewer, []string{OpenComment, Submit}, true},
		{"a draft to the supervision group", Draft, access.Supervisor, nil, false},
		{"open for comment to the office", Comment, access.Admin, []string{CloseComment, Submit}, false},
		{"under review to the supervision group", Review, access.Supervisor, []string{Approve, Return}, false},
		{"under review to the office", Review, access.Reviewer, nil, false},
		{"returned to the office", Returned, access.Reviewer, []string{OpenComment, Submit}, true},
		{"approved to the office", Approved, access.Reviewer, []string{Publish}, false},
		{"published to the office", Published, access.Admin, []string{Finish}, false},
		{"done to the office", Done, access.Admin, nil, false},
		{"a draft to a liaison", Draft, access.Liaison, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Allowed(tc.status, tc.role); !reflect.DeepEqual(got, tc.allowed) {
				t.Errorf("Allowed = %v, want %v", got, tc.allowed)
			}
			if got := Editable(tc.status, tc.role); got != tc.editable {
				t.Errorf("Editable = %v, want %v", got, tc.editable)
			}
		})
	}
}

func TestOpenForComment(t *testing.T) {
	for _, tc := range []struct {
		name, status, from, to, day string
		want                        bool
	}{
		{"within the period", Comment, "2027-03-10", "2027-03-20", "2027-03-15", true},
		{"its first day", Comment, "2027-03-10", "2027-03-20", "2027-03-10", true},
		{"its last day", Comment, "2027-03-10", "2027-03-20", "2027-03-20", true},
		{"before it", Comment, "2027-03-10", "2027-03-20", "2027-03-09", false},
		{"after it", Comment, "2027-03-10", "2027-03-20", "2027-03-21", false},
		{"a draft never opened", Draft, "", "", "2027-03-15", false},
		{"closed again, dates kept", Draft, "2027-03-10", "2027-03-20", "2027-03-15", false},
		{"under review", Review, "2027-03-10", "2027-03-20", "2027-03-15", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := OpenForComment(tc.status, tc.from, tc.to, tc.day); got != tc.want {
				t.Errorf("OpenForComment = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBlocks(t *testing.T) {
	body := "一、总体要求\r\n坚持问题导向，<b>立行立改</b>。\n\n（一）工作目标\n(二)半角括号\n十二、第十二条\n" +
		"一是加强管理。\n一二三四、不是标题\n（一十二三）也不是\n二、\n"
	want := []Block{
		{"h", "一、总体要求"},
		{"p", "坚持问题导向，<b>立行立改</b>。"},
		{"sub", "（一）工作目标"},
		{"sub", "(二)半角括号"},
		{"h", "十二、第十二条"},
		{"p", "一是加强管理。"},
		{"p", "一二三四、不是标题"},
		{"p", "（一十二三）也不是"},
		{"h", "二、"},
	}
	if got := Blocks(body); !reflect.DeepEqual(got, want) {
		t.Errorf("Blocks =\n%v\nwant\n%v", got, want)
	}
	if got := Blocks(""); got != nil {
		t.Errorf("Blocks of nothing = %v", got)
	}
}

func TestVisible(t *testing.T) {
	unitStaff := campaign.Reader{Staff: true, Unit: "county-hospital"}
	other := campaign.Reader{Staff: true, Unit: "tcm-hospital"}
	for _, tc := range []struct {
		name                        string
		status, commentScope, scope string
		role                        string
		r                           campaign.Reader
		want                        bool
	}{
		{"the office reads a draft", Draft, "", "", access.Reviewer, campaign.Reader{Staff: true, Bureau: true}, true},
		{"the supervision group reads a draft", Review, "", "", access.Supervisor, campaign.Reader{Staff: true, Bureau: true}, true},
		{"a liaison does not read a draft", Draft, "", "", access.Liaison, unitStaff, false},
		{"a liaison reads a draft open to the unit", Comment, campaign.ScopeUnit("county-hospital"), "", access.Liaison, unitStaff, true},
		{"another unit's liaison does not", Comment, campaign.ScopeUnit("county-hospital"), "", access.Liaison, other, false},
		{"discipline reads a draft open to all staff", Comment, campaign.ScopeStaff, "", access.Discipline, campaign.Reader{Staff: true, Bureau: true}, true},
		{"a liaison reads a plan published to all staff", Published, campaign.ScopeUnit("tcm-hospital"), campaign.ScopeStaff, access.Liaison, unitStaff, true},
		{"a liaison does not read one published to another unit", Done, "", campaign.ScopeUnit("tcm-hospital"), access.Liaison, unitStaff, false},
		{"a leader does not read an approved plan", Approved, campaign.ScopeStaff, "", access.Leader, unitStaff, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Visible(tc.status, tc.commentScope, tc.scope, tc.role, tc.r); got != tc.want {
				t.Errorf("Visible = %v, want %v", got, tc.want)
			}
		})
	}
	if !RoleMay(Approve, access.Supervisor) || RoleMay(Approve, access.Admin) || RoleMay(Submit, access.Liaison) || !RoleMay(Publish, access.Reviewer) {
		t.Error("RoleMay disagrees with Next")
	}
}
