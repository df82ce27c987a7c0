package redact

import (
	"reflect"
	"testing"
)

// TestMedicalAtFindsWhatTheRegexpFinds: findMedical tries its anchored expression only where a
// keyword can begin (#11); the matches must be those of the unanchored expression everywhere,
// invalid UTF-8, overlapping keywords and upper-case ID included.
func TestMedicalAtFindsWhatTheRegexpFinds(t *testing.T) {
	for _, n := range medicalSamples {
		if got, want := medicalMatches(n), medicalRe.FindAllStringIndex(n, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v, the expression finds %v", n, got, want)
		}
	}
}

var medicalSamples = []string{
	"", "门诊", "门诊号 123456", "住院号：ZY20240012", "病人ID号 123456789", "患者id码12345678", "患者ID",
	"就诊卡号码 A1234567", "就诊号 12345678", "诊疗卡 987654", "病历病案 1234567", "门诊门诊门诊号码",
	"Id iD ID id idid", "\xe6门诊\xff病\xe9", "患病人id", "病人患者ID号码号码", "住院住院号是 12345678",
	"压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t1k2",
	"in the clinic, my id is 123456 and patient ID 7654321", "ＩＤ號", "诊诊疗卡疗卡",
}

// FuzzMedicalAt checks the same on any text.
func FuzzMedicalAt(f *testing.F) {
	for _, s := range medicalSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if got, want := medicalMatches(n), medicalRe.FindAllStringIndex(n, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %v, the expression finds %v", n, got, want)
		}
	})
}
