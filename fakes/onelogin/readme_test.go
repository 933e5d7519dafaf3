package onelogin

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeRowsHaveGoldens keeps the README's "OneLogin, row by row"
// table and the golden transcripts in step: every row L1–L7 is there, every
// row it calls covered has testdata/<row>.golden, and every golden has its
// row.
func TestReadmeRowsHaveGoldens(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "### OneLogin, row by row")
	section, _, _ = strings.Cut(section, "\n#")
	rows := regexp.MustCompile(`(?m)^\| (L\d+) \| [^|]+ \| ([^|]+) \|`).FindAllStringSubmatch(section, -1)
	if len(rows) != 7 {
		t.Fatalf("the README's table has %d OneLogin rows, want L1–L7", len(rows))
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r[1]] = true
		_, err := os.Stat("testdata/" + r[1] + ".golden")
		if covered := strings.HasPrefix(r[2], "covered"); covered && err != nil {
			t.Errorf("the README says %s is covered, but it has no golden transcript: %v", r[1], err)
		}
	}
	goldens, _ := os.ReadDir("testdata")
	for _, g := range goldens {
		if id := strings.TrimSuffix(g.Name(), ".golden"); !listed[id] {
			t.Errorf("testdata/%s has no row in the README", g.Name())
		}
	}
}
