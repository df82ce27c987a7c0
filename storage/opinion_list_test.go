package storage

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// listFixture is a queue of seven opinions over three months. Keys name them in tests.
type fixtureRow struct {
	key, day, unit, typ, status string
	styles                      []string
}

var listFixture = []fixtureRow{
	{"a", "2026-02-27", "bureau", "complaint", "received", nil},
	{"b", "2026-03-05", "county-hospital", "complaint", "triaged", []string{"bureaucratism"}},
	{"c", "2026-03-05", "county-hospital", "suggestion", "received", nil},
	{"d", "2026-03-20", "tcm-hospital", "report", "rectifying", []string{"hedonism", "formalism"}},
	{"e", "2026-04-01", "county-hospital", "complaint", "triaged", []string{"hedonism"}},
	{"f", "2026-04-01", "bureau", "praise", "received", nil},
	{"g", "2026-04-02", "county-hospital", "complaint", "satisfaction", []string{"extravagance", "bureaucratism"}},
}

type seeded struct {
	s   *Store
	ids map[string]string // key → id
	day map[string]string // id → created_on
	key map[string]string // id → key
}

// seedList stores listFixture on b, moving the clock to noon China time of each row's day.
func seedList(t *testing.T, b backend) seeded {
	t.Helper()
	ctx := context.Background()
	clock := newClock(fixedTime)
	s := b.mustOpenClock(t, clock)
	sd := seeded{s: s, ids: map[string]string{}, day: map[string]string{}, key: map[string]string{}}
	for _, r := range listFixture {
		d, err := time.Parse(dateLayout, r.day)
		if err != nil {
			t.Fatal(err)
		}
		clock.Set(d.Add(4 * time.Hour)) // 12:00 in China
		id := mustCreateOpinion(t, s, NewOpinion{UnitCode: r.unit, Type: r.typ, Content: "意见 " + r.key})
		walkTo(t, s, id, r.status)
		if len(r.styles) > 0 {
			if err := s.SetStyles(ctx, 0, id, r.styles); err != nil {
				t.Fatalf("SetStyles(%s): %v", r.key, err)
			}
		}
		sd.ids[r.key], sd.day[id], sd.key[id] = id, r.day, r.key
	}
	return sd
}

// ordered returns the ids of keys in queue order (newest day first, then id descending), or
// in export order (oldest day first, then id ascending) when oldest is set.
func (sd seeded) ordered(keys string, oldest bool) []string {
	var ids []string
	for _, k := range keys {
		ids = append(ids, sd.ids[string(k)])
	}
	sort.Slice(ids, func(i, j int) bool {
		di, dj := sd.day[ids[i]], sd.day[ids[j]]
		if di != dj {
			return (di > dj) != oldest
		}
		return (ids[i] > ids[j]) != oldest
	})
	return ids
}

func (sd seeded) keys(ops []Opinion) string {
	var b strings.Builder
	for _, o := range ops {
		b.WriteString(sd.key[o.ID])
	}
	return b.String()
}

func opinionIDs(ops []Opinion) []string {
	var ids []string
	for _, o := range ops {
		ids = append(ids, o.ID)
	}
	return ids
}

var filterCases = []struct {
	name string
	f    OpinionFilter
	want string // fixture keys, any order
}{
	{"no filter", OpinionFilter{}, "abcdefg"},
	{"status received", OpinionFilter{Status: "received"}, "acf"},
	{"status triaged", OpinionFilter{Status: "triaged"}, "be"},
	{"status closed", OpinionFilter{Status: "closed"}, ""},
	{"style bureaucratism", OpinionFilter{Style: "bureaucratism"}, "bg"},
	{"style hedonism", OpinionFilter{Style: "hedonism"}, "de"},
	{"style none", OpinionFilter{Style: StyleNone}, "acf"},
	{"unit county-hospital", OpinionFilter{UnitCode: "county-hospital"}, "bceg"},
	{"unit without opinions", OpinionFilter{UnitCode: "qingshan-thc"}, ""},
	{"type complaint", OpinionFilter{Type: "complaint"}, "abeg"},
	{"month 2026-03", OpinionFilter{Month: "2026-03"}, "bcd"},
	{"month 2026-04", OpinionFilter{Month: "2026-04"}, "efg"},
	{"month 2026-02", OpinionFilter{Month: "2026-02"}, "a"},
	{"malformed month is ignored", OpinionFilter{Month: "2026-13"}, "abcdefg"},
	{"unit+type", OpinionFilter{UnitCode: "county-hospital", Type: "complaint"}, "beg"},
	{"unit+type+month", OpinionFilter{UnitCode: "county-hospital", Type: "complaint", Month: "2026-04"}, "eg"},
	{"status+style", OpinionFilter{Status: "triaged", Style: "hedonism"}, "e"},
	{"style none+month", OpinionFilter{Style: StyleNone, Month: "2026-03"}, "c"},
	{"status+style disjoint", OpinionFilter{Status: "received", Style: "bureaucratism"}, ""},
	{"all five", OpinionFilter{Status: "satisfaction", Style: "extravagance", UnitCode: "county-hospital", Type: "complaint", Month: "2026-04"}, "g"},
}

