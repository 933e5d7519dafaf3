package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/spec"
)

// TestListClausesShowsSources: `list --clauses` names every ledger entry
// by its id with its title and an http(s) source URL a vendor can open;
// the hub's rows point at HF's own guides.
func TestListClausesShowsSources(t *testing.T) {
	code, text := runCLI(t, "list", "--clauses")
	if code != ExitPassed {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	ledger, err := spec.All()
	if err != nil {
		t.Fatal(err)
	}
	url := regexp.MustCompile(`^https?://\S+$`)
	for _, c := range ledger {
		head := "@" + c.ID + "  " + c.Title + "  [" + c.Level + "]\n  source: " + c.URL + "\n"
		if !strings.Contains(text, head) {
			t.Errorf("clause %s: the listing lacks %q", c.ID, head)
		}
		if !url.MatchString(c.URL) {
			t.Errorf("clause %s: source %q is not an http(s) URL", c.ID, c.URL)
		}
	}
	for id, want := range map[string]string{
		"hub-HX1":     "https://huggingface.co/docs/hub/security-sso-okta-scim",
		"rfc7644-3.3": "https://www.rfc-editor.org/rfc/rfc7644#section-3.3",
	} {
		if c, ok := spec.Lookup(id); !ok || c.URL != want {
			t.Errorf("clause %s cites %q, want %q", id, c.URL, want)
		}
	}
	if !strings.Contains(text, "features/usernames/hub-rule.feature:") {
		t.Error("the listing names no scenario citing hub-HX1")
	}
}
