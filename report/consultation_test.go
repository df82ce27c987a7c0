package report

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestConsultationInTheFrozenJSON: a report whose draft was never opened for comment has no
// "consultation" key in its canonical JSON (so reports issued before feature 63 keep their bytes
// and SHA-256); one that was carries its count and what changed.
func TestConsultationInTheFrozenJSON(t *testing.T) {
	r, _ := decemberReport()
	plain, err := r.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte(`"consultation"`)) {
		t.Errorf("a report never opened for comment has a consultation in its JSON")
	}
	r.Consultation = &Consultation{From: "2026-12-20", To: "2026-12-28", Comments: 0}
	none, err := r.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(none, []byte(`"consultation":{"from":"2026-12-20","to":"2026-12-28","comments":0}`)) {
		t.Errorf("a consultation with no comments is not said: %s", none[len(none)-200:])
	}
	r.Consultation = nil
	again, _ := r.Canonical()
	if Sum(again) != Sum(plain) {
		t.Errorf("the same report gave another SHA-256 once its consultation was taken off")
	}
}

// TestConsultationInTheWriters: the lines under the title say the period and how many comments
// came, and the .docx and the HTML page say what changed after them.
func TestConsultationInTheWriters(t *testing.T) {
	r, zh := decemberReport()
	r.Consultation = &Consultation{From: "2026-12-20", To: "2026-12-28", Comments: 1, Changes: "根据意见，写明了上午挂号最挤的时段。"}
	line := "征求意见：2026-12-20至2026-12-28，共收到意见 1 条。"
	if got := r.ConsultationLine(zh); got != line {
		t.Errorf("ConsultationLine = %q, want %q", got, line)
	}
	if meta := strings.Join(r.MetaLines(zh), "\n"); !strings.Contains(meta, line) {
		t.Errorf("MetaLines lack the consultation:\n%s", meta)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, r, zh); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{line, "根据意见作了哪些修改", r.Consultation.Changes} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r, zh); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, _ := f.Open()
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{line, "根据意见作了哪些修改", r.Consultation.Changes} {
			if !strings.Contains(string(b), want) {
				t.Errorf("document.xml lacks %q", want)
			}
		}
	}
	r.Consultation = nil
	if strings.Contains(strings.Join(r.MetaLines(zh), "\n"), "征求意见") {
		t.Errorf("a report never opened for comment speaks of comments")
	}
}
