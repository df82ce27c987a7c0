package access

import "testing"

// TestSeeEvaluations: only the supervision group reads the democratic evaluation forms; the
// bureau's own staff, administrators included, do not.
func TestSeeEvaluations(t *testing.T) {
	for _, role := range Roles {
		want := role.Code == Supervisor
		if got := (Viewer{Role: role.Code}).Can(SeeEvaluations); got != want {
			t.Errorf("%s Can(SeeEvaluations) = %v, want %v", role.Code, got, want)
		}
	}
}
