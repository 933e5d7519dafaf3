package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/idpconform/idpconform/features"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/runner"
)

// The README's expressions, and the ones TestTagsSelectAsDocumented runs.
var documentedTags = []string{"", "@users", "@users && ~@should", "@a,@b && ~@c", "@okta,@entra,@saml", "@managed,@username,@roles",
	"@entra,@discovery && ~@sso", "@okta && ~@sso,@must && @okta-paging", "@rfc7644-3.5.2.1", " @users ", "~@sso"}

func TestTagExpressionsAsDocumentedAreAccepted(t *testing.T) {
	for _, expr := range documentedTags {
		if err := checkTags(expr); err != nil {
			t.Errorf("%q: %v", expr, err)
		}
	}
}

// TestMalformedTagsAreUsageErrors: each would panic inside godog, or
// silently select nothing; the run stops before it creates the report
// directory.
func TestMalformedTagsAreUsageErrors(t *testing.T) {
	for _, expr := range []string{" ", "@users,", "&&", "~~@x", "@a &&", ",@a", "@", "~", "~@", "users", "@a and not @b",
		"!@x", "(@a,@b)", "@a && (@b", "@a&@b", "@a,,@b", "@a &&& @b", "@a\n@b", "\xff"} {
		t.Run(expr, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "reports")
			code, text := runCLI(t, "run", "--tags", expr, "--out", out)
			if code != ExitUsage || !strings.Contains(text, "--tags") || strings.Count(text, "\n") != 1 {
				t.Errorf("exit %d, want %d and one line:\n%s", code, ExitUsage, text)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("the report directory was created")
			}
		})
	}
}

// FuzzTagExpression: checkTags never panics, and godog's matcher does not
// panic on any expression checkTags accepts.
func FuzzTagExpression(f *testing.F) {
	for _, expr := range documentedTags {
		f.Add(expr)
	}
	feature := []byte("Feature: f\n\n  @users @should\n  Scenario: a\n    Given x\n\n  @a @rfc7644-3.5\n  Scenario: b\n    Given y\n\n  Scenario: c\n    Given z\n")
	f.Fuzz(func(t *testing.T, expr string) {
		if checkTags(expr) != nil {
			return
		}
		suite := godog.TestSuite{Options: &godog.Options{Tags: expr, FS: fstest.MapFS{"f.feature": {Data: feature}}, Paths: []string{"f.feature"}}}
		if _, err := suite.RetrieveFeatures(); err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
	})
}

// TestListTags: `list --tags` prints exactly what runner.Selected (the
// evaluation run uses, which TestTagsSelectAsDocumented holds to godog's)
// selects, one scenario a line with where it is, its name and its tags.
func TestListTags(t *testing.T) {
	const expr = "@sso && ~@scim"
	code, text := runCLI(t, "list", "--tags", expr)
	if code != ExitPassed {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	sel, err := runner.Selected(features.FS, expr)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(sel) < 10 || len(lines) != len(sel)+2 || !strings.HasPrefix(lines[len(lines)-1], fmt.Sprintf("%d of ", len(sel))) {
		t.Fatalf("%d selected, output:\n%s", len(sel), text)
	}
	for i, s := range sel {
		if !strings.HasPrefix(lines[i], s.ID()+" ") || !strings.Contains(lines[i], s.Name) || !strings.HasSuffix(lines[i], "@"+strings.Join(s.Tags, " @")) {
			t.Errorf("line %d = %q, want %s %q and its tags", i, lines[i], s.ID(), s.Name)
		}
		if strings.Contains(lines[i], "@scim") || !strings.Contains(lines[i], "@sso") {
			t.Errorf("line %d = %q does not match %s", i, lines[i], expr)
		}
	}
	if code, text := runCLI(t, "list", "--tags", "@a,"); code != ExitUsage || !strings.Contains(text, "--tags") {
		t.Errorf("a malformed expression: exit %d: %s", code, text)
	}
}
