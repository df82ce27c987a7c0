package nearby

import "testing"

// Ensure the details tell two facts on one topic apart (another document, another doctor by
// surname, another amount, another time of day) and keep one fact told twice together.
func TestDetailsOf(t *testing.T) {
	for _, c := range []struct {
		a, b        string
		other       int     // kinds named by both with nothing in common
		containment float64 // the share of the fewer details the other names
	}{
		{"出院证明把性别写错了", "接种证把出生日期写错了", 1, 0},
		{"出院证明把性别写错了", "出院证上性别是错的", 0, 1},
		{"张医生态度差", "李医生态度差", 1, 0.5},  // 医生 shared, the surnames not
		{"多收了我两百块钱", "多收了200元", 0, 1}, // one amount, in numerals and in figures
		{"多收了我两百块钱", "多收了三十块", 1, 0},
		{"献血屋周末关门", "献血屋中午关门", 1, 0},
		{"等了3个小时", "等了三小时", 0, 1},
		{"电话是138****5678", "电话是139****1234", 0, 0}, // masked numbers are no amounts
		{"一直没人管", "天气很好", 0, 0},
	} {
		a, b := DetailsOf(c.a), DetailsOf(c.b)
		if got := otherDetails(a, b); got != c.other {
			t.Errorf("%q / %q: %d kinds with nothing in common, want %d (%x / %x)", c.a, c.b, got, c.other, a, b)
		}
		if got := detailContainment(a, b); got != c.containment {
			t.Errorf("%q / %q: containment %.2f, want %.2f (%x / %x)", c.a, c.b, got, c.containment, a, b)
		}
	}
}

// Ensure the Chinese numerals are read as numbers (an amount is compared by value).
func TestChineseNumber(t *testing.T) {
	for text, want := range map[string]int64{"三": 3, "十五": 15, "两百": 200, "三千五百": 3500, "二十四": 24, "一万二千": 12000, "十": 10} {
		if got, next, ok := chineseNumber(text, 0); !ok || got != want || next != len(text) {
			t.Errorf("chineseNumber(%q) = %d, %d, %v; want %d", text, got, next, ok, want)
		}
	}
}

// Ensure praise is found in plain words and not when negated.
func TestPraiseWords(t *testing.T) {
	for text, want := range map[string]float64{
		"护士很耐心，谢谢":        1,
		"护士打针前都核对名字，让人放心": 0.5,
		"护士不耐心":           0,
		"医生一点也不负责":        0,
		"挂号处的人骂人":         0,
		"报销不及时":           0,
	} {
		if got := PraiseWords(text); got != want {
			t.Errorf("PraiseWords(%q) = %.1f, want %.1f", text, got, want)
		}
	}
}
