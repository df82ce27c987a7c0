// Package lifecycle says which statuses an opinion can have and which may follow which.
// It is the seed of the 整改 (rectification) state machine that later work extends.
package lifecycle

// Status codes, stored in the database and used in URLs of the staff queue.
const (
	Received   = "received"   // 已收到: new, nobody has sorted it yet
	Triaged    = "triaged"    // 已分类: read and tagged
	Processing = "processing" // 办理中: handed to someone who is working on it
	Replied    = "replied"    // 已答复: the office has answered the submitter
	Closed     = "closed"     // 已办结: finished
	Rejected   = "rejected"   // 不予受理: out of scope, duplicate or not actionable (with a reply saying why)
)

// Status is a status code with the label the submitter and staff read.
type Status struct {
	Code  string
	Label string
}

// Statuses lists every status in workflow order.
var Statuses = []Status{
	{Received, "已收到"},
	{Triaged, "已分类"},
	{Processing, "办理中"},
	{Replied, "已答复"},
	{Closed, "已办结"},
	{Rejected, "不予受理"},
}

// next lists, for each status, the statuses a reviewer may move it to. Finished items may be
// reopened (补课返工) but never sent back to "received", which would hide that someone read them.
var next = map[string][]string{
	Received:   {Triaged, Processing, Replied, Closed, Rejected},
	Triaged:    {Processing, Replied, Closed, Rejected},
	Processing: {Triaged, Replied, Closed, Rejected},
	Replied:    {Processing, Closed},
	Closed:     {Processing},
	Rejected:   {Processing},
}

// Valid reports whether code is a known status.
func Valid(code string) bool {
	_, ok := next[code]
	return ok
}

// CanMove reports whether an opinion in status from may be moved to status to.
func CanMove(from, to string) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next returns the statuses that may follow from, in workflow order.
func Next(from string) []Status {
	var out []Status
	for _, s := range Statuses {
		if CanMove(from, s.Code) {
			out = append(out, s)
		}
	}
	return out
}

// Label returns the Chinese label of a status code, or the code itself when unknown.
func Label(code string) string {
	for _, s := range Statuses {
		if s.Code == code {
			return s.Label
		}
	}
	return code
}
