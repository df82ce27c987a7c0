package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Ensure -pseudo-rtl (or MINSHENG_PSEUDO_RTL=on) serves the pages in the pseudo right-to-left
// language under /ar-XB/, mirrored (dir="rtl"), and that without it the prefix is an unknown
// page like any other: the public is never offered it.
func TestPseudoRTLFlag(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		status int
	}{
		{"off by default", nil, nil, 404},
		{"flag alone", nil, []string{"-pseudo-rtl"}, 200},
		{"flag on", nil, []string{"-pseudo-rtl", "on"}, 200},
		{"env on", map[string]string{"MINSHENG_PSEUDO_RTL": "on"}, nil, 200},
		{"flag off wins over env", map[string]string{"MINSHENG_PSEUDO_RTL": "on"}, []string{"-pseudo-rtl=off"}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-db", filepath.Join(t.TempDir(), "m.db")}, tt.args...)
			base, _, _, stop := startServe(t, tt.env, args...)
			defer func() {
				if err := stop(); err != nil {
					t.Errorf("stop: %v", err)
				}
			}()
			status, body := get(t, base+"/ar-XB/track")
			if status != tt.status {
				t.Fatalf("GET /ar-XB/track: status %d, want %d", status, tt.status)
			}
			if status == 200 && !strings.Contains(body, `<html lang="ar-XB" dir="rtl">`) {
				t.Errorf("/ar-XB/track is not a right-to-left page:\n%.300s", body)
			}
			if _, body := get(t, base+"/track"); strings.Contains(body, "ar-XB") {
				t.Error("the language switch offers the pseudo language to the public")
			}
		})
	}
	stdout, _, status, _ := runWith(t, nil, "", "serve", "-h")
	if status != 0 || !strings.Contains(stdout, "-pseudo-rtl") || !strings.Contains(stdout, "translators and layout tests") {
		t.Errorf("serve -h (status %d) does not document -pseudo-rtl:\n%s", status, stdout)
	}
}
