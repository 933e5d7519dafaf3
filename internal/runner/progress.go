package runner

import (
	"io"

	"github.com/cucumber/godog"
)

// progressFormat is godog's progress dots without godog's own summary: the
// run ends with reports.Text, which says the same grouped by clause.
const progressFormat = "idpconform-progress"

func init() {
	godog.Format(progressFormat, "progress dots, summary left to idpconform", func(suite string, out io.Writer) godog.Formatter {
		return &quietProgress{ProgressFmt: godog.NewProgressFmt(suite, out), out: out}
	})
}

type quietProgress struct {
	*godog.ProgressFmt
	out io.Writer
}

// Summary ends the line of dots and prints nothing else.
func (q *quietProgress) Summary() { _, _ = io.WriteString(q.out, "\n") }
