package campaign

import "testing"

func spring() Campaign {
	c := Campaign{ID: 1, Name: "春季活动", Units: []string{"county-hospital"}, ImmediateDays: 5, LimitedDays: 30,
		Phases: []Phase{
			{Kind: Listen, StartsOn: "2027-03-07", EndsOn: "2027-03-31"},
			{Kind: Rectify, StartsOn: "2027-04-01", EndsOn: "2027-05-31"},
			{Kind: LookBack, StartsOn: "2027-06-10", EndsOn: "2027-06-20"},
		}}
	c.Normalize()
	return c
}

func TestPhasesAndWindow(t *testing.T) {
	c := spring()
	tests := []struct {
		day         string
		phase       string
		window, run bool
	}{
		{"2027-03-06", "", false, false},
		{"2027-03-07", Listen, true, true},
		{"2027-03-31", Listen, true, true},
		{"2027-04-01", Rectify, false, true},
		{"2027-06-05", "", false, true}, // a gap between phases: running, no phase
		{"2027-06-20", LookBack, false, true},
		{"2027-06-21", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			p, _ := c.PhaseOn(tt.day)
			if p.Kind != tt.phase || c.WindowOpen(tt.day) != tt.window || c.Running(tt.day) != tt.run {
				t.Errorf("%s: phase %q window %v running %v; want %q %v %v", tt.day, p.Kind, c.WindowOpen(tt.day),
					c.Running(tt.day), tt.phase, tt.window, tt.run)
			}
		})
	}
	if c.LookBackOn() != "2027-06-10" {
		t.Errorf("LookBackOn = %q", c.LookBackOn())
	}
}

func TestFor(t *testing.T) {
	wide := Campaign{ID: 2, Name: "全年", Phases: []Phase{{Kind: Listen, StartsOn: "2027-01-01", EndsOn: "2027-12-31"}}}
	wide.Normalize()
	narrow := spring()
	all := []Campaign{wide, narrow}
	tests := []struct {
		name, day, unit string
		want            int64
	}{
		{"the narrower, later campaign takes its unit's items", "2027-03-10", "county-hospital", 1},
		{"another unit stays in the wide one", "2027-03-10", "tcm-hospital", 2},
		{"before the narrow one starts", "2027-02-10", "county-hospital", 2},
		{"after every campaign", "2028-01-01", "county-hospital", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := For(all, tt.day, tt.unit)
			if (tt.want == 0) == ok || got.ID != tt.want {
				t.Errorf("For = %d %v, want %d", got.ID, ok, tt.want)
			}
		})
	}
	if cur := Current(all, "2027-03-10"); len(cur) != 2 || cur[0].ID != 1 {
		t.Errorf("Current = %v, want the spring campaign first", cur)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Campaign)
		field string
	}{
		{"fine", func(*Campaign) {}, ""},
		{"no name", func(c *Campaign) { c.Name = "  " }, "name"},
		{"no phases", func(c *Campaign) { c.Phases = nil }, "phases"},
		{"bad date", func(c *Campaign) { c.Phases[1].EndsOn = "2027-02-30" }, "phase_2"},
		{"backwards", func(c *Campaign) { c.Phases[1].EndsOn = "2027-03-15" }, "phase_2"},
		{"overlap", func(c *Campaign) { c.Phases[2].StartsOn = "2027-05-31" }, "phase_3"},
		{"custom without a name", func(c *Campaign) { c.Phases[2].Kind = Custom }, "phase_3"},
		{"unknown kind", func(c *Campaign) { c.Phases[0].Kind = "party" }, "phase_1"},
		{"zero days", func(c *Campaign) { c.LimitedDays = 0 }, "limited_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := spring()
			tt.edit(&c)
			c.Normalize()
			p := c.Problems()
			if tt.field == "" && len(p) != 0 || tt.field != "" && (len(p) != 1 || p[tt.field].Key == "") {
				t.Errorf("Problems = %v, want only %q", p, tt.field)
			}
		})
	}
}

func TestCanRead(t *testing.T) {
	public, nurse, otherNurse, office := Reader{}, Reader{Staff: true, Unit: "county-hospital"},
		Reader{Staff: true, Unit: "tcm-hospital"}, Reader{Staff: true, Bureau: true}
	tests := []struct {
		scope string
		r     Reader
		want  bool
	}{
		{ScopePublic, public, true},
		{ScopeStaff, public, false},
		{ScopeStaff, otherNurse, true},
		{ScopeUnit("county-hospital"), public, false},
		{ScopeUnit("county-hospital"), nurse, true},
		{ScopeUnit("county-hospital"), otherNurse, false},
		{ScopeUnit("county-hospital"), office, true},
		{"nonsense", office, false},
	}
	for _, tt := range tests {
		if got := CanRead(tt.scope, tt.r); got != tt.want {
			t.Errorf("CanRead(%q, %+v) = %v, want %v", tt.scope, tt.r, got, tt.want)
		}
	}
	if !ValidScope(ScopeUnit("x")) || ValidScope("unit:") || ValidScope("") {
		t.Error("ValidScope")
	}
}
