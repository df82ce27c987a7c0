package corpus_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"minsheng/sifeng"
)

// files are the corpus files, in the order the checks report them.
var files = []string{"train.jsonl", "train2.jsonl", "train3.jsonl", "train4.jsonl", "heldout.jsonl"}

// item is one line of a corpus file.
type item struct {
	Text           string   `json:"text"`
	Styles         []string `json:"styles"`
	Manifestations []string `json:"manifestations"`
	Families       []string `json:"families"`
}

// families are the secondary tag families of feature 27 of the requirements.
var families = []string{
	"eightrules", "threepublic", "duty_consumption", "favour_consumption", "official_cars",
	"office_space", "conduct", "kickbacks", "arbitrary_fees", "overtreatment",
	"refusing_patients", "service_attitude", "labour_discipline", "medical_safety",
	"environment_process", "enforcement", "safety_hazard", "praise",
}

// traditional holds common characters that change under Simplification; a line with any of
// them counts as written in Traditional script.
const traditional = "這個們來說對時會為過還沒麼樣後點問題開關幾從給讓現裡號醫護覺錢買賣報檢單種頭車門電話費場" +
	"辦經長領導應該東邊聽見請謝療藥診術務處實視體變間態發結當樓層壞隊預約掛證讀寫區縣鎮衛條萬夠紅" +
	"離線網專隨將準總雖難嗎聯記錄驗歲動屬產誰價氣學員無師鐘"

// official are the campaign's own words; patients mostly describe what happened instead, so
// only a minority of lines may use them.
var official = []string{
	"推诿", "扯皮", "门难进", "脸难看", "事难办", "形式主义", "官僚主义", "享乐主义", "奢靡", "走过场",
	"弄虚作假", "文山会海", "报喜不报忧", "形象工程", "政绩工程", "公款吃喝", "迎来送往", "小金库",
	"三公经费", "公车私用", "铺张浪费", "庸懒散", "不作为", "八项规定", "四风", "吃拿卡要", "欺上瞒下",
	"流于形式", "生冷硬",
	"推諉", "門難進", "臉難看", "事難辦", "形式主義", "官僚主義", "享樂主義", "走過場", "弄虛作假",
	"文山會海", "報喜不報憂", "政績工程", "迎來送往", "小金庫", "三公經費", "公車私用", "鋪張浪費",
	"庸懶散", "不作為", "八項規定", "四風", "欺上瞞下", "流於形式",
}

// load reads one corpus file, failing on any line that is not exactly one object with the
// four fields, each list present (possibly empty).
func load(t *testing.T, name string) []item {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var items []item
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(line, &raw); err != nil {
			t.Fatalf("%s:%d: %v", name, i+1, err)
		}
		if len(raw) != 4 {
			t.Errorf("%s:%d: %d fields, want text, styles, manifestations, families", name, i+1, len(raw))
		}
		for _, k := range []string{"styles", "manifestations", "families"} {
			if v, ok := raw[k]; !ok || string(v) == "null" {
				t.Errorf("%s:%d: %s missing or null (use [])", name, i+1, k)
			}
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var it item
		if err := dec.Decode(&it); err != nil {
			t.Fatalf("%s:%d: %v", name, i+1, err)
		}
		if strings.TrimSpace(it.Text) == "" {
			t.Errorf("%s:%d: empty text", name, i+1)
		}
		items = append(items, it)
	}
	return items
}

func isTraditional(s string) bool { return strings.ContainsAny(s, traditional) }

