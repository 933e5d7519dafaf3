package entra

import (
	"testing"

	"github.com/idpconform/idpconform/fakes/golden"
)

// TestReadmeRowsHaveGoldens keeps the README's "Entra, row by row" table
// (E1–E42) and the golden transcripts in step.
func TestReadmeRowsHaveGoldens(t *testing.T) {
	golden.ReadmeRows(t, "../../README.md", "### Entra, row by row", "E", 42)
}
