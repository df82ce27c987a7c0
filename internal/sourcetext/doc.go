// Package sourcetext has no code of its own. Its test walks the repository's Go sources and
// templates and fails on any interface text left outside the catalog (package locale): a Han
// character in a Go string, a word in a template's text or in an attribute people read. Data
// that happens to be Chinese (seed data, keyword lists, conversion tables, matching patterns)
// is named in the test's list of exemptions, each with its reason.
package sourcetext
