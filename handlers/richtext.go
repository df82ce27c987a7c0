package handlers

import (
	"html/template"
	"strings"

	"minsheng/locale"
)

// Some sentences of the public pages carry markup inside them: a link in the middle of a
// sentence, a bold first clause, a name in bold. Cut into pieces around the markup, such a
// sentence could not change its word order from one language to another, so the catalog holds
// it whole, with the markup as placeholders ({a}…{/a}, {b}…{/b}, {name}), and markup fills it.

// htmlPieces are what fills a message's placeholders: markup, or text already escaped.
type htmlPieces map[string]template.HTML

// htmlMessage writes key in p's language as HTML: the message's own words escaped, then each
// {name} placeholder replaced by its piece, in one pass, so that a piece's own text (a name an
// administrator typed) is never read as a placeholder.
func htmlMessage(p *locale.Printer, key string, pieces htmlPieces) template.HTML {
	pairs := make([]string, 0, 2*len(pieces))
	for name, piece := range pieces {
		pairs = append(pairs, "{"+name+"}", string(piece))
	}
	return template.HTML(strings.NewReplacer(pairs...).Replace(template.HTMLEscapeString(p.T(key))))
}

// escaped is text as a piece of htmlMessage.
func escaped(text string) template.HTML { return template.HTML(template.HTMLEscapeString(text)) }

// bold is {b}…{/b}: the words between in bold.
func bold(pieces htmlPieces) htmlPieces {
	pieces["b"], pieces["/b"] = "<strong>", "</strong>"
	return pieces
}

// linkTo is {a}…{/a} (or {name}…{/name}): the words between link to href.
func linkTo(pieces htmlPieces, name, href string) htmlPieces {
	pieces[name] = template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">`)
	pieces["/"+name] = "</a>"
	return pieces
}
