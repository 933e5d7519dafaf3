package runner

import (
	"io"
	"regexp"
)

// ansi is a terminal color sequence, as godog's formatters write them.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// plainWriter removes colors from each write. godog can do it itself
// (NoColors), but then writes one rune at a time, and a redacting writer
// behind it could never see a whole secret.
type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) {
	if _, err := p.w.Write(ansi.ReplaceAll(b, nil)); err != nil {
		return 0, err
	}
	return len(b), nil
}
