package runner

import (
	"slices"

	"github.com/idpconform/idpconform/internal/catalog"
)

// PacedTag marks a scenario that waits on a clock (a request rate) rather
// than on work.
const PacedTag = "paced"

// pacedFirst is the order godog reads the features in: those with a paced
// scenario first, then the rest ("."; godog skips a feature it has read).
// godog starts scenarios in that order, so a second-long paced scenario
// overlaps the others instead of being the last one still running.
func pacedFirst(all []catalog.Scenario) []string {
	var paths []string
	for _, s := range all {
		if slices.Contains(s.Tags, PacedTag) && !slices.Contains(paths, s.URI) {
			paths = append(paths, s.URI)
		}
	}
	return append(paths, ".")
}
