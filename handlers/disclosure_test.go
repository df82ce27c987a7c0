package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// A submitter's personal data, as the disclosure tests plant it: a contact the person chose to
// leave (a WeChat ID and a phone number, which redact masks) and a phone number written into
// the text (which it also masks).
const (
	plantedWeChat    = "wxid_patient88"
	plantedContact   = "微信 " + plantedWeChat + "，电话 13900001111"
	plantedPhone     = "13812345678"
	plantedContent   = "电话" + plantedPhone + "，挂号排队三个小时没人管。"
	maskedPhone      = "138******78" // redact.Mask(plantedPhone)
	maskedContactNum = "139******11" // redact.Mask("13900001111")
)

// xlsxText is every cell of every sheet of an XLSX body, one per line.
func xlsxText(t *testing.T, body string) string {
	t.Helper()
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("excelize.OpenReader: %v", err)
	}
	defer x.Close()
	var b strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\n") + "\n")
		}
	}
	return b.String()
}

// TestDisclosureByRoleAndFile: the item page, the queue, the ledger page and every file a role
// may download show the submitter's contact and the numbers in the text by one rule. The
// contact is for those who may reach the person (admin, reviewer, discipline), as written, and
// for nobody else; numbers in the text are masked for all but admin and discipline.
func TestDisclosureByRoleAndFile(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	ctx := context.Background()
	// An opinion about the TCM hospital whose work is led by the county hospital: every role
	// but discipline sees it (the leader through the unit, the liaison through the lead unit);
	// the same words as a 举报 for discipline.
	var ids []string
	for _, typ := range []string{"complaint", "report"} {
		id, _ := w.h.seed(t, storage.NewOpinion{Type: typ, UnitCode: "tcm-hospital", Content: plantedContent, Contact: plantedContact})
		w.h.walkTo(t, 0, id, lifecycle.Triaged)
		if err := w.h.store.Transition(ctx, 0, id, fullStep(lifecycle.Assigned, "")); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	tests := []struct {
		role          string
		id            string
		contact, nums bool // sees the contact; sees the numbers in the text unmasked
		files         bool // may download the monthly and ledger files
	}{
		{"admin", ids[0], true, true, true},
		{"reviewer", ids[0], true, false, true},
		{"discipline", ids[1], true, true, true},
		{"supervisor", ids[0], false, false, true},
		{"liaison-county", ids[0], false, false, false},
		{"leader-tcm", ids[0], false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			b := w.browsers[tt.role]
			check := func(what, body string, hasContact bool) {
				t.Helper()
				if !strings.Contains(body, tt.id) {
					t.Fatalf("%s does not hold opinion %s", what, tt.id)
				}
				if hasContact {
					if tt.contact {
						wantContains(t, body, plantedContact)
					} else {
						wantNotContains(t, body, plantedWeChat, "13900001111", maskedContactNum)
					}
				}
				if tt.nums {
					wantContains(t, body, plantedPhone)
				} else {
					wantNotContains(t, body, plantedPhone)
					wantContains(t, body, maskedPhone)
				}
			}
			page := b.get(t, "/admin/opinions/"+tt.id)
			wantStatus(t, page, http.StatusOK)
			check("item page", page.Body, true)
			queue := b.get(t, "/admin/queue")
			wantStatus(t, queue, http.StatusOK)
			check("queue", queue.Body, false)
			ledgers := b.get(t, "/admin/ledgers?ledger=problem")
			wantStatus(t, ledgers, http.StatusOK)
			check("ledger page", ledgers.Body, false)

			csv := b.get(t, "/admin/export?month=2026-04&format=csv")
			xlsx := b.get(t, "/admin/export?month=2026-04&format=xlsx")
			ledgerFile := b.get(t, "/admin/ledgers/export")
			if !tt.files {
				for _, r := range []*response{csv, xlsx, ledgerFile} {
					wantStatus(t, r, http.StatusForbidden)
					wantNotContains(t, r.Body, plantedWeChat, plantedPhone, maskedPhone)
				}
				return
			}
			wantStatus(t, csv, http.StatusOK)
			check("CSV", csv.Body, true)
			wantStatus(t, xlsx, http.StatusOK)
			check("XLSX", xlsxText(t, xlsx.Body), true)
			wantStatus(t, ledgerFile, http.StatusOK)
			check("ledger XLSX", xlsxText(t, ledgerFile.Body), false)
		})
	}
}

// TestDisclosureEvaluationAndSurveyText: what attendees and patients write into the evaluation
// and survey forms follows the same rule as an opinion's text: numbers masked for every role
// without SeeIdentifiers (the supervision group reads the evaluations; reviewers the surveys),
// on the page and in the file.
func TestDisclosureEvaluationAndSurveyText(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	h := w.h
	id := createEvaluation(t, h, w.browsers["admin"], "领导班子作风民主评议")
	codes := printSlips(t, w.browsers["admin"], id, 5)
	pub := h.browser()
	pub.getCSRF(t, "/pingyi")
	for i, code := range codes {
		suggestion := ""
		if i == 0 {
			suggestion = "请打我电话" + plantedPhone + "详谈"
		}
		if r := pub.post(t, "/pingyi/answer", answer(code, "good", suggestion, "formalism-meetings")); r.Code != http.StatusSeeOther {
			t.Fatalf("answer %d: status %d\n%s", i, r.Code, r.Body)
		}
	}
	sup := w.browsers["supervisor"]
	summary := "/admin/evaluations/" + strconv.FormatInt(id, 10)
	for what, body := range map[string]string{
		"evaluation page": sup.get(t, summary).Body,
		"evaluation XLSX": xlsxText(t, sup.get(t, summary+"/export").Body),
	} {
		if !strings.Contains(body, "详谈") {
			t.Fatalf("%s does not show the suggestion", what)
		}
		wantNotContains(t, body, plantedPhone)
		wantContains(t, body, maskedPhone)
	}

	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	err := h.store.AnswerSurvey(context.Background(), storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital",
		Comment: "药房的电话" + plantedPhone + "总打不通", Values: map[int64]int{sv.Items[0].ID: 3, sv.Items[1].ID: 3}})
	if err != nil {
		t.Fatal(err)
	}
	results := "/admin/surveys/" + strconv.FormatInt(sv.ID, 10)
	for role, raw := range map[string]bool{"admin": true, "reviewer": false, "supervisor": false} {
		body := w.browsers[role].get(t, results).Body
		if !strings.Contains(body, "总打不通") {
			t.Fatalf("%s: the survey page does not show the comment", role)
		}
		if raw {
			wantContains(t, body, plantedPhone)
		} else {
			wantNotContains(t, body, plantedPhone)
			wantContains(t, body, maskedPhone)
		}
	}
}