func usesOfficialWords(s string) bool {
	for _, w := range official {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestLabels(t *testing.T) {
	known := map[string]bool{}
	for _, f := range families {
		known[f] = true
	}
	for _, name := range files {
		for i, it := range load(t, name) {
			where := name + ":" + strconv.Itoa(i+1)
			listed := map[string]bool{}
			for _, s := range it.Styles {
				if !sifeng.Valid(s) {
					t.Errorf("%s: unknown style %q", where, s)
				}
				if listed[s] {
					t.Errorf("%s: style %q twice", where, s)
				}
				listed[s] = true
			}
			implied := map[string]bool{}
			seen := map[string]bool{}
			for _, m := range it.Manifestations {
				if !sifeng.ValidManifestation(m) {
					t.Errorf("%s: unknown manifestation %q", where, m)
					continue
				}
				if seen[m] {
					t.Errorf("%s: manifestation %q twice", where, m)
				}
				seen[m] = true
				st := sifeng.StyleOf(m)
				implied[st] = true
				if !listed[st] {
					t.Errorf("%s: manifestation %q without its style %q", where, m, st)
				}
			}
			// Every style an item carries is backed by at least one of its manifestations.
			for s := range listed {
				if !implied[s] {
					t.Errorf("%s: style %q without a manifestation", where, s)
				}
			}
			seen = map[string]bool{}
			for _, f := range it.Families {
				if !known[f] {
					t.Errorf("%s: unknown family %q", where, f)
				}
				if seen[f] {
					t.Errorf("%s: family %q twice", where, f)
				}
				seen[f] = true
			}
		}
	}
}

// TestNoNearDuplicates: no two texts share a 12-character run (spaces ignored), within a file,
// across the corpus files, or with the project's separate measuring sets in sifeng/testdata.
func TestNoNearDuplicates(t *testing.T) {
	type source struct {
		where string
		text  string
	}
	var all []source
	for _, name := range files {
		for i, it := range load(t, name) {
			all = append(all, source{name + ":" + strconv.Itoa(i+1), it.Text})
		}
	}
	tsvs, err := filepath.Glob(filepath.Join("..", "..", "sifeng", "testdata", "*.tsv"))
	if err != nil || len(tsvs) == 0 {
		t.Fatalf("sifeng/testdata: %v (%d files)", err, len(tsvs))
	}
	for _, name := range tsvs {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "#") || !strings.Contains(line, "\t") {
				continue
			}
			all = append(all, source{filepath.Base(name) + ":" + strconv.Itoa(i+1), strings.SplitN(line, "\t", 2)[1]})
		}
	}
	const n = 12
	first := map[string]int{}
	for k, s := range all {
		r := []rune(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s.text))
		for i := 0; i+n <= len(r); i++ {
			g := string(r[i : i+n])
			if j, ok := first[g]; ok && j != k {
				t.Errorf("%s and %s share %q", all[j].where, s.where, g)
				break
			}
			if _, ok := first[g]; !ok {
				first[g] = k
			}
		}
	}
}

