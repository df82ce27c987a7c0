package redact

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"minsheng/locale"
)

// TestFind is the table of true and false positives. want lists "kind:text" of each match in
// order; mask, when set, is Mask's exact output.
func TestFind(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
		mask string
	}{
		// 身份证号
		{"ID with X check character", "我的身份证号11010519491231002X，请保密。",
			[]string{"id_card:11010519491231002X"}, "我的身份证号110*************2X，请保密。"},
		{"ID with lower-case x", "身份证 34052419800101001x", []string{"id_card:34052419800101001x"}, "身份证 340*************1x"},
		{"ID with digit check", "证件号码：440304200002291236。", []string{"id_card:440304200002291236"}, "证件号码：440*************36。"},
		{"ID born on 29 February of a leap year", "440304200002291236", []string{"id_card:440304200002291236"}, ""},
		{"wrong check digit is not an ID", "号码440304200002291237不对", nil, "号码440304200002291237不对"},
		{"impossible date 30 February", "310101199002301234", nil, ""},
		{"impossible month 13", "310101199013011234", nil, ""},
		{"region starting 9 is not an ID", "910105194912310020", nil, ""},
		{"X in the middle is not an ID", "1101051949123100X2", nil, ""},
		{"ID written in groups", "身份证 110105 19491231 002X 谢谢", []string{"id_card:110105 19491231 002X"}, "身份证 110*** ******** **2X 谢谢"},
		{"Luhn-valid ID is reported once, as an ID", "620102198506153216", []string{"id_card:620102198506153216"}, "620*************16"},
		{"another Luhn-valid ID", "号 340524199003071005 号", []string{"id_card:340524199003071005"}, ""},
		{"15-digit old ID is not detected", "老身份证340524800101001", nil, ""},
		{"ID glued to letters is a code", "编号AB11010519491231002X", nil, ""},

		// 手机号
		{"mobile", "请打13800138000联系我", []string{"mobile:13800138000"}, "请打138******00联系我"},
		{"mobile with +86 and spaces", "电话 +86 138 0013 8000。", []string{"mobile:+86 138 0013 8000"}, "电话 +86 138 **** **00。"},
		{"mobile with 86 and no plus", "8613912345678", []string{"mobile:8613912345678"}, "86139******78"},
		{"mobile with dashes", "手机：139-1234-5678", []string{"mobile:139-1234-5678"}, "手机：139-****-**78"},
		{"mobile starting 19", "19912345678", []string{"mobile:19912345678"}, ""},
		{"11 digits starting 12 are not a mobile", "12345678901", nil, ""},
		{"11 digits starting 10 are not a mobile", "10012345678", nil, ""},
		{"mobile inside a longer order number", "订单号2024041513800138000123已付款", nil, ""},
		{"10 digits are not a mobile", "1380013800", nil, ""},
		{"mobile in a hex code", "nonce a13800138000f", nil, ""},
		{"mobile next to a date", "2024-04-15 13800138000", []string{"mobile:13800138000"}, "2024-04-15 138******00"},
		{"mobile in full-width digits", "手机１３８００１３８０００。", []string{"mobile:１３８００１３８０００"}, "手机１３８******００。"},

		// 固定电话
		{"landline with dash", "办公室0551-12345678", []string{"landline:0551-12345678"}, "办公室0551-******78"},
		{"landline in brackets", "(0551)1234567", []string{"landline:(0551)1234567"}, "(0551)*****67"},
		{"landline in full-width brackets and dash", "电话（０５５１）－６５１２３４５", []string{"landline:（０５５１）－６５１２３４５"}, "电话（０５５１）－*****４５"},
		{"Beijing landline, 3-digit area", "010-87654321", []string{"landline:010-87654321"}, "010-******21"},
		{"landline written together", "055112345678", []string{"landline:055112345678"}, "0551******78"},
		{"landline with wrong area length", "055-1234567", nil, ""},
		{"local number starting 0", "0551-01234567", nil, ""},
		{"date is not a landline", "2024-04-15 上午", nil, ""},

		// 病历号 / 住院号
		{"admission number after 住院号", "住院号：ZY20240012，床位12", []string{"medical_record:ZY20240012"}, "住院号：**********，床位12"},
		{"medical record with 是", "病历号是 123456", []string{"medical_record:123456"}, "病历号是 ******"},
		{"outpatient number full-width colon", "门诊号：Ａ１２３４５６", []string{"medical_record:Ａ１２３４５６"}, "门诊号：*******"},
		{"ID号 in lower case", "id号:778899", []string{"medical_record:778899"}, ""},
		{"就诊卡号 with an 11-digit value wins over mobile", "就诊卡号 13800138000", []string{"medical_record:13800138000"}, "就诊卡号 ***********"},
		{"bare number without keyword", "床位 123456，三楼", nil, ""},
		{"keyword with too short value", "住院号 12345", nil, ""},
		{"keyword with too long value", "住院号 ZY2024001234567", nil, ""},
		{"keyword with letters only", "门诊号 ABCDEFG", nil, ""},

		// 银行卡号
		{"Luhn-valid UnionPay card", "卡号6222021234567894", []string{"bank_card:6222021234567894"}, "卡号622***********94"},
		{"Luhn-invalid 16 digits", "6222021234567895", nil, ""},
		{"card in groups of four", "退款到 6222 0212 3456 7894 。", []string{"bank_card:6222 0212 3456 7894"}, "退款到 622* **** **** **94 。"},
		{"19-digit card", "6217001234567890122", []string{"bank_card:6217001234567890122"}, ""},
		{"Luhn-valid but starting 9", "9222021234567891", nil, ""},

		// 电子邮箱
		{"email", "邮箱zhangsan@163.com谢谢", []string{"email:zhangsan@163.com"}, "邮箱z*******@***.com谢谢"},
		{"short email", "a.b@qq.com", []string{"email:a.b@qq.com"}, "***@qq.com"},
		{"email whose local part is a mobile", "13800138000@139.com", []string{"email:13800138000@139.com"}, "***********@***.com"},
		{"full-width at sign", "ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ", []string{"email:ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ"}, "ｗ***＠ｅｘａｍｐｌｅ．ｃｎ"},
		{"at without domain", "@张医生 你好", nil, ""},

		// 混合
		{"plain complaint", "收费处排队两个小时，窗口只开了一个，工作人员还在聊天。", nil, "收费处排队两个小时，窗口只开了一个，工作人员还在聊天。"},
		{"several in one text",
			"我叫王某，身份证11010519491231002X，手机13800138000，家里0551-6512345，住院号ZY20240012，邮箱wang@qq.com。",
			[]string{"id_card:11010519491231002X", "mobile:13800138000", "landline:0551-6512345",
				"medical_record:ZY20240012", "email:wang@qq.com"},
			"我叫王某，身份证110*************2X，手机138******00，家里0551-*****45，住院号**********，邮箱w***@qq.com。"},
		{"landline and mobile in one run", "0551-1234567 13800138000", []string{"landline:0551-1234567", "mobile:13800138000"},
			"0551-*****67 138******00"},
		{"already masked text", "手机138****5678", nil, ""},
		{"markdown emphasis around a mobile", "**13800138000**", []string{"mobile:13800138000"}, "**138******00**"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range Find(tt.text) {
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("offsets [%d:%d] give %q, Text is %q", m.Start, m.End, tt.text[m.Start:m.End], m.Text)
				}
				got = append(got, string(m.Kind)+":"+m.Text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			masked := Mask(tt.text)
			if tt.mask != "" && masked != tt.mask {
				t.Errorf("Mask(%q)\n got %q\nwant %q", tt.text, masked, tt.mask)
			}
			if tt.want == nil && masked != tt.text {
				t.Errorf("Mask changed text without matches: %q", masked)
			}
			if again := Find(masked); len(again) != 0 {
				t.Errorf("Find(Mask) = %v, want nothing", again)
			}
		})
	}
}

