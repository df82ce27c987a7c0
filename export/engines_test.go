package export

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minsheng/internal/pgtest"
	"minsheng/internal/storetest"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// The XLSX the office sends upward is read from storage (EachExportRow) on either engine:
// TestXLSXAgreesOnBothEngines writes it from a real store of each. The PostgreSQL cluster
// of the test binary is stopped when its tests are done.
func TestMain(m *testing.M) { pgtest.Main(m) }

// exportedSheet stores the same opinions on engine e (a reviewed one with styles and tags,
// one assigned for rectification, a plain one), writes the XLSX from EachExportRow and returns
// its opinion sheet, each row without its id (random per store), sorted.
func exportedSheet(t *testing.T, e storetest.Engine) []string {
	t.Helper()
	ctx := context.Background()
	st, clock := storetest.OpenOn(t, e, time.Date(2026, 4, 1, 4, 0, 0, 0, time.UTC))
	storetest.SetDay(t, clock, "2026-04-02")
	styled := storetest.Opinion(t, st, storage.NewOpinion{Dept: "内科", Content: "医生态度冷淡，问诊三分钟就打发走"})
	if err := st.SetStylesAndTags(ctx, 0, styled, []string{"bureaucratism", "formalism"}, []string{"service_attitude"}); err != nil {
		t.Fatal(err)
	}
	assigned := storetest.Opinion(t, st, storage.NewOpinion{UnitCode: "tcm-hospital", Content: "药房取药排长队"})
	for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
		if to == lifecycle.Received {
			continue
		}
		if err := st.Transition(ctx, 0, assigned, lifecycle.Step{To: to, LeadUnit: "tcm-hospital", Ledger: "problem", Responsible: "药房主任", Measures: "增开窗口",
			Deadline: "2026-04-30", Note: "已转交"}); err != nil {
			t.Fatalf("→ %s: %v", to, err)
		}
	}
	storetest.Opinion(t, st, storage.NewOpinion{Type: "suggestion", Content: "建议增加停车位"})

	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EachExportRow(ctx, storage.OpinionFilter{}, x.Write); err != nil {
		t.Fatalf("EachExportRow on %s: %v", e, err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("意见")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, strings.Join(r[1:], "|"))
	}
	sort.Strings(out)
	return out
}

func TestXLSXAgreesOnBothEngines(t *testing.T) {
	t.Parallel()
	sheets := map[storetest.Engine][]string{}
	t.Run("sqlite", func(t *testing.T) {
		got := exportedSheet(t, storetest.SQLite)
		if len(got) != 3 || !strings.Contains(strings.Join(got, "\n"), "形式主义、官僚主义") ||
			!strings.Contains(strings.Join(got, "\n"), "2026-04-30") {
			t.Errorf("the sheet lacks the opinions' styles or deadline:\n%s", strings.Join(got, "\n"))
		}
		sheets[storetest.SQLite] = got
	})
	t.Run("postgres", func(t *testing.T) {
		sheets[storetest.Postgres] = exportedSheet(t, storetest.Postgres)
	})
	lite, pg := sheets[storetest.SQLite], sheets[storetest.Postgres]
	if lite == nil || pg == nil {
		return // a half failed or was skipped, and says so
	}
	if strings.Join(lite, "\n") != strings.Join(pg, "\n") {
		t.Errorf("the engines' sheets differ:\nSQLite:\n%s\nPostgreSQL:\n%s", strings.Join(lite, "\n"), strings.Join(pg, "\n"))
	}
}
