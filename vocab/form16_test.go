package vocab

import (
	"testing"

	"minsheng/locale"
)

// TestCodesOfIssue16: the codes other parts depend on (form values, database CHECKs, exports)
// are there with the requirements' words, in zh-CN and en, and the new channels are all typed
// in by staff.
func TestCodesOfIssue16(t *testing.T) {
	zh, en := locale.Get(locale.ZhCN), locale.Get(locale.En)
	tests := []struct {
		name  string
		terms []Term
		code  string
		zh    string
	}{
		{"党员", Submitters, "party_member", "党员"},
		{"服务对象", Submitters, "client", "服务对象/管理相对人"},
		{"两代表一委员", Submitters, "deputy", "两代表一委员"},
		{"监督员", Submitters, "monitor", "行风/社会监督员"},
		{"职能部门", Segments, "functional", "职能部门"},
		{"临床科室", Segments, "clinical", "临床科室"},
		{"医技", Segments, "medtech", "医技"},
		{"护理", Segments, "nursing", "护理"},
		{"老专家", Segments, "senior_expert", "老专家"},
		{"青年医师", Segments, "young_doctor", "青年医师"},
		{"后勤", Segments, "logistics", "后勤"},
		{"民主党派", Segments, "democratic_party", "民主党派"},
		{"离退休", Segments, "retired", "离退休"},
		{"进修实习", Segments, "trainee", "进修实习"},
		{"领导班子成员", TargetKinds, "leadership", "领导班子成员"},
		{"工作人员", TargetKinds, "staff", "某位工作人员"},
		{"电子邮件", Channels, "email", "电子邮件"},
		{"暗访", Channels, "inspection", "暗访/督导检查"},
		{"媒体", Channels, "media", "媒体"},
		{"信访", Channels, "petition", "信访"},
		{"谈心", Channels, "talk", "谈心谈话/个别访谈"},
		{"入户走访", Channels, "home_visit", "入户走访"},
		{"征求意见表", Channels, "paper", "征求意见表"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Valid(tt.terms, tt.code) {
				t.Fatalf("%q is not a code", tt.code)
			}
			if got := LabelIn(zh, tt.terms, tt.code); got != tt.zh {
				t.Errorf("zh-CN = %q, want %q", got, tt.zh)
			}
			if got := LabelIn(en, tt.terms, tt.code); got == tt.code || got == tt.zh {
				t.Errorf("en = %q: no English words", got)
			}
		})
	}
	if len(Submitters) != 9 || Submitters[len(Submitters)-1].Code != "other" {
		t.Errorf("Submitters = %v: want the nine of feature 4, 其他 last", Submitters)
	}
	for _, code := range []string{"email", "inspection", "media", "petition", "talk", "home_visit", "paper"} {
		if !Transcribed(code) {
			t.Errorf("Transcribed(%q) = false: staff must be able to enter it", code)
		}
	}
	if Transcribed("web") || Transcribed("qr") || Transcribed("kiosk") {
		t.Errorf("a channel the public uses directly is transcribed")
	}
}
