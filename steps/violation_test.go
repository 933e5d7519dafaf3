package steps

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/idpconform/idpconform/internal/spec"
)

// TestNamedClausesAreInTheLedger: every clause a step files a failure
// under, or points a precondition at, is a ledger id, written as a literal
// so this test can read it.
func TestNamedClausesAreInTheLedger(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	named := 0
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "violatedOf" && fn.Name != "warned" && fn.Name != "under" && fn.Name != "precondition" && fn.Name != "setUp" && fn.Name != "warnedFor") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: %s names its clause with an expression; write the ledger id as a literal", fset.Position(call.Pos()), fn.Name)
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if id == "" && (fn.Name == "warned" || fn.Name == "precondition") {
				return true // the scenario's own clause, or no scenario checks it
			}
			named++
			if _, ok := spec.Lookup(id); !ok {
				t.Errorf("%s: %s(%q): no such clause in fixtures/spec/clauses.yaml", fset.Position(call.Pos()), fn.Name, id)
			}
			return true
		})
	}
	if named == 0 {
		t.Error("no step names a clause: the walk found nothing to check")
	}
}

// TestPrecondition: only a target's breach becomes a failed precondition
// with a pointer; no answer stays what it is, and an error already marked
// keeps its first pointer.
func TestPrecondition(t *testing.T) {
	var p *Precondition
	breach := violated("the user ada created, with an id", "500")
	if err := precondition("rfc7644-3.3", "create the user ada", breach); !errors.As(err, &p) || p.Clause != "rfc7644-3.3" || !errors.Is(err, breach) {
		t.Errorf("a violation became %v", err)
	}
	if err := precondition("rfc7644-3.3", "x", errors.New("the target did not answer")); errors.As(err, &p) {
		t.Errorf("no answer became a precondition: %v", err)
	}
	if precondition("rfc7644-3.3", "x", nil) != nil {
		t.Error("no error became one")
	}
	inner := precondition("rfc7643-4.2", "create the group eng", breach)
	if err := precondition("rfc7644-3.3", "y", inner); !errors.As(err, &p) || p.Clause != "rfc7643-4.2" {
		t.Errorf("the first pointer was lost: %v", err)
	}
	var v *Violation
	if err := under("okta-create", violated("a", "b")); !errors.As(err, &v) || v.Clause != "okta-create" {
		t.Errorf("under did not file the violation: %v", err)
	}
	if err := under("okta-create", violatedOf("rfc7643-3.1", "a", "b")); !errors.As(err, &v) || v.Clause != "rfc7643-3.1" {
		t.Errorf("under overrode the clause the step named: %v", err)
	}
}
