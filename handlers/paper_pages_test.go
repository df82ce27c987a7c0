package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"minsheng/storage"
)

// paperWorld is what the pages of #16's paper slice show: a meeting with its opinions, a site
// for the paper form, and the channel directory filled in.
type paperWorld struct {
	meeting, site string
	data          []string // the Chinese the staff typed, which pages show as data
}

const (
	paperHost       = "分管副院长刘某"
	paperOpinion    = "住院部晚上太吵，建议加强夜间管理。"
	paperSite       = "住院部护士站意见箱"
	paperPost       = "院办公室主任"
	paperCommitment = "首诊负责制：首位接诊医生负责到底。"
	paperHours      = "工作日上午八点半到下午五点半"
)

func newPaperWorld(t *testing.T, h *harness) paperWorld {
	t.Helper()
	ctx := context.Background()
	id, _, err := h.store.RecordSymposium(ctx, 0, storage.NewSymposium{HeldOn: "2026-04-10", UnitCode: "county-hospital",
		Host: paperHost, Categories: []string{"staff", "patient"}, Participants: 12,
		Opinions: []storage.NewOpinion{{Type: "suggestion", UnitCode: "county-hospital", Submitter: "patient", Content: paperOpinion,
			Channel: "forum", ReceivedOn: "2026-04-10"}},
		Hashes: [][]byte{[]byte("paper-world-receipt-hash-0000001")}})
	if err != nil {
		t.Fatalf("RecordSymposium: %v", err)
	}
	site, err := h.store.AddSite(ctx, storage.NewSite{Name: paperSite, UnitCode: "county-hospital"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	if err := h.store.SetDirectoryContacts(ctx, 0, storage.Contacts{ComplaintPhone: "0816-1234567", ReportPhone: "0816-7654321",
		SupervisionPhone: "12320", Email: "xinxiang@example.gov.cn", Hours: paperHours}); err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetUnitDirectory(ctx, 0, storage.UnitDirectory{UnitCode: "county-hospital", LiaisonPost: paperPost,
		Commitments: []string{paperCommitment}}); err != nil {
		t.Fatal(err)
	}
	return paperWorld{meeting: strconv.FormatInt(id, 10), site: site.Code,
		data: []string{paperHost, paperOpinion, paperSite, paperPost, paperCommitment, paperHours}}
}

// paperPages are the pages of the meetings, the paper form and the channel directory.
func paperPages(w paperWorld) []pageCase {
	get := http.MethodGet
	return []pageCase{
		{"directory", "public", get, "/qudao", nil, 200, []string{"联系渠道与服务承诺", "0816-1234567", paperSite, paperPost, paperCommitment}},
		{"directory admin", "admin", get, "/admin/qudao", nil, 200, []string{"联系渠道与服务承诺", `value="` + paperPost + `"`, paperCommitment}},
		{"symposia", "reviewer", get, "/admin/symposia", nil, 200, []string{"座谈会记录", paperHost}},
		{"symposium new", "reviewer", get, "/admin/symposia/new", nil, 200, []string{"记录座谈会", `name="content_5"`}},
		{"symposium", "reviewer", get, "/admin/symposia/" + w.meeting, nil, 200, []string{paperHost, paperOpinion, "待梳理"}},
		{"symposium refused", "reviewer", http.MethodPost, "/admin/symposia", nil, 422, []string{"请填写主持人的姓名或职务。"}},
		{"paper forms", "reviewer", get, "/admin/paper", nil, 200, []string{"征求意见表", paperSite}},
		{"paper form of a site", "reviewer", get, "/admin/paper/site/" + w.site, nil, 200, []string{"征求意见表：县人民医院", "录入收回的意见表"}},
		{"paper form of a unit", "reviewer", get, "/admin/paper/unit/county-hospital", nil, 200, []string{"征求意见表：县人民医院"}},
		{"report draft with meetings", "reviewer", get, "/admin/reports/draft?period=2026-04", nil, 200, []string{"各单位座谈会情况", "召开场次"}},
	}
}
