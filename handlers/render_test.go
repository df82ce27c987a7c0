package handlers

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"minsheng/locale"
)

func TestAuditDetail(t *testing.T) {
	tests := []struct{ action, detail, want string }{
		{"status", "received→triaged", "待梳理→已分类"},
		{"tag", "hedonism,formalism", "享乐主义、形式主义"},
		{"tag", "+extravagance", "+奢靡之风"},
		{"tag", "", ""},
		{"export", "csv month=2026-04", "csv month=2026-04"},
		{"status", "no arrow", "no arrow"},
		{"classify", "level=department about_leadership", "问题层次：科室；涉及班子"},
		{"classify", "level=department 涉及班子", "问题层次：科室；涉及班子"}, // written before #17
		{"classify", "level=individual", "问题层次：个人"},
		{"classify", "level=", "问题层次：未定"},
		{"rate", "basically", "基本满意"},
		{"flags", "unfounded,accountability", "查无实据、追责"},
		{"flags", "查无实据,追责", "查无实据、追责"}, // written before #17
		{"transcribe", "letter 2026-04-10", "信函，2026-04-10 收到"},
		{"transcribe", "phone ", "电话"},
	}
	for _, tt := range tests {
		if got := auditDetail(locale.Get(locale.ZhCN), tt.action, tt.detail); got != tt.want {
			t.Errorf("auditDetail(%q, %q) = %q, want %q", tt.action, tt.detail, got, tt.want)
		}
	}
}

// TestEveryAuditActionHasALabel reads the actions storage writes into the audit log from its
// source (audit(…, "action", …) and action := "…") so that a new action cannot reach the audit
// pages as a raw code.
func TestEveryAuditActionHasALabel(t *testing.T) {
	files, err := filepath.Glob("../storage/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("storage sources: %v %v", files, err)
	}
	call := regexp.MustCompile(`audit\(ctx, tx, now, [^,]+, "([a-z_]+)"`)
	assign := regexp.MustCompile(`action :?= "([a-z_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{call, assign} {
			for _, m := range re.FindAllSubmatch(src, -1) {
				seen++
				if _, ok := auditLabels[string(m[1])]; !ok {
					t.Errorf("%s writes audit action %q with no Chinese label in auditLabels", f, m[1])
				}
			}
		}
	}
	if seen < 20 {
		t.Errorf("found only %d audit actions in storage: has the audit call changed shape?", seen)
	}
}
