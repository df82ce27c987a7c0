package handlers

// oldWords are the Chinese words versions before #17 wrote into audit details (the flags, the
// leadership box of a classification), read as the codes that replaced them (auditWords), so
// that an item's history of old opinions reads right in every language.
var oldWords = map[string]string{
	"追责":   "history.flag_accountability",
	"查无实据": "history.flag_unfounded",
	"举报属实": "history.flag_substantiated",
	"涉及班子": "history.about_leadership",
}

// oldDissatisfiedNote began the note of a rework after a 不满意 before #17; the words the
// submitter wrote followed after oldNoteSeparator (storage.DissatisfiedNote now).
const (
	oldDissatisfiedNote = "留言人不满意（补课返工）"
	oldNoteSeparator    = "："
)
