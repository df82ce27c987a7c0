package lifecycle

// boardWords are the notice board's words for each status: said of the work to any reader,
// unlike Public, which speaks to the person who wrote ("请您评价…"), and unlike the staff
// labels (待梳理, 回头看, 满意度回访, 已销号…), which are the office's own procedure.
var boardWords = map[string]string{
	Received:     "已收到，等待阅读",
	Triaged:      "已阅读，正在研究怎么办",
	Assigned:     "已交给负责单位",
	Rectifying:   "正在整改",
	Reported:     "已整改，正在核实",
	LookBack:     "正在复查整改效果",
	Satisfaction: "已整改，正在听取反映人的评价",
	Closed:       "已办结",
	Rejected:     "不予受理，已向反映人说明原因",
	Duplicate:    "与相同的问题合并办理",
	Forwarded:    "已转交其他部门办理",
}

// Board returns the public notice board's words for a status code, or the submitter's words
// for a status it does not know.
func Board(code string) string {
	if w, ok := boardWords[code]; ok {
		return w
	}
	return Public(code)
}
