package lifecycle

import "testing"

// TestTransitions checks every pair of statuses against the intended table: a move is allowed
// exactly when it is listed, nothing moves to itself, and nothing goes back to "received".
func TestTransitions(t *testing.T) {
	allowed := map[[2]string]bool{
		{Received, Triaged}: true, {Received, Processing}: true, {Received, Replied}: true, {Received, Closed}: true, {Received, Rejected}: true,
		{Triaged, Processing}: true, {Triaged, Replied}: true, {Triaged, Closed}: true, {Triaged, Rejected}: true,
		{Processing, Triaged}: true, {Processing, Replied}: true, {Processing, Closed}: true, {Processing, Rejected}: true,
		{Replied, Processing}: true, {Replied, Closed}: true,
		{Closed, Processing}:   true,
		{Rejected, Processing}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			t.Run(from.Code+"→"+to.Code, func(t *testing.T) {
				want := allowed[[2]string{from.Code, to.Code}]
				if got := CanMove(from.Code, to.Code); got != want {
					t.Fatalf("CanMove(%s, %s) = %v, want %v", from.Code, to.Code, got, want)
				}
			})
		}
	}
	for _, bad := range [][2]string{{"", Triaged}, {Received, ""}, {"unknown", Closed}, {Received, "unknown"}} {
		if CanMove(bad[0], bad[1]) {
			t.Errorf("CanMove(%q, %q) = true for an unknown status", bad[0], bad[1])
		}
	}
}

func TestNextIsInWorkflowOrder(t *testing.T) {
	var got []string
	for _, s := range Next(Received) {
		got = append(got, s.Code)
	}
	want := []string{Triaged, Processing, Replied, Closed, Rejected}
	if len(got) != len(want) {
		t.Fatalf("Next(received) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Next(received) = %v, want %v", got, want)
		}
	}
	if n := Next(Closed); len(n) != 1 || n[0].Code != Processing {
		t.Fatalf("Next(closed) = %v, want only processing (reopen)", n)
	}
}

func TestLabels(t *testing.T) {
	tests := []struct{ code, want string }{
		{Received, "已收到"}, {Replied, "已答复"}, {Rejected, "不予受理"}, {"mystery", "mystery"},
	}
	for _, tt := range tests {
		if got := Label(tt.code); got != tt.want {
			t.Errorf("Label(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	if !Valid(Closed) || Valid("finished") {
		t.Error("Valid disagrees with the status list")
	}
}
