package onelogin

import (
	"testing"

	"github.com/idpconform/idpconform/fakes/golden"
)

// TestReadmeRowsHaveGoldens keeps the README's "OneLogin, row by row"
// table (L1–L7) and the golden transcripts in step.
func TestReadmeRowsHaveGoldens(t *testing.T) {
	golden.ReadmeRows(t, "../../README.md", "### OneLogin, row by row", "L", 7)
}
