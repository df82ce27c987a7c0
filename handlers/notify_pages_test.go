package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// A person chooses how they are told; a wrong address is refused with the input kept.
func TestNotifyMine(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.staffAs(t, access.Liaison)
	r := b.getCSRF(t, "/admin/notify/mine")
	if !strings.Contains(r.Body, `value="assigned.inbox" checked`) || strings.Contains(r.Body, `value="assigned.email" checked`) {
		t.Fatalf("built-in defaults: the inbox only\n%s", r.Body)
	}
	cases := []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"bad address", url.Values{"email": {"not an address"}, "pref": {"assigned.email"}}, http.StatusUnprocessableEntity, `value="not an address"`},
		{"forged box", url.Values{"pref": {"gossip.email"}}, http.StatusUnprocessableEntity, "选项无法识别"},
		{"saved", url.Values{"email": {"liaison@hospital.example"}, "hourly": {"true"}, "pref": {"assigned.email", "overdue.webhook", "hot_spot.webhook"}}, http.StatusSeeOther, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := b.post(t, "/admin/notify/mine", c.form)
			if r.Code != c.code || !strings.Contains(r.Body, c.want) {
				t.Fatalf("status %d, want %d with %q\n%s", r.Code, c.code, c.want, r.Body)
			}
		})
	}
	r = b.get(t, "/admin/notify/mine")
	for _, want := range []string{`value="liaison@hospital.example"`, `name="hourly" value="true" checked`, `value="assigned.email" checked`, `value="overdue.webhook" checked`,
		`value="hot_spot.webhook" checked`, "新预警", "每天上午8点，按前一天为止的统计"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("after saving, the page lacks %s", want)
		}
	}
	if strings.Contains(r.Body, `value="assigned.inbox" checked`) {
		t.Error("an unticked box stayed on")
	}
}

// The admin page: only for administrators; the mail server's password is never shown; a bad
// robot address is refused with the input kept; role defaults apply to people of the role.
func TestAdminNotify(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	liaison := h.staffAs(t, access.Liaison)
	if r := liaison.get(t, "/admin/notify"); r.Code != http.StatusForbidden {
		t.Errorf("a liaison opens /admin/notify: %d", r.Code)
	}
	b := h.staffAs(t, access.Admin)
	b.getCSRF(t, "/admin/notify")
	cases := []struct {
		name, path string
		form       url.Values
		code       int
		want       string
	}{
		{"smtp: bad port", "/admin/notify/smtp", url.Values{"host": {"smtp.example.cn"}, "port": {"99999"}, "tls_mode": {"starttls"}, "sender": {"a@example.cn"}, "password": {"hunter2-secret"}}, 422, `value="smtp.example.cn"`},
		{"smtp: saved", "/admin/notify/smtp", url.Values{"host": {"smtp.example.cn"}, "port": {"465"}, "tls_mode": {"implicit"}, "sender": {"minsheng@example.cn"}, "username": {"ms"}, "password": {"hunter2-secret"}}, 303, ""},
		{"robot: bad address", "/admin/notify/robot", url.Values{"unit": {"county-hospital"}, "url": {"ftp://x"}, "format": {"wecom"}}, 422, `value="ftp://x"`},
		{"robot: unknown unit", "/admin/notify/robot", url.Values{"unit": {"nowhere"}, "url": {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, "format": {"wecom"}}, 400, ""},
		{"robot: saved", "/admin/notify/robot", url.Values{"unit": {"county-hospital"}, "url": {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, "format": {"wecom"}}, 303, ""},
		{"defaults: saved", "/admin/notify/defaults", url.Values{"role": {"liaison"}, "pref": {"assigned.inbox", "assigned.email", "assigned.webhook"}}, 303, ""},
		{"defaults: unknown role", "/admin/notify/defaults", url.Values{"role": {"king"}}, 400, ""},
		{"retry: unknown", "/admin/notify/retry", url.Values{"id": {"nope"}}, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := b.post(t, c.path, c.form)
			if r.Code != c.code || !strings.Contains(r.Body, c.want) {
				t.Fatalf("status %d, want %d with %q\n%s", r.Code, c.code, c.want, r.Body)
			}
			if strings.Contains(r.Body, "hunter2-secret") {
				t.Error("the password was written back into the page")
			}
		})
	}
	r := b.get(t, "/admin/notify")
	for _, want := range []string{`value="smtp.example.cn"`, `value="465"`, "已保存一个", `value="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("admin page lacks %s", want)
		}
	}
	if strings.Contains(r.Body, "hunter2-secret") {
		t.Error("the stored password is shown")
	}
	m, err := h.store.SMTPForSending(t.Context())
	if err != nil || m.Password != "hunter2-secret" || m.Port != 465 {
		t.Errorf("stored settings %+v (%v)", m, err)
	}
	// The liaison's defaults now send assigned work by e-mail and to the robot.
	users, _ := h.store.Users(t.Context())
	for _, u := range users {
		if u.Role == access.Liaison {
			c, err := h.store.EffectiveChoices(t.Context(), u.ID, u.Role, u.Unit)
			if err != nil || !c[storage.EventAssigned][storage.ChannelEmail] || !c[storage.EventAssigned][storage.ChannelWebhook] {
				t.Errorf("liaison's choices after the defaults: %v (%v)", c[storage.EventAssigned], err)
			}
		}
	}
}
