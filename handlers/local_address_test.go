package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"minsheng/storage"
)

// Ensure that when the portal's public address is one people outside cannot open (-public-url
// set to a loopback, private or local name, or no -public-url and the page opened on such an
// address), nothing carrying it is printed: the poster page says so at the top and tells the
// clerk what to ask for instead of showing a QR code, the poster and QR downloads, the survey
// QR codes and the 评议码 slips are refused with the same explanation, the sites, surveys and
// evaluations pages warn, and a kiosk's receipt shows no QR code of /track.
func TestPrintsRefuseLocalAddresses(t *testing.T) {
	tests := []struct {
		name, publicURL, host, shown string
	}{
		{"-public-url loopback", "http://127.0.0.1:8080", "", "http://127.0.0.1:8080"},
		{"-public-url private", "http://192.168.1.20", "", "http://192.168.1.20"},
		{"-public-url local name", "http://minsheng:8080", "", "http://minsheng:8080"},
		{"opened on localhost", "", "http://localhost:8080", "http://localhost:8080"},
		{"opened on a private address", "", "http://10.0.0.7", "http://10.0.0.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []harnessOption
			if tt.publicURL != "" {
				opts = append(opts, withPublicURL(tt.publicURL))
			}
			h := newHarness(t, append(opts, withoutCaptcha)...)
			admin := loginSiteAdmin(t, h)
			code := addSite(t, admin, newSiteForm())
			at := func(path string) string { return tt.host + path } // absolute: the request's host
			warning := func(t *testing.T, where string, r *response, status int) {
				t.Helper()
				if r.Code != status {
					t.Fatalf("%s: status %d, want %d\n%s", where, r.Code, status, r.Body)
				}
				wantContains(t, r.Body, tt.shown, "-public-url", "MINSHENG_PUBLIC_URL", "信息科", "对外的网址", "手机")
			}

			r := admin.get(t, at("/admin/sites/"+code+"/poster"))
			warning(t, "poster page", r, http.StatusOK)
			wantContains(t, r.Body, `id="address-warning"`, "这张海报现在不能打印")
			wantNotContains(t, r.Body, `<article class="poster"`, "<svg", "poster.svg", "qr.png", "Ctrl")
			for _, p := range []string{"/poster.svg", "/qr.png"} {
				warning(t, p, admin.get(t, at("/admin/sites/"+code+p)), http.StatusConflict)
			}
			sites := admin.get(t, at("/admin/sites"))
			warning(t, "sites page", sites, http.StatusOK)
			wantContains(t, sites.Body, `id="address-warning"`, "自助留言机")

			survey, err := h.store.CreateSurvey(context.Background(), 0, storage.NewSurvey{Title: "门诊满意度",
				StartsOn: "2026-04-15", EndsOn: "2026-04-30", Scale: storage.ScaleThree, Units: []string{"county-hospital"},
				Items: []string{"挂号排队"}, ItemThreshold: 85, OverallThreshold: 90})
			if err != nil {
				t.Fatalf("CreateSurvey: %v", err)
			}
			surveys := admin.get(t, at("/admin/surveys"))
			warning(t, "surveys page", surveys, http.StatusOK)
			wantContains(t, surveys.Body, `id="address-warning"`)
			warning(t, "survey QR", admin.get(t, at("/admin/surveys/"+strconv.FormatInt(survey, 10)+"/qr.png?unit=county-hospital")),
				http.StatusConflict)

			if tt.host == "" { // a form posted to another host would be a cross-site request
				id := createEvaluation(t, h, admin, "局领导班子民主评议")
				warning(t, "evaluations page", admin.getCSRF(t, "/admin/evaluations"), http.StatusOK)
				r := admin.post(t, "/admin/evaluations/"+strconv.FormatInt(id, 10)+"/codes", url.Values{"count": {"5"}})
				warning(t, "print slips", r, http.StatusConflict)
				wantNotContains(t, r.Body, `class="slip-code"`)
				ev, err := h.store.Evaluation(context.Background(), id)
				if err != nil || ev.Issued != 0 {
					t.Errorf("after the refusal %d codes are issued (%v), want none", ev.Issued, err)
				}

				kiosk := kioskSite(t, h)
				done := h.browser()
				done.getCSRF(t, "/kiosk/"+kiosk.Code)
				r = done.post(t, "/kiosk/"+kiosk.Code, validOpinion())
				wantStatus(t, r, http.StatusOK)
				receiptOf(t, r)
				wantNotContains(t, r.Body, "<svg", "扫码打开查询页")
			}
		})
	}
}
