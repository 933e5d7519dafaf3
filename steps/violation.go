package steps

import (
	"fmt"
	"strings"
)

// Violation is a target's breach of what a scenario checks: the report shows
// it as a failure with what was expected and what came back. Any other error
// from a step is a harness error (the check could not be made).
type Violation struct {
	Expected []string
	Actual   string
}

func (v *Violation) Error() string {
	return fmt.Sprintf("expected %s, but got %s", strings.Join(v.Expected, " and "), v.Actual)
}

// violated builds a Violation with one expectation.
func violated(expected, actualFormat string, args ...any) error {
	return &Violation{Expected: []string{expected}, Actual: fmt.Sprintf(actualFormat, args...)}
}