func TestListOpinionsFilters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		for _, tt := range filterCases {
			t.Run(tt.name, func(t *testing.T) {
				page, err := sd.s.ListOpinions(context.Background(), tt.f, Cursor{}, 50)
				if err != nil {
					t.Fatalf("ListOpinions(%+v): %v", tt.f, err)
				}
				if got, want := opinionIDs(page.Opinions), sd.ordered(tt.want, false); !reflect.DeepEqual(got, want) {
					t.Errorf("ListOpinions(%+v) = %q, want %q (keys %q)", tt.f, got, want, tt.want)
				}
				if page.Next != (Cursor{}) {
					t.Errorf("Next = %+v on the only page, want zero", page.Next)
				}
			})
		}
	})
}

func TestListOpinionsNewestDayFirst(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		page, err := sd.s.ListOpinions(context.Background(), OpinionFilter{}, Cursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(page.Opinions), len(listFixture); got != want {
			t.Fatalf("%d opinions, want %d", got, want)
		}
		for i := 1; i < len(page.Opinions); i++ {
			prev, cur := page.Opinions[i-1], page.Opinions[i]
			if prev.CreatedOn < cur.CreatedOn || (prev.CreatedOn == cur.CreatedOn && prev.ID <= cur.ID) {
				t.Errorf("row %d (%s %s) after row %d (%s %s): want newest day first, then id descending",
					i, cur.CreatedOn, cur.ID, i-1, prev.CreatedOn, prev.ID)
			}
		}
		if got := page.Opinions[0].CreatedOn; got != "2026-04-02" {
			t.Errorf("first row day = %s, want 2026-04-02", got)
		}
		// Rows carry their styles in sifeng order, whatever order they were tagged in.
		g := page.Opinions[0]
		if want := []string{"bureaucratism", "extravagance"}; !reflect.DeepEqual(g.Styles, want) || g.Status != "satisfaction" {
			t.Errorf("row g = styles %v status %q, want %v replied", g.Styles, g.Status, want)
		}
	})
}

func TestListOpinionsKeysetPagination(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		ctx := context.Background()
		tests := []struct {
			name      string
			f         OpinionFilter
			want      string
			wantPages int
		}{
			{"all rows, last page short", OpinionFilter{}, "abcdefg", 4},
			{"last page exactly full", OpinionFilter{UnitCode: "county-hospital"}, "bceg", 2},
			{"single row", OpinionFilter{Status: "satisfaction"}, "g", 1},
			{"no rows", OpinionFilter{Status: "closed"}, "", 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got []string
				seen := map[string]bool{}
				cursor, pages := "", 0
				for {
					pages++
					if pages > 10 {
						t.Fatalf("pagination does not end; seen %v", got)
					}
					// The cursor travels through a URL, as it does in the queue.
					page, err := sd.s.ListOpinions(ctx, tt.f, ParseCursor(cursor), 2)
					if err != nil {
						t.Fatalf("page %d: %v", pages, err)
					}
					if len(page.Opinions) > 2 {
						t.Fatalf("page %d has %d rows, limit 2", pages, len(page.Opinions))
					}
					for _, o := range page.Opinions {
						if seen[o.ID] {
							t.Errorf("page %d repeats %s (%s)", pages, o.ID, sd.key[o.ID])
						}
						seen[o.ID] = true
						got = append(got, o.ID)
					}
					if page.Next == (Cursor{}) {
						break
					}
					if len(page.Opinions) != 2 {
						t.Errorf("page %d has %d rows but a next page", pages, len(page.Opinions))
					}
					if last := page.Opinions[len(page.Opinions)-1]; page.Next != (Cursor{Day: last.CreatedOn, ID: last.ID}) {
						t.Errorf("page %d Next = %+v, want the last row's day and id", pages, page.Next)
					}
					cursor = page.Next.String()
				}
				if want := sd.ordered(tt.want, false); !reflect.DeepEqual(got, want) {
					t.Errorf("pages visited %q, want %q", got, want)
				}
				if pages != tt.wantPages {
					t.Errorf("pages = %d, want %d", pages, tt.wantPages)
				}
			})
		}
	})
}

