package storage

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"minsheng/workday"
)

func mustDate(t *testing.T, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Ensure overrides round-trip, a second set replaces the first, delete removes, and every
// change is audited.
func TestCalendarOverrides(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		type want map[string]workday.Override
		steps := []struct {
			name       string
			run        func() error
			wantErr    error
			audit      string // action and detail of the newest audit row, "" for none
			wantStored want
		}{
			{"empty at first", func() error { return nil }, nil, "", want{}},
			{"set a day off", func() error {
				return s.SetCalendarOverride(ctx, admin.ID, mustDate(t, "2027-02-08"), workday.Override{Name: " 春节 "})
			}, nil, "calendar_set 2027-02-08 off 春节", want{"2027-02-08": {Name: "春节"}}},
			{"set a working Sunday", func() error {
				return s.SetCalendarOverride(ctx, admin.ID, mustDate(t, "2027-02-07"), workday.Override{Work: true, Name: "春节调休"})
			}, nil, "calendar_set 2027-02-07 work 春节调休",
				want{"2027-02-08": {Name: "春节"}, "2027-02-07": {Work: true, Name: "春节调休"}}},
			{"setting a day again replaces it", func() error {
				return s.SetCalendarOverride(ctx, admin.ID, mustDate(t, "2027-02-08"), workday.Override{Work: true})
			}, nil, "calendar_set 2027-02-08 work",
				want{"2027-02-08": {Work: true}, "2027-02-07": {Work: true, Name: "春节调休"}}},
			{"too long a name", func() error {
				return s.SetCalendarOverride(ctx, admin.ID, mustDate(t, "2027-05-01"), workday.Override{Name: strings.Repeat("节", 21)})
			}, ErrInvalid, "", want{"2027-02-08": {Work: true}, "2027-02-07": {Work: true, Name: "春节调休"}}},
			{"delete", func() error { return s.DeleteCalendarOverride(ctx, admin.ID, mustDate(t, "2027-02-08")) },
				nil, "calendar_delete 2027-02-08", want{"2027-02-07": {Work: true, Name: "春节调休"}}},
			{"delete a day with none", func() error { return s.DeleteCalendarOverride(ctx, admin.ID, mustDate(t, "2027-02-08")) },
				ErrNotFound, "", want{"2027-02-07": {Work: true, Name: "春节调休"}}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				before := countRows(t, s, "audit_log", "")
				err := st.run()
				if st.wantErr == nil && err != nil || st.wantErr != nil && !errors.Is(err, st.wantErr) {
					t.Fatalf("err = %v, want %v", err, st.wantErr)
				}
				if st.audit == "" {
					if n := countRows(t, s, "audit_log", ""); n != before {
						t.Errorf("audit rows %d → %d, want none new", before, n)
					}
				} else {
					action, detail, _ := strings.Cut(st.audit, " ")
					wantLastAudit(t, s, action, detail)
				}
				got, err := s.CalendarOverrides(ctx)
				if err != nil {
					t.Fatal(err)
				}
				stored := want{}
				for d, o := range got {
					stored[d.String()] = o
				}
				if !reflect.DeepEqual(stored, st.wantStored) {
					t.Errorf("stored %v, want %v", stored, st.wantStored)
				}
			})
		}
	})
}

// Ensure the stored overrides make a calendar that covers a year the library lacks.
func TestCalendarOverridesCoverAYear(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		year := workday.LastLibraryYear() + 1
		day := workday.Date{Year: year, Month: 2, Day: 8}
		if workday.New(nil).Covered(year) {
			t.Fatalf("the library already covers %d; pick a later year", year)
		}
		if err := s.SetCalendarOverride(ctx, 0, day, workday.Override{Name: "春节"}); err != nil {
			t.Fatal(err)
		}
		o, err := s.CalendarOverrides(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cal := workday.New(o)
		why := cal.Explain(day)
		if !cal.Covered(year) || cal.IsWorkday(day) || why.Kind != workday.Holiday || !slices.Equal(why.Name.Holidays, []string{workday.SpringFestival}) {
			t.Errorf("calendar from the store: Covered %v, IsWorkday %v, Explain %+v", cal.Covered(year), cal.IsWorkday(day), why)
		}
	})
}