// TestCounts holds the corpus to its brief: sizes, every manifestation and family represented
// in every file, the no-style majority, about a fifth to a quarter in Traditional script, few
// official words, short and long texts. train2.jsonl, written to make the training data
// larger, is held to tighter shares and higher minimums. train3.jsonl, aimed at the
// manifestations the suggester finds least well, must have at least 40 items for each of them.
// train4.jsonl, written to cover all four styles more evenly, must have at least 30 items for
// each of the fourteen manifestations it was written for and at least 8 for every other one.
func TestCounts(t *testing.T) {
	// focus are the manifestations train3.jsonl was written for: most of bureaucratism, the
	// lazy side of hedonism, and unsolid work and vanity projects.
	focus := map[string]int{
		"bureaucratism-aloof": 40, "bureaucratism-arbitrary": 40, "bureaucratism-cold": 40,
		"bureaucratism-slow": 40, "bureaucratism-hard": 40, "bureaucratism-buckpassing": 40,
		"hedonism-lazy": 40, "formalism-unsolid": 40, "formalism-vanity": 40,
	}
	// spread are the manifestations train4.jsonl was written to strengthen, over all four styles.
	spread := map[string]int{
		"hedonism-lazy": 30, "hedonism-absent": 30, "hedonism-complacent": 30, "hedonism-privilege": 30,
		"formalism-unsolid": 30, "formalism-falsify": 30, "formalism-meetings": 30, "formalism-goodnews": 30,
		"bureaucratism-cold": 30, "bureaucratism-aloof": 30, "bureaucratism-arbitrary": 30, "bureaucratism-slow": 30,
		"extravagance-waste": 30, "extravagance-banquets": 30,
	}
	for _, c := range []struct {
		name                string
		minLines            int
		minPerManifestation int
		higherMinimums      map[string]int // per manifestation, above minPerManifestation
		minPerFamily        int
		minNoStyle          float64 // shares of the file's lines
		maxNoStyle          float64
		minTraditional      float64
		maxTraditional      float64
		maxOfficial         float64 // exclusive
	}{
		{"train.jsonl", 850, 8, nil, 10, 0.55, 0.65, 0.17, 0.28, 0.15},
		{"train2.jsonl", 1500, 25, nil, 20, 0.55, 0.62, 0.22, 0.28, 0.05},
		{"train3.jsonl", 1500, 10, focus, 10, 0.55, 0.65, 0.22, 0.28, 0.05},
		{"train4.jsonl", 1200, 8, spread, 8, 0.50, 0.60, 0.22, 0.28, 0.05},
		{"heldout.jsonl", 250, 3, nil, 3, 0.55, 0.65, 0.17, 0.28, 0.15},
	} {
		items := load(t, c.name)
		if len(items) < c.minLines {
			t.Errorf("%s: %d lines, want at least %d", c.name, len(items), c.minLines)
		}
		perM, perF, perS, tradPerS := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
		var noStyle, trad, off, short, long, twoStyles int
		for _, it := range items {
			tr := isTraditional(it.Text)
			if tr {
				trad++
			}
			if usesOfficialWords(it.Text) {
				off++
			}
			switch l := len([]rune(it.Text)); {
			case l <= 15:
				short++
			case l >= 150:
				long++
			}
			if len(it.Styles) == 0 {
				noStyle++
			}
			if len(it.Styles) >= 2 {
				twoStyles++
			}
			for _, s := range it.Styles {
				perS[s]++
				if tr {
					tradPerS[s]++
				}
			}
			for _, m := range it.Manifestations {
				perM[m]++
			}
			for _, f := range it.Families {
				perF[f]++
			}
		}
		for _, m := range sifeng.Manifestations {
			want := c.minPerManifestation
			if n, ok := c.higherMinimums[m.Code]; ok && n > want {
				want = n
			}
			if perM[m.Code] < want {
				t.Errorf("%s: %s has %d items, want at least %d", c.name, m.Code, perM[m.Code], want)
			}
		}
		for code := range c.higherMinimums {
			if !sifeng.ValidManifestation(code) {
				t.Errorf("%s: minimum for unknown manifestation %q", c.name, code)
			}
		}
		for _, f := range families {
			if perF[f] < c.minPerFamily {
				t.Errorf("%s: family %s has %d items, want at least %d", c.name, f, perF[f], c.minPerFamily)
			}
		}
		for _, s := range sifeng.Styles {
			if tradPerS[s.Code]*10 < perS[s.Code] {
				t.Errorf("%s: %s has %d of %d items in Traditional script, want a tenth or more", c.name, s.Code, tradPerS[s.Code], perS[s.Code])
			}
		}
		total := float64(len(items))
		if share := float64(noStyle) / total; share < c.minNoStyle || share > c.maxNoStyle {
			t.Errorf("%s: %.1f%% have no style, want %.0f–%.0f%%", c.name, 100*share, 100*c.minNoStyle, 100*c.maxNoStyle)
		}
		if share := float64(trad) / total; share < c.minTraditional || share > c.maxTraditional {
			t.Errorf("%s: %.1f%% in Traditional script, want %.0f–%.0f%%", c.name, 100*share, 100*c.minTraditional, 100*c.maxTraditional)
		}
		if share := float64(off) / total; share >= c.maxOfficial {
			t.Errorf("%s: %.1f%% use the campaign's own words, want under %.0f%%", c.name, 100*share, 100*c.maxOfficial)
		}
		if short < 10 || long < 5 || twoStyles < 5 {
			t.Errorf("%s: %d short, %d long, %d with two styles; want at least 10, 5 and 5", c.name, short, long, twoStyles)
		}
		t.Logf("%s: %d lines, %d no style, %d Traditional, %d with official words, %d short, %d long, %d with two styles",
			c.name, len(items), noStyle, trad, off, short, long, twoStyles)
	}
}

// TestKeywords: keywords.json maps every manifestation and family code, and nothing else, to
// 3–12 distinct Simplified keywords of 2–8 characters each.
func TestKeywords(t *testing.T) {
	data, err := os.ReadFile("keywords.json")
	if err != nil {
		t.Fatal(err)
	}
	var kw map[string][]string
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&kw); err != nil {
		t.Fatalf("keywords.json: %v", err)
	}
	want := map[string]bool{}
	for _, m := range sifeng.Manifestations {
		want[m.Code] = true
	}
	for _, f := range families {
		want[f] = true
	}
	for code := range want {
		if _, ok := kw[code]; !ok {
			t.Errorf("keywords.json: no keywords for %s", code)
		}
	}
	for code, words := range kw {
		if !want[code] {
			t.Errorf("keywords.json: unknown code %q", code)
			continue
		}
		if len(words) < 3 || len(words) > 12 {
			t.Errorf("keywords.json: %s has %d keywords, want 3–12", code, len(words))
		}
		seen := map[string]bool{}
		for _, w := range words {
			if n := len([]rune(w)); n < 2 || n > 8 {
				t.Errorf("keywords.json: %s: %q has %d characters, want 2–8", code, w, n)
			}
			if strings.TrimSpace(w) != w || strings.ContainsFunc(w, unicode.IsSpace) {
				t.Errorf("keywords.json: %s: %q has spaces", code, w)
			}
			if isTraditional(w) {
				t.Errorf("keywords.json: %s: %q is in Traditional script, want Simplified", code, w)
			}
			if seen[w] {
				t.Errorf("keywords.json: %s: %q twice", code, w)
			}
			seen[w] = true
		}
	}
}
