package catalog

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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
	rowTag := regexp.MustCompile("`@((?:okta|entra)-[A-Z][0-9]+)`")
	for _, m := range rowTag.FindAllStringSubmatch(section, -1) {
		inReadme[m[1]] = true // cited by a row-by-row table
	}
	for _, c := range all {
		if (strings.HasPrefix(c.ID, "okta-") || strings.HasPrefix(c.ID, "entra-")) && !inReadme[c.ID] {
			t.Errorf("the ledger has %s but the README's table does not", c.ID)
		}
	}
}

// TestReadmeOktaRowsNameTheirGoldens keeps the README's "Okta, row by row"
// table and fakes/okta/testdata in step: every row O1–O29 is there, each
// golden it names exists, and each golden is named by the row it shows.
func TestReadmeOktaRowsNameTheirGoldens(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "### Okta, row by row")
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile(`(?m)^\| (O[0-9]+) \|[^|]*\|[^|]*\| ([^|]*) \|`)
	named := map[string]string{} // golden → the row naming it
	seen := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		seen[m[1]] = true
		if strings.TrimSpace(m[2]) == "–" {
			continue
		}
		for _, g := range strings.Split(m[2], ",") {
			g = strings.TrimSpace(g)
			if _, err := os.Stat("../../fakes/okta/testdata/" + g + ".golden"); err != nil {
				t.Errorf("README row %s names the golden %s: %v", m[1], g, err)
			}
			if named[g] == "" || strings.HasPrefix(g, m[1]) {
				named[g] = m[1]
			}
		}
	}
	for i := 1; i <= 29; i++ {
		if id := "O" + strconv.Itoa(i); !seen[id] {
			t.Errorf("README's Okta table has no row %s", id)
		}
	}
	files, err := filepath.Glob("../../fakes/okta/testdata/*.golden")
	if err != nil || len(files) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	for _, f := range files {
		g := strings.TrimSuffix(filepath.Base(f), ".golden")
		head, _ := os.ReadFile(f)
		id, _, _ := strings.Cut(strings.TrimPrefix(string(head), "# "), ":")
		if named[g] != id {
			t.Errorf("%s shows row %s, but README's row %s does not name it", f, id, id)
		}
	}
}
