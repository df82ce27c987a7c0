// Package testsource reads a package's test files as Go source, for the tests that keep a
// suite's promises about itself (#15): which tests run on both database engines, which are
// declared to run on one. It knows nothing of the engines; the callers name what to look for.
package testsource

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
)

// Funcs are the top-level functions (no methods) of a package's test files, by name.
type Funcs struct {
	decls map[string]*ast.FuncDecl
	files map[string]string
}

// Parse reads every *_test.go file of dir.
func Parse(dir string) (*Funcs, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("testsource: no test files in %s", dir)
	}
	fset := token.NewFileSet()
	f := &Funcs{decls: map[string]*ast.FuncDecl{}, files: map[string]string{}}
	for _, name := range files {
		af, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				f.decls[fd.Name.Name], f.files[fd.Name.Name] = fd, filepath.Base(name)
			}
		}
	}
	return f, nil
}

// Names are every function's name, sorted.
func (f *Funcs) Names() []string {
	names := make([]string, 0, len(f.decls))
	for n := range f.decls {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Has reports whether the test files declare a function name.
func (f *Funcs) Has(name string) bool { return f.decls[name] != nil }

// File is the test file that declares name ("" if none does).
func (f *Funcs) File(name string) string { return f.files[name] }

// Reaches reports whether fn's body names one of targets, or calls a function of the test
// files that does (methods are not followed: a helper that must count is a function).
func (f *Funcs) Reaches(fn string, targets []string) bool {
	seen := map[string]bool{}
	var walk func(name string) bool
	walk = func(name string) bool {
		fd := f.decls[name]
		if seen[name] || fd == nil || fd.Body == nil {
			return false
		}
		seen[name] = true
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && (slices.Contains(targets, id.Name) || id.Name != name && walk(id.Name)) {
				found = true
			}
			return !found
		})
		return found
	}
	return walk(fn)
}
