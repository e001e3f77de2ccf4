package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEachDependencyBuiltOnceInWire keeps one wiring: every dependency of a
// node (mailer, fetcher, rate limiter, blob store, search index, job queue
// and its River client, digest workers, image proxy, link client) is built
// at one place in the program's code, and for a node that place is Wire,
// so no command or handler can make a second mailer with settings of its
// own. Tests may build what they need.
func TestEachDependencyBuiltOnceInWire(t *testing.T) {
	// Where each constructor may be called from, relative to the module.
	want := map[string]string{
		"rounds/app/mail.New":                    "app/wire.go",
		"rounds/app/fetch.New":                   "app/wire.go",
		"rounds/app/ratelimit.NewMemory":         "app/wire.go",
		"rounds/app/ratelimit.NewRedis":          "app/wire.go",
		"rounds/app/ratelimit.Database":          "app/wire.go",
		"rounds/app/blob.ParseLocation":          "app/wire.go",
		"rounds/search.Open":                     "app/wire.go",
		"rounds/app/jobs.New":                    "app/wire.go",
		"github.com/riverqueue/river.NewClient":  "app/jobs/jobs.go",
		"rounds/app/digest.New":                  "app/wire.go",
		"rounds/app/digest.NewComposer":          "app/wire.go",
		"rounds/app/imageproxy.New":              "app/wire.go",
		"rounds/app/links.New":                   "app/wire.go",
		"rounds/app/demoidp.Start":               "app/wire.go",
		"rounds/app/auth.NewGitHub":              "app/wire.go",
		"github.com/riverqueue/river.NewWorkers": "app/jobs/jobs.go",
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		imports := map[string]string{} // name in the file → import path
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			name := p[strings.LastIndex(p, "/")+1:] // every package watched is named so
			if imp.Name != nil {
				name = imp.Name.Name
			}
			imports[name] = p
		}
		record := func(expr ast.Expr) {
			sel, ok := expr.(*ast.SelectorExpr)
			if !ok {
				return
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Obj != nil {
				return
			}
			path, ok := imports[pkg.Name]
			if !ok {
				return
			}
			key := path + "." + sel.Sel.Name
			if _, watched := want[key]; watched {
				found[key] = append(found[key], rel)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				record(n.Fun)
			case *ast.CompositeLit:
				record(n.Type)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found["rounds/app/mail.New"]) == 0 || len(found["rounds/app/jobs.New"]) == 0 {
		t.Fatalf("found no call of mail.New or jobs.New in %s: the scan is broken", root)
	}
	for key, at := range found {
		place := want[key]
		if len(at) != 1 || at[0] != place {
			slices.Sort(at)
			t.Errorf("%s is called from %v; want once, in %s", key, at, place)
		}
	}
}
