package catalog

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/spec"
)

// TestReadmeListsEveryIdPBehaviour keeps the README's "What Okta and Entra
// send" table and the clause ledger in step, both ways.
func TestReadmeListsEveryIdPBehaviour(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "## What Okta and Entra send")
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile(`(?m)^\| ((?:okta|entra)-[a-zA-Z0-9-]+) \|`)
	inReadme := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		inReadme[m[1]] = true
		if _, ok := spec.Lookup(m[1]); !ok {
			t.Errorf("README lists %s, which is not in the clause ledger", m[1])
		}
	}
	all, err := spec.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if (strings.HasPrefix(c.ID, "okta-") || strings.HasPrefix(c.ID, "entra-")) && !inReadme[c.ID] {
			t.Errorf("the ledger has %s but the README's table does not", c.ID)
		}
	}
}
