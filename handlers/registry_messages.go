package handlers

import "minsheng/locale"

// fieldProblem is problem said of the field whose name is the catalog key label: a forms's
// field name, then what is wrong with it (名称太长了：最多 50 个字…, "Name: Too long…").
// Both halves are messages, written in the reader's language by Printer.Msg.
func fieldProblem(label string, problem locale.Message) locale.Message {
	return locale.M("format.field_problem", locale.M(label), problem)
}
