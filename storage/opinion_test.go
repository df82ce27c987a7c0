package storage

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// crockfordID is ten Crockford base-32 symbols: digits and capitals without I, L, O, U.
var crockfordID = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{10}$`)

// dayIDPattern is an opinion's id since #11 (opinion_id.go): eleven symbols, the day's three first.
var dayIDPattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{11}$`)

func TestCreateOpinionRoundTrip(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		tests := []struct {
			name     string
			in       NewOpinion
			unitName string
		}{
			{"chinese", NewOpinion{Type: "complaint", UnitCode: "county-hospital", Dept: "急诊科", Submitter: "patient",
				Content: "挂号窗口只开一个，排队两个小时，工作人员还在玩手机。", Contact: "王女士 139 0000 0000"}, "县人民医院"},
			{"emoji and newlines", NewOpinion{Type: "praise", UnitCode: "tcm-hospital", Submitter: "family",
				Content: "护士很耐心 👍🏻😊\n第二行\r\n\t缩进", Contact: ""}, "县中医院"},
			{"html", NewOpinion{Type: "report", UnitCode: "bureau", Dept: "<b>科</b>", Submitter: "staff",
				Content: `<script>alert("x")</script>`, Contact: `"><img src=x onerror=alert(1)>`}, "县卫生健康局机关"},
			{"formula", NewOpinion{Type: "suggestion", UnitCode: "mch-hospital", Submitter: "public",
				Content: "=SUM(A1)", Contact: "+86-1390000", Dept: "@科室"}, "县妇幼保健院"},
			{"quotes and nul-free oddities", NewOpinion{Type: "opinion", UnitCode: "qingshan-thc", Submitter: "other",
				Content: `'; DROP TABLE opinions; -- 100% \ "引号"`, Dept: strings.Repeat("长", 200)}, "青山乡卫生院"},
			{"transcribed letter", NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "other",
				Content: "来信反映夜间急诊无人接诊。", Channel: "letter", ReceivedOn: "2026-03-28", Site: "局办公室收发室"}, "县人民医院"},
			{"qr", NewOpinion{Type: "praise", UnitCode: "county-hospital", Submitter: "patient",
				Content: "扫码留言：护士很好。", Channel: "qr", Site: "门诊大厅"}, "县人民医院"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				hash := newReceiptHash(t)
				id, err := s.CreateOpinion(ctx, tt.in, hash)
				if err != nil {
					t.Fatalf("CreateOpinion: %v", err)
				}
				want := Opinion{
					ID: id, Type: tt.in.Type, UnitCode: tt.in.UnitCode, UnitName: tt.unitName, Dept: tt.in.Dept,
					Submitter: tt.in.Submitter, Content: tt.in.Content, Contact: tt.in.Contact,
					Status: "received", CreatedOn: "2026-04-01",
					Channel: tt.in.Channel, ReceivedOn: tt.in.ReceivedOn, Site: tt.in.Site,
				}
				if want.Channel == "" {
					want.Channel = "web" // the default: every opinion before channels came from the web
				}
				byReceipt, err := s.OpinionByReceipt(ctx, hash)
				if err != nil {
					t.Fatalf("OpinionByReceipt: %v", err)
				}
				if !reflect.DeepEqual(byReceipt, want) {
					t.Errorf("OpinionByReceipt = %+v\nwant %+v", byReceipt, want)
				}
				byID, err := s.Opinion(ctx, id)
				if err != nil {
					t.Fatalf("Opinion(%s): %v", id, err)
				}
				if !reflect.DeepEqual(byID, want) {
					t.Errorf("Opinion(%s) = %+v\nwant %+v", id, byID, want)
				}
			})
		}
	})
}

func TestCreateOpinionDatesInChinaTime(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		tests := []struct {
			name, utc, want string
		}{
			{"evening UTC is next day in China", "2026-03-31T17:30:00Z", "2026-04-01"},
			{"just before China midnight", "2026-03-31T15:59:59Z", "2026-03-31"},
			{"China midnight", "2026-03-31T16:00:00Z", "2026-04-01"},
			{"new year", "2026-12-31T16:00:00Z", "2027-01-01"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				at, err := time.Parse(time.RFC3339, tt.utc)
				if err != nil {
					t.Fatal(err)
				}
				s := b.mustOpenClock(t, newClock(at))
				id := mustCreateOpinion(t, s, NewOpinion{})
				o, err := s.Opinion(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if o.CreatedOn != tt.want {
					t.Errorf("CreatedOn at %s = %q, want %q", tt.utc, o.CreatedOn, tt.want)
				}
			})
		}
	})
}

func TestOpinionIDs(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		seen := map[string]bool{}
		for i := 0; i < 30; i++ {
			id := mustCreateOpinion(t, s, NewOpinion{})
			if !dayIDPattern.MatchString(id) {
				t.Errorf("id %q is not 11 Crockford base-32 characters", id)
			}
			// The id's first three symbols are the code of the day it arrived (its created_on).
			o, err := s.Opinion(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if want := idDayCode(s.idKey, o.CreatedOn); id[:3] != want {
				t.Errorf("id %q does not begin with the code %q of its day %s", id, want, o.CreatedOn)
			}
			if seen[id] {
				t.Fatalf("id %q returned twice", id)
			}
			seen[id] = true
		}
		// The generator on its own: every symbol of the alphabet shows up, none outside it.
		symbols := map[rune]bool{}
		for i := 0; i < 2000; i++ {
			id := newOpinionID()
			if !crockfordID.MatchString(id) {
				t.Fatalf("newOpinionID() = %q, not Crockford base 32", id)
			}
			for _, r := range id {
				symbols[r] = true
			}
		}
		if got, want := len(symbols), 32; got != want {
			t.Errorf("newOpinionID used %d distinct symbols, want %d", got, want)
		}
	})
}

