package storage

import (
	"context"
	"strings"
	"testing"
)

// Ensure that every opinion names a unit that exists, on both engines, whoever writes it (#15,
// migration 0060): SQLite by its foreign key, PostgreSQL by a check once per INSERT statement
// and per row when an UPDATE changes the unit; and that a unit, once there, stays with its code
// (it is retired, never deleted), which is what lets PostgreSQL check without a lock per row.
func TestUnitsStayAndOpinionsNameRealUnits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		id, err := s.CreateOpinion(ctx, sampleOpinion("county-hospital", 1), newReceiptHash(t))
		if err != nil {
			t.Fatal(err)
		}
		refused := func(what, query string, args ...any) {
			t.Helper()
			if _, err := s.write.ExecContext(ctx, query, args...); err == nil {
				t.Errorf("%s was allowed", what)
			} else if !isConstraint(err) && postgresCode(err) != "P0001" { // P0001: a trigger's RAISE
				t.Errorf("%s: %v, want a constraint's or a trigger's refusal", what, err)
			}
		}
		// qingshan-thc has no opinion: the foreign key alone would let it go.
		refused("deleting a unit no opinion names", `DELETE FROM units WHERE code = 'qingshan-thc'`)
		refused("deleting a unit an opinion names", `DELETE FROM units WHERE code = 'county-hospital'`)
		refused("changing a unit's code", `UPDATE units SET code = 'qingshan-thc2' WHERE code = 'qingshan-thc'`)
		if s.Backend() == "postgres" {
			refused("emptying the units", `TRUNCATE units CASCADE`)
		}
		if _, err := s.write.ExecContext(ctx, `UPDATE units SET name = '青山卫生院' WHERE code = 'qingshan-thc'`); err != nil {
			t.Errorf("renaming a unit: %v", err)
		}
		if _, err := s.write.ExecContext(ctx, `UPDATE units SET active = 0 WHERE code = 'qingshan-thc'`); err != nil {
			t.Errorf("retiring a unit: %v", err)
		}

		insert := `INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, created_on) VALUES
			(?, ?, 'suggestion', 'bureau', 'patient', '一条意见的内容', '2026-11-23'),
			(?, ?, 'suggestion', ?, 'patient', '一条意见的内容', '2026-11-23')`
		refused("an opinion of an unknown unit, beside a good one", insert,
			"unitcheck01", newReceiptHash(t), "unitcheck02", newReceiptHash(t), "no-such-unit")
		if got := countRows(t, s, "opinions", "id IN ('unitcheck01', 'unitcheck02')"); got != 0 {
			t.Errorf("the refused statement left %d rows", got)
		}
		if _, err := s.write.ExecContext(ctx, insert, "unitcheck03", newReceiptHash(t), "unitcheck04", newReceiptHash(t), "qingshan-thc"); err != nil {
			t.Errorf("opinions of known units (one retired, as staff may still file): %v", err)
		}
		refused("moving an opinion to an unknown unit", `UPDATE opinions SET unit_code = 'no-such-unit' WHERE id = ?`, id)
		if _, err := s.write.ExecContext(ctx, `UPDATE opinions SET unit_code = 'tcm-hospital' WHERE id = ?`, id); err != nil {
			t.Errorf("moving an opinion to another unit: %v", err)
		}
		if got := countRows(t, s, "units", "1 = 1"); got != 6 {
			t.Errorf("units = %d, want the 6 seeded", got)
		}
	})
}

// Ensure that on PostgreSQL, where triggers and not a foreign key keep opinions.unit_code real
// (migration 0060), Check names what is wrong when someone turned the trigger off and wrote
// an opinion of no unit behind the portal's back.
func TestPostgresCheckFindsAnOpinionOfNoUnit(t *testing.T) {
	t.Parallel()
	s := backends[1].mustOpen(t)
	ctx := context.Background()
	for _, stmt := range []string{`ALTER TABLE opinions DISABLE TRIGGER opinions_unit_known`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, created_on)
		 VALUES ('unitless01', '\x01'::bytea, 'suggestion', 'no-such-unit', 'patient', '一条意见的内容', '2026-11-23')`} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	err := s.Check(ctx)
	for _, want := range []string{"trigger opinions.opinions_unit_known is disabled", "opinion unitless01 names the unit no-such-unit"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v, want %q", err, want)
		}
	}
}
