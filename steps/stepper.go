package steps

import (
	"regexp"
	"sync"

	"github.com/cucumber/godog"
)

// stepper binds steps like godog.ScenarioContext.Step, but compiles each
// pattern once per process: godog calls the initializer for every
// scenario, and compiling ~200 patterns each time was a third of a run's CPU.
type stepper struct{ sc *godog.ScenarioContext }

var patterns sync.Map // string → *regexp.Regexp

func (s stepper) Step(expr string, fn any) {
	re, ok := patterns.Load(expr)
	if !ok {
		re, _ = patterns.LoadOrStore(expr, regexp.MustCompile(expr))
	}
	s.sc.Step(re.(*regexp.Regexp), fn)
}
