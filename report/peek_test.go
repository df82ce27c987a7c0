package report

import (
	"fmt"
	"testing"

	"minsheng/locale"
)

func TestPeek(t *testing.T) {
	c, q := december()
	for _, lang := range []string{"zh-CN", "en"} {
		r := build(c, q, Summary, locale.Get(lang), testUnits, testTags)
		fmt.Println(r.Title)
		for _, part := range r.Narrative.Parts() {
			fmt.Println(locale.Get(lang).T(part.Key))
			fmt.Println(part.Text)
		}
	}
}
