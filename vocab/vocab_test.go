package vocab

import (
	"testing"

	"minsheng/locale"
)

func TestLabelAndValid(t *testing.T) {
	tests := []struct {
		name  string
		terms []Term
		code  string
		label string
		valid bool
	}{
		{"type", Types, "report", "举报", true},
		{"praise", Types, "praise", "表扬", true},
		{"submitter", Submitters, "family", "家属", true},
		{"unknown type keeps its code", Types, "rumour", "rumour", false},
		{"empty", Submitters, "", "", false},
		{"case matters", Types, "Report", "Report", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LabelIn(locale.Get(locale.Default), tt.terms, tt.code); got != tt.label {
				t.Errorf("Label = %q, want %q", got, tt.label)
			}
			if got := Valid(tt.terms, tt.code); got != tt.valid {
				t.Errorf("Valid = %v, want %v", got, tt.valid)
			}
		})
	}
}

func TestTermIn(t *testing.T) {
	tests := []struct {
		name  string
		terms []Term
		code  string
		lang  string
		label string
	}{
		{"zh-CN is Label", Channels, "kiosk", locale.ZhCN, "自助留言机"},
		{"zh-Hant", Channels, "kiosk", locale.ZhHant, "自助留言機"},
		{"en keeps the official term", Channels, "box", locale.En, "Suggestion box (意见箱)"},
		{"en submitter", Submitters, "family", locale.En, "Family member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, term := range tt.terms {
				if term.Code != tt.code {
					continue
				}
				if got := term.In(locale.Get(tt.lang)); got != tt.label {
					t.Errorf("In(%s) = %q, want %q", tt.lang, got, tt.label)
				}
				if want := locale.Get(locale.ZhCN).T(term.Key); term.Label != want {
					t.Errorf("Label = %q, want the zh-CN message %q", term.Label, want)
				}
				return
			}
			t.Fatalf("no term %q", tt.code)
		})
	}
}
