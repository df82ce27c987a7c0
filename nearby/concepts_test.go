package nearby

import "testing"

// Ensure the concepts put two tellings of one thing in their own words under one concept, take
// the longest word (不耐烦 is no 耐心 praise, 不满意 no 满意), and keep two things apart.
func TestConceptsOf(t *testing.T) {
	concept := func(name string) Concepts {
		for i, n := range conceptNames {
			if n == name {
				var c Concepts
				c.with(i)
				return c
			}
		}
		t.Fatalf("no concept %s", name)
		return Concepts{}
	}
	for _, c := range []struct {
		text string
		want Concepts
	}{
		{"县医院挂不上号", concept("挂号难")},
		{"抢号抢了五回没抢到", concept("挂号难")},
		{"护士甩脸色", concept("态度差")},
		{"收费窗口的人不耐烦", concept("态度差")},
		{"对这次看病不满意", Concepts{}},
		{"医生很耐心", concept("表扬")},
		{"中午在办公室喝酒", concept("饮酒")},
		{"上班时间玩手机", concept("上班玩")},
		{"药房没人，找不到人", concept("脱岗")},
		{"去窗口拿药", concept("发药取药")},
		{"献血车上不让休息", concept("献血用血")},
		{"多收了我两百块钱", concept("乱收费")},
		{"天气很好", Concepts{}},
	} {
		if got := ConceptsOf(c.text); got != c.want {
			t.Errorf("ConceptsOf(%q) = %x, want %x", c.text, got, c.want)
		}
	}
	if got := conceptContainment(ConceptsOf("县医院挂不上号，医生态度差"), ConceptsOf("抢号抢了五回没抢到")); got != 1 {
		t.Errorf("containment of a paraphrase = %.2f, want 1 (the shorter's one concept held)", got)
	}
	if got := conceptContainment(ConceptsOf("县医院挂不上号"), ConceptsOf("护士甩脸色")); got != 0 {
		t.Errorf("containment of two things = %.2f, want 0", got)
	}
	if got := conceptContainment(ConceptsOf("天气很好"), ConceptsOf("护士甩脸色")); got != 0 {
		t.Errorf("containment with a text of no concept = %.2f, want 0", got)
	}
}

// Ensure a concept anchor asks for the concept's other words beside the text's place, and
// none without a place.
func TestConceptAnchors(t *testing.T) {
	var st Counts
	for _, x := range []string{"人民医院网上抢号抢不到", "县医院号源太少", "中医院挂号排队"} {
		st.Add(Terms(x))
	}
	got := ConceptAnchors("县医院挂不上号", &st, 2)
	if len(got) != 1 {
		t.Fatalf("ConceptAnchors = %v, want one", got)
	}
	words := map[string]bool{}
	for _, w := range got[0].Words {
		words[w] = true
	}
	if !words["抢号"] || !words["号源"] || got[0].Word != got[0].Words[0] {
		t.Errorf("concept anchor %v: want 抢号 and 号源 among its words, Word its first", got[0])
	}
	if a := ConceptAnchors("挂不上号", &st, 2); len(a) != 0 {
		t.Errorf("ConceptAnchors without a place = %v, want none", a)
	}
}
