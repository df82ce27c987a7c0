package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Ensure "minsheng report" writes each format of a seeded database's report, reads every
// spelling of a period, and never overwrites a file.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, err := runCmd(t, "seed", "-db", db, "-n", "300", "-months", "3"); err != nil {
		t.Fatal(err)
	}
	month := time.Now().Format("2006-01")
	tests := []struct {
		name, format, file, period string
		check                      func(t *testing.T, path string)
	}{
		{"docx", "docx", "r.docx", month, func(t *testing.T, path string) {
			z, err := zip.OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			defer z.Close()
			doc := ""
			for _, f := range z.File {
				if f.Name == "word/document.xml" {
					rc, err := f.Open()
					if err != nil {
						t.Fatal(err)
					}
					b := new(strings.Builder)
					_, err = io.Copy(b, rc)
					rc.Close()
					if err != nil {
						t.Fatal(err)
					}
					doc = b.String()
				}
			}
			if !strings.Contains(doc, "一、基本情况") || !strings.Contains(doc, "本月共收到意见建议") {
				t.Errorf("document.xml lacks the narrative: %.300s", doc)
			}
		}},
		{"xlsx from the extension", "", "r.xlsx", fmt.Sprintf("%d-Q%d", time.Now().Year(), (int(time.Now().Month())+2)/3), func(t *testing.T, path string) {
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); len(sheets) < 10 || sheets[0] != "报告" {
				t.Errorf("sheets = %q", sheets)
			}
		}},
		{"html of a range", "html", "r.html", month + "-01.." + time.Now().Format("2006-01-02"), func(t *testing.T, path string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if page := string(b); !strings.Contains(page, "<svg") || !strings.Contains(page, "一、基本情况") || strings.Contains(page, "<script") {
				t.Errorf("page: %.300s", page)
			}
		}},
		{"html of a year", "html", "y.html", month[:4], func(t *testing.T, path string) {
			if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), "本年度共收到意见建议") {
				t.Errorf("year page: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			args := []string{"report", "-db", db, "-period", tt.period, "-o", path}
			if tt.format != "" {
				args = append(args, "-format", tt.format)
			}
			out, err := runCmd(t, args...)
			if err != nil || !strings.Contains(out, "wrote the summary report") {
				t.Fatalf("%v: %q, %v", args, out, err)
			}
			tt.check(t, path)
		})
	}

	t.Run("refuses to overwrite", func(t *testing.T) {
		path := filepath.Join(dir, "r.docx")
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := runCmd(t, "report", "-db", db, "-period", month, "-o", path); err == nil || !strings.Contains(err.Error(), "not overwritten") {
			t.Errorf("err = %v, want a refusal", err)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Error("the existing file was changed")
		}
	})

	for _, args := range [][]string{
		{"-period", "2026-13", "-o", filepath.Join(dir, "a.docx")},
		{"-period", "2026-12", "-o", filepath.Join(dir, "a.pdf")},
		{"-period", "2026-12", "-kind", "weekly", "-o", filepath.Join(dir, "a.docx")},
		{"-period", "2026-12", "-unit", "no-such-unit", "-o", filepath.Join(dir, "a.docx")},
		{"-period", "2026-12"},
	} {
		_, err := runCmd(t, append([]string{"report", "-db", db}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.docx")); !os.IsNotExist(err) {
		t.Error("a refused command left a file behind")
	}
}