func TestParseCursor(t *testing.T) {
	tests := []struct {
		name, in string
		want     Cursor
	}{
		{"valid", "2026-04-01_K7Q2M9XD4H", Cursor{"2026-04-01", "K7Q2M9XD4H"}},
		{"empty", "", Cursor{}},
		{"garbage", "garbage", Cursor{}},
		{"underscore only", "_", Cursor{}},
		{"no id", "2026-04-01_", Cursor{}},
		{"no day", "_K7Q2M9XD4H", Cursor{}},
		{"bad month", "2026-13-01_K7Q2M9XD4H", Cursor{}},
		{"short day", "2026-04-1_K7Q2M9XD4H", Cursor{}},
		{"long day", "2026-04-011_K7Q2M9XD4H", Cursor{}},
		{"short garbage", "x_y", Cursor{}},
		{"id too long", "2026-04-01_" + strings.Repeat("A", 21), Cursor{}},
		{"sql", "' OR 1=1 --_x", Cursor{}},
		{"chinese", "二〇二六年四月_甲", Cursor{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseCursor(tt.in); got != tt.want {
				t.Errorf("ParseCursor(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	if got := (Cursor{}).String(); got != "" {
		t.Errorf("zero Cursor.String() = %q, want empty", got)
	}
	for _, c := range []Cursor{
		{"2026-04-01", "K7Q2M9XD4H"},
		{"2025-12-31", "0000000000"},
		{"2026-02-28", "ZZZZZZZZZZ"},
	} {
		if got := ParseCursor(c.String()); got != c {
			t.Errorf("ParseCursor(%q) = %+v, want %+v", c.String(), got, c)
		}
	}
}

func TestMonthRange(t *testing.T) {
	tests := []struct {
		month, from, to string
		ok              bool
	}{
		{"2026-12", "2026-12-01", "2027-01-01", true},
		{"2026-01", "2026-01-01", "2026-02-01", true},
		{"2026-02", "2026-02-01", "2026-03-01", true},
		{"2024-02", "2024-02-01", "2024-03-01", true},
		{"", "", "", false},
		{"2026", "", "", false},
		{"2026-13", "", "", false},
		{"2026-00", "", "", false},
		{"2026-1", "", "", false},
		{"26-01", "", "", false},
		{"2026-01-01", "", "", false},
		{"2026/01", "", "", false},
		{" 2026-01", "", "", false},
		{"2026年1月", "", "", false},
	}
	for _, tt := range tests {
		t.Run("month="+tt.month, func(t *testing.T) {
			from, to, ok := MonthRange(tt.month)
			if from != tt.from || to != tt.to || ok != tt.ok {
				t.Errorf("MonthRange(%q) = %q, %q, %v; want %q, %q, %v", tt.month, from, to, ok, tt.from, tt.to, tt.ok)
			}
		})
	}
}

func TestEachOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		ctx := context.Background()
		for _, tt := range filterCases {
			t.Run(tt.name, func(t *testing.T) {
				var got []string
				err := sd.s.EachOpinion(ctx, tt.f, func(o Opinion) error {
					got = append(got, o.ID)
					return nil
				})
				if err != nil {
					t.Fatalf("EachOpinion(%+v): %v", tt.f, err)
				}
				if want := sd.ordered(tt.want, true); !reflect.DeepEqual(got, want) {
					t.Errorf("EachOpinion(%+v) visited %q, want %q oldest first (keys %q)", tt.f, got, want, tt.want)
				}
			})
		}
	})
}

func TestEachOpinionStopsAtFirstError(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		sd := seedList(t, b)
		stop := errors.New("disk full")
		var visited []Opinion
		err := sd.s.EachOpinion(context.Background(), OpinionFilter{}, func(o Opinion) error {
			visited = append(visited, o)
			if len(visited) == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) {
			t.Fatalf("EachOpinion err = %v, want the callback's error", err)
		}
		if got, want := sd.keys(visited), sd.keys(idsToOpinions(sd.ordered("abcdefg", true)[:3])); got != want {
			t.Errorf("visited %q before stopping, want %q", got, want)
		}
		// The read connection went back to the pool: the store still answers.
		if _, err := sd.s.ListOpinions(context.Background(), OpinionFilter{}, Cursor{}, 1); err != nil {
			t.Errorf("ListOpinions after a stopped export: %v", err)
		}
	})
}

func idsToOpinions(ids []string) []Opinion {
	var ops []Opinion
	for _, id := range ids {
		ops = append(ops, Opinion{ID: id})
	}
	return ops
}
