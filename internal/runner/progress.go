package runner

import (
	"io"
	"io/fs"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/console"
	"github.com/idpconform/idpconform/reports"
)

// silentFormat is a godog formatter that prints nothing: the run prints
// its own progress (console.Progress) or pretty listing (console.Pretty)
// from the finished scenarios, and ends with reports.Text.
const silentFormat = "idpconform-silent"

func init() {
	godog.Format(silentFormat, "nothing: idpconform prints progress itself", func(suite string, _ io.Writer) godog.Formatter {
		return godog.NewBaseFmt(suite, io.Discard)
	})
}

// shower is what the console shows as scenarios finish.
type shower interface {
	Done(reports.Scenario)
	Finish()
}

// newShower is the console view format asks for ("pretty", else
// progress) of the scenarios tags selects in fsys, written redacted to out.
func newShower(fsys fs.FS, format, tags string, out io.Writer, redacted io.Writer) (shower, error) {
	selected, err := Selected(fsys, tags)
	if err != nil {
		return nil, err
	}
	if format == "pretty" {
		per := map[string]int{}
		for _, s := range selected {
			per[s.URI]++
		}
		return console.NewPretty(redacted, per, console.Color(out)), nil
	}
	return console.NewProgress(redacted, len(selected), console.Terminal(out), console.Color(out)), nil
}
