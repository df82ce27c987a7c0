// Package minsheng holds the files the binary carries with it: the HTML templates and the
// static assets. They are embedded so the portal runs from any folder with nothing beside it.
package minsheng

import "embed"

// TemplatesFS holds templates/*.html and templates/pages/*.html.
//
//go:embed templates
var TemplatesFS embed.FS

// StaticFS holds static/ (CSS and images), served under /static/.
//
//go:embed static
var StaticFS embed.FS
