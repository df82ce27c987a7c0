package handlers

import (
	"testing"
	"time"

	"minsheng/locale"
	"minsheng/storage"
)

// Ensure an audit row's codes, and the Chinese words versions before #17 wrote into details,
// are said in the reader's language, with days as that language writes them on staff pages.
func TestAuditDetailInEachLanguage(t *testing.T) {
	tests := []struct{ name, lang, action, detail, want string }{
		{"en status", locale.En, "status", "received→triaged", "To be sorted (待梳理) → Sorted (已分类)"},
		{"en tags", locale.En, "tag", "hedonism,+formalism", "Hedonism (享乐主义), +Formalism (形式主义)"},
		{"en level and leadership", locale.En, "classify", "level=department about_leadership",
			"Level: A department; concerns the leadership (涉及班子)"},
		{"en level and leadership, before #17", locale.En, "classify", "level=department 涉及班子",
			"Level: A department; concerns the leadership (涉及班子)"},
		{"en no level", locale.En, "classify", "level=", "Level: Not decided"},
		{"en rating", locale.En, "rate", "basically", "Mostly satisfied"},
		{"en flags", locale.En, "flags", "unfounded,accountability", "unfounded (查无实据), held to account (追责)"},
		{"en flags, before #17", locale.En, "flags", "查无实据,追责", "unfounded (查无实据), held to account (追责)"},
		{"zh-CN flags", locale.ZhCN, "flags", "substantiated,accountability", "属实、追责"},
		{"zh-CN flags, before #17", locale.ZhCN, "flags", "举报属实,追责", "属实、追责"},
		{"en unknown flag kept", locale.En, "flags", "别的", "别的"},
		{"en letter", locale.En, "transcribe", "letter 2026-04-10", "Letter, received 10 Apr 2026"},
		{"en export kept", locale.En, "export", "csv month=2026-04", "csv month=2026-04"},
		{"zh-Hant level", locale.ZhHant, "classify", "level=department about_leadership", "問題層次：科室；涉及班子"},
		{"zh-Hant level, before #17", locale.ZhHant, "classify", "level=department 涉及班子", "問題層次：科室；涉及班子"},
		{"zh-Hant letter", locale.ZhHant, "transcribe", "letter 2026-04-10", "信函，2026-04-10 收到"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auditDetail(locale.Get(tt.lang), tt.action, tt.detail); got != tt.want {
				t.Errorf("auditDetail(%s, %q, %q) = %q, want %q", tt.lang, tt.action, tt.detail, got, tt.want)
			}
		})
	}
}

// Ensure a history line says who and when in the reader's language: the submitter's rating
// with its day only, a row without a staff member as the system's.
func TestHistoryLinesInEnglish(t *testing.T) {
	at := time.Date(2026, 4, 15, 2, 30, 0, 0, time.UTC) // 10:30 in China
	lines := history(locale.Get(locale.En), []storage.AuditEntry{
		{At: at, Username: "reviewer", Action: "status", Detail: "triaged→assigned"},
		{Day: "2026-04-20", Public: true, Action: "rate", Detail: "satisfied"},
		{At: at, Action: "seed"},
	})
	want := []historyLine{
		{When: "15 Apr 2026 10:30", Who: "reviewer", What: "Changed the status", Detail: "Sorted (已分类) → Assigned (已交办)"},
		{When: "20 Apr 2026 (date only)", Who: "The writer", What: "Rated by the person who wrote", Detail: "Satisfied"},
		{When: "15 Apr 2026 10:30", Who: "System", What: locale.Get(locale.En).T("audit.seed")},
	}
	if len(lines) != len(want) {
		t.Fatalf("history = %+v, want %d lines", lines, len(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, lines[i], want[i])
		}
	}
}
