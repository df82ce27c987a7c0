package handlers

import "minsheng/locale"

// The registries' forms (sites, mailboxes, the calendar, transcription) name a field before
// its problem: 名称 + 太长了：最多 50 个字… . Both halves are catalog messages, so the whole is
// one message whose arguments are messages, written by say in the reader's language.

// fieldProblem is problem said of the field whose name is the catalog key label: "{0}{1}" in
// Chinese, "{0}: {1}" in English.
func fieldProblem(label string, problem locale.Message) locale.Message {
	return locale.M("sites.field_problem", locale.M(label), problem)
}

// say writes m in p's language, writing first each argument that is a message itself.
func say(p *locale.Printer, m locale.Message) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(locale.Message); ok {
			a = say(p, inner)
		}
		args[i] = a
	}
	return p.T(m.Key, args...)
}

// sayFields is p.Fields with say: each field's message in p's language, nil when there is none.
func sayFields(p *locale.Printer, f locale.Fields) map[string]string {
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]string, len(f))
	for field, m := range f {
		out[field] = say(p, m)
	}
	return out
}
