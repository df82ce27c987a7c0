package loadgen

import (
	"testing"

	"minsheng/redact"
)

// Ensure the load's texts never look like personal data, which the form would question
// (a 422 that a load test would count as a failure).
func TestNonceNeverLooksPersonal(t *testing.T) {
	texts := []string{"压力测试留言：门诊排队太久，希望增加窗口。编号 n6222020200112233"} // Luhn-valid digits
	for i := 0; i < 5000; i++ {
		texts = append(texts, "压力测试留言：门诊排队太久，希望增加窗口。编号 "+nonce())
	}
	for _, text := range texts {
		if m := redact.Find(text); len(m) > 0 {
			t.Fatalf("%q looks like personal data: %+v", text, m)
		}
	}
}
