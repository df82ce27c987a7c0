package handlers

import "testing"

func TestAuditDetail(t *testing.T) {
	tests := []struct{ action, detail, want string }{
		{"status", "received→triaged", "待梳理→已分类"},
		{"tag", "hedonism,formalism", "享乐主义、形式主义"},
		{"tag", "+extravagance", "+奢靡之风"},
		{"tag", "", ""},
		{"export", "csv month=2026-04", "csv month=2026-04"},
		{"status", "no arrow", "no arrow"},
	}
	for _, tt := range tests {
		if got := auditDetail(tt.action, tt.detail); got != tt.want {
			t.Errorf("auditDetail(%q, %q) = %q, want %q", tt.action, tt.detail, got, tt.want)
		}
	}
}
