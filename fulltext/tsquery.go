package fulltext

import "strings"

// TSQuery turns an FTS4 query of the forms this project writes (Query's phrases and prefixes,
// the near-duplicate look-up's quoted tokens, its anchors' "(a OR b) c") into PostgreSQL's
// tsquery text over the same tokens (migration 0059's search_tokens() gives each token its
// position, as FTS4 does):
//
//   - a quoted phrase "门难 难进" is the same tokens at consecutive positions: '门难' <-> '难进';
//   - a prefix "进*" is '进':*;
//   - FTS4's implicit AND is &, OR is |, parentheses stay.
//
// Tokens hold no quotes (letters, digits and Chinese characters); any quote or backslash is
// escaped anyway, so no typed text can change the query's shape.
func TSQuery(fts string) string {
	var out []string
	needAnd := false // an operand came last: the next one is ANDed to it
	operand := func(s string) {
		if needAnd {
			out = append(out, "&")
		}
		out = append(out, s)
		needAnd = true
	}
	for i := 0; i < len(fts); {
		switch c := fts[i]; {
		case c == ' ':
			i++
		case c == '(':
			if needAnd {
				out = append(out, "&")
			}
			out = append(out, "(")
			needAnd = false
			i++
		case c == ')':
			out = append(out, ")")
			needAnd = true
			i++
		case c == '"':
			end := strings.IndexByte(fts[i+1:], '"')
			if end < 0 {
				end = len(fts) - i - 1
			}
			if p := tsPhrase(fts[i+1 : i+1+end]); p != "" {
				operand(p)
			}
			i += end + 2
		case strings.HasPrefix(fts[i:], "OR ") || fts[i:] == "OR":
			out = append(out, "|")
			needAnd = false
			i += 2
		default: // a bare word: a phrase of one
			end := strings.IndexAny(fts[i:], ` ()"`)
			if end < 0 {
				end = len(fts) - i
			}
			if p := tsPhrase(fts[i : i+end]); p != "" {
				operand(p)
			}
			i += end
		}
	}
	return strings.Join(out, " ")
}

// tsPhrase is one FTS4 phrase's tokens (a last one may end in *, a prefix) as tsquery.
func tsPhrase(p string) string {
	toks := strings.Fields(p)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		prefix := strings.HasSuffix(t, "*")
		t = strings.TrimSuffix(t, "*")
		if t == "" {
			continue
		}
		lex := "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + "'"
		if prefix {
			lex += ":*"
		}
		parts = append(parts, lex)
	}
	if len(parts) > 1 {
		return "(" + strings.Join(parts, " <-> ") + ")"
	}
	return strings.Join(parts, "")
}
