package storage

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The shared SQL is written with SQLite's placeholders: ? (the next number) and ?N (number N,
// which may repeat). PostgreSQL numbers them $1, $2…; rewritePlaceholders turns one spelling
// into the other, once per statement text (the texts are constants, so the cache stays small).

// crossJoinOn is SQLite's "CROSS JOIN t a ON cond": an inner join whose tables SQLite keeps in
// the written order (the search reads a few matches by their keys that way). PostgreSQL takes
// no ON after CROSS JOIN; the same join is its "JOIN t a ON cond" (its planner chooses the
// order). A CROSS JOIN without ON is left as it is.
var crossJoinOn = regexp.MustCompile(`\bCROSS JOIN (\w+(?: AS)? \w+) ON `)

// rewritten caches rewritePlaceholders by statement text.
var rewritten sync.Map // string → string

// postgresPlaceholders returns query with $n placeholders, from the cache when it can.
func postgresPlaceholders(query string) string {
	if v, ok := rewritten.Load(query); ok {
		return v.(string)
	}
	out := rewritePlaceholders(crossJoinOn.ReplaceAllString(query, "JOIN $1 ON "))
	rewritten.Store(query, out)
	return out
}

// rewritePlaceholders turns ? and ?N into $n, leaving string literals, quoted identifiers and
// comments alone. A bare ? takes the number after the highest used so far, as in SQLite.
func rewritePlaceholders(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	highest := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := closingQuote(query, i)
			b.WriteString(query[i:end])
			i = end - 1
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				end = len(query) - i - 2
			} else {
				end += 2
			}
			b.WriteString(query[i : i+2+end])
			i += 2 + end - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			if n > highest {
				highest = n
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// closingQuote returns the index just past the quoted text starting at query[start] (a doubled
// quote inside is part of the text), or len(query) if it never closes.
func closingQuote(query string, start int) int {
	q := query[start]
	for i := start + 1; i < len(query); i++ {
		if query[i] == q {
			if i+1 < len(query) && query[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(query)
}