func TestCreateOpinionRejects(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		good := NewOpinion{Type: "complaint", UnitCode: "bureau", Submitter: "patient", Content: "x"}
		with := func(f func(*NewOpinion)) NewOpinion { n := good; f(&n); return n }
		tests := []struct {
			name      string
			in        NewOpinion
			wantErr   error // sentinel, or nil when only a CHECK failure is expected
			wantCheck bool
		}{
			{"unknown unit", with(func(n *NewOpinion) { n.UnitCode = "no-such-unit" }), ErrNotFound, false},
			{"empty unit", with(func(n *NewOpinion) { n.UnitCode = "" }), ErrNotFound, false},
			{"retired unit", with(func(n *NewOpinion) { n.UnitCode = "qingshan-thc" }), ErrNotFound, false},
			{"invalid type", with(func(n *NewOpinion) { n.Type = "rant" }), nil, true},
			{"empty type", with(func(n *NewOpinion) { n.Type = "" }), nil, true},
			{"invalid submitter", with(func(n *NewOpinion) { n.Submitter = "robot" }), nil, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := b.mustOpen(t)
				if _, err := s.write.Exec(`UPDATE units SET active = 0 WHERE code = 'qingshan-thc'`); err != nil {
					t.Fatal(err)
				}
				hash := newReceiptHash(t)
				id, err := s.CreateOpinion(ctx, tt.in, hash)
				if err == nil {
					t.Fatalf("CreateOpinion(%+v) = %q, nil; want an error", tt.in, id)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				if tt.wantCheck {
					if !isCheckFailure(err) {
						t.Errorf("err = %v, want a CHECK constraint failure", err)
					}
					if errors.Is(err, ErrConflict) {
						t.Errorf("err = %v: a bad code is not a conflict", err)
					}
				}
				if n := countRows(t, s, "opinions", ""); n != 0 {
					t.Errorf("%d opinions stored after a refused create, want 0", n)
				}
				if _, err := s.OpinionByReceipt(ctx, hash); !errors.Is(err, ErrNotFound) {
					t.Errorf("OpinionByReceipt after refused create: err = %v, want ErrNotFound", err)
				}
			})
		}
	})
}

func TestCreateOpinionDuplicateReceipt(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		hash := newReceiptHash(t)
		first, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "bureau", Submitter: "patient", Content: "一"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateOpinion(ctx, NewOpinion{Type: "praise", UnitCode: "bureau", Submitter: "family", Content: "二"}, hash)
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("second CreateOpinion with the same receipt hash: err = %v, want ErrConflict", err)
		}
		if got := countRows(t, s, "opinions", ""); got != 1 {
			t.Errorf("opinions = %d, want 1", got)
		}
		o, err := s.OpinionByReceipt(ctx, hash)
		if err != nil || o.ID != first || o.Content != "一" {
			t.Errorf("OpinionByReceipt = %+v, %v; want the first opinion %s", o, err, first)
		}
	})
}

func TestOpinionNotFound(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		mustCreateOpinion(t, s, NewOpinion{})
		for _, id := range []string{"", "0000000000", "nope", "' OR 1=1 --"} {
			if _, err := s.Opinion(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Opinion(%q): err = %v, want ErrNotFound", id, err)
			}
		}
		for _, h := range [][]byte{nil, {}, newReceiptHash(t)} {
			if _, err := s.OpinionByReceipt(ctx, h); !errors.Is(err, ErrNotFound) {
				t.Errorf("OpinionByReceipt(%x): err = %v, want ErrNotFound", h, err)
			}
		}
	})
}

// TestSchemaKeepsNoTraceOfSubmitter: no table may grow a column that could identify who sent an
// opinion or when exactly, and an opinion knows only its day.
func TestSchemaKeepsNoTraceOfSubmitter(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		cols := tableColumns(t, s) // table → columns, lower case
		if len(cols["opinions"]) == 0 || len(cols["users"]) == 0 || len(cols["audit_log"]) == 0 {
			t.Fatalf("schema not read: %v", cols)
		}

		identifying := []string{"agent", "device", "user_agent", "useragent", "remote", "addr", "fingerprint", "cookie"}
		for tbl, cs := range cols {
			for _, c := range cs {
				// "ip" as a word (ip, ip_address, client_ip, ipv4); "receipt" merely contains the letters.
				for _, word := range strings.Split(c, "_") {
					if word == "ip" || strings.HasPrefix(word, "ipv") || strings.HasPrefix(word, "ipaddr") {
						t.Errorf("%s.%s looks like an IP address column", tbl, c)
					}
				}
				for _, bad := range identifying {
					if strings.Contains(c, bad) {
						t.Errorf("%s.%s contains %q", tbl, c, bad)
					}
				}
			}
		}

		has := map[string]bool{}
		for _, c := range cols["opinions"] {
			has[c] = true
			if strings.Contains(c, "time") || strings.HasSuffix(c, "_at") {
				t.Errorf("opinions.%s holds a time; an opinion may only know its day", c)
			}
		}
		if !has["created_on"] {
			t.Errorf("opinions has no created_on column: %v", cols["opinions"])
		}
		if has["created_at"] {
			t.Errorf("opinions has a created_at column: %v", cols["opinions"])
		}
		for _, c := range cols["opinion_styles"] {
			if strings.Contains(c, "time") || strings.HasSuffix(c, "_at") || strings.HasSuffix(c, "_on") {
				t.Errorf("opinion_styles.%s dates a tag; it would date the opinion too", c)
			}
		}
	})
}
