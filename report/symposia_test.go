package report

import (
	"context"
	"reflect"
	"testing"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
)

// symposiaTables are the symposia section's tables of r, by key; nil when it has none.
func symposiaTables(r *Report, p *locale.Printer) map[string]Table {
	for _, sec := range r.Sections(p) {
		if sec.Key == "symposia" {
			out := map[string]Table{}
			for _, tb := range sec.Tables {
				out[tb.Key] = tb
			}
			return out
		}
	}
	return nil
}

// TestSymposiaSection: a period's report counts its meetings (座谈会), those who took part and
// the opinions raised, by unit, in the reader's scope; a period without a meeting has no such
// section, as before.
func TestSymposiaSection(t *testing.T) {
	w, _, _ := seedDecember(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	before, err := Draft(ctx, w.st, decemberQuery(t, access.Reviewer), Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	if tables := symposiaTables(before, zh); tables != nil {
		t.Fatalf("a month without meetings has a meetings section: %v", tables)
	}
	day := "2026-12-10"
	raised := func(content, typ string) storage.NewOpinion {
		return storage.NewOpinion{Type: typ, UnitCode: "county-hospital", Submitter: "staff", Content: content, Channel: "forum", ReceivedOn: day}
	}
	for i, n := range []storage.NewSymposium{
		{HeldOn: day, UnitCode: "county-hospital", Host: "院长", Categories: []string{"staff"}, Participants: 20,
			Opinions: []storage.NewOpinion{raised("夜班人手不够，病人等得久。", "opinion"), raised("有人收红包，请查一查。", "report")}},
		{HeldOn: "2026-12-20", UnitCode: "county-hospital", Host: "副院长", Categories: []string{"patient"}, Participants: 9},
	} {
		for range n.Opinions {
			n.Hashes = append(n.Hashes, []byte{byte(i), byte(len(n.Hashes)), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
		}
		if _, _, err := w.st.RecordSymposium(ctx, 0, n); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		role          string
		opinionsCells string
	}{
		{access.Reviewer, "1"},   // 举报 left out of the office's count
		{access.Discipline, "1"}, // 纪检 counts 举报 alone
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			r, err := Draft(ctx, w.st, decemberQuery(t, tc.role), Summary, zh)
			if err != nil {
				t.Fatal(err)
			}
			tables := symposiaTables(r, zh)
			if tables == nil {
				t.Fatal("no meetings section")
			}
			units := tables["symposia-units"]
			want := [][]string{{"县人民医院", "2", "29", tc.opinionsCells}}
			if !reflect.DeepEqual(units.Rows, want) {
				t.Errorf("by unit = %v, want %v", units.Rows, want)
			}
			if got := tables["symposia"].Rows[0][:2]; !reflect.DeepEqual(got, []string{"召开场次", "2"}) {
				t.Errorf("meetings row = %v", got)
			}
		})
	}
}