func TestKindsIn(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Kind
	}{
		{"none", "医生态度很好，谢谢。", nil},
		{"in message order, each once", "a@qq.com 13800138000 13900139000 11010519491231002X",
			[]Kind{IDCard, Mobile, Email}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindsIn(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("KindsIn = %v, want %v", got, tt.want)
			}
		})
	}
	for _, k := range Kinds {
		if k.In(locale.Get(locale.Default)) == "" {
			t.Errorf("%s has no label", k)
		}
	}
}

// FuzzMask checks the promises the handlers rely on: Mask never panics, masking twice changes
// nothing more, nothing findable survives, and text without matches is returned untouched.
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"", "13800138000", "+86 138 0013 8000", "0551 1234 13800138000", "11010519491231002X",
		"6222 0212 3456 7894", "住院号：ZY20240012", "a@13800138000.com", "（０５５１）１２３４５６７",
		"12 (0551)1234567 x", "1 **** 13800138000", "\xff\xef０１３８００１３８０００", "病人ID号 123456789",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if again := Mask(m); again != m {
			t.Fatalf("Mask not idempotent:\n%q\n%q\n%q", s, m, again)
		}
		if left := Find(m); len(left) > 0 {
			t.Fatalf("Mask(%q) = %q still holds %v", s, m, left)
		}
		if len(Find(s)) == 0 && m != s {
			t.Fatalf("Mask changed %q without a match", s)
		}
		if utf8.ValidString(s) && !utf8.ValidString(m) {
			t.Fatalf("Mask broke UTF-8: %q", m)
		}
		if strings.Count(m, "") > strings.Count(s, "") {
			t.Fatalf("Mask added characters: %q → %q", s, m)
		}
	})
}

// BenchmarkMask masks the longest text the form accepts (5000 characters), built to be dense
// in candidates: digit groups, e-mail addresses and keywords.
func BenchmarkMask(b *testing.B) {
	parts := []string{"1 ", "13800138000 ", "a@b.cn ", "住院号 123456 ", "0551-", "６２２２ "}
	var sb strings.Builder
	for i := 0; utf8.RuneCountInString(sb.String()) < 5000; i++ {
		sb.WriteString(parts[i%len(parts)])
	}
	text := sb.String()
	b.ResetTimer()
	for b.Loop() {
		Mask(text)
	}
}
