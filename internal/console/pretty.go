package console

import (
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/idpconform/idpconform/reports"
)

// Pretty prints each scenario with its steps under its own feature's
// heading. Scenarios run concurrently finish interleaved, so a feature's
// block is held until its last scenario finishes (Finish flushes any
// held back), then printed whole.
type Pretty struct {
	w     io.Writer
	color bool
	left  map[string]int // scenarios still to finish, by feature file
	mu    sync.Mutex
	held  map[string][]reports.Scenario
	order []string // feature files in the order their first scenario finished
}

// NewPretty prints to w; perFeature is how many scenarios the run has
// in each feature file (reports.Scenario.URI).
func NewPretty(w io.Writer, perFeature map[string]int, color bool) *Pretty {
	left := make(map[string]int, len(perFeature))
	for k, v := range perFeature {
		left[k] = v
	}
	return &Pretty{w: w, color: color, left: left, held: map[string][]reports.Scenario{}}
}

// Done records one finished scenario, and prints its feature once the
// feature has no scenario left to run.
func (p *Pretty) Done(s reports.Scenario) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.held[s.URI]; !ok {
		p.order = append(p.order, s.URI)
	}
	p.held[s.URI] = append(p.held[s.URI], s)
	p.left[s.URI]--
	if p.left[s.URI] <= 0 {
		p.flush(s.URI)
	}
}

// Finish prints the features with scenarios that never finished (a run
// that stopped early).
func (p *Pretty) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, uri := range p.order {
		p.flush(uri)
	}
}

func (p *Pretty) flush(uri string) {
	ss, ok := p.held[uri]
	if !ok || ss == nil {
		return
	}
	p.held[uri] = nil // printed; a late scenario would start a new block
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Line < ss[j].Line })
	fmt.Fprintf(p.w, "\nFeature: %s  # features/%s\n", ss[0].Feature, uri)
	for _, s := range ss {
		fmt.Fprintf(p.w, "\n  Scenario: %s  # %s\n", s.Name, s.ID)
		for _, st := range s.Steps {
			fmt.Fprintf(p.w, "    %s %s\n", p.mark(st.Status), Plain(st.Text))
		}
		if line := FailureLine(s, p.color); line != "" {
			fmt.Fprintf(p.w, "    %s\n", line)
		} else if s.Status == reports.Warned && s.Failure != nil {
			fmt.Fprintf(p.w, "    ! warning: %s\n", Plain(s.Failure.Message))
		}
	}
}

// mark is a step's status as one character.
func (p *Pretty) mark(s reports.Status) string {
	switch s {
	case reports.Passed:
		return Paint(p.color, Green, "✔")
	case reports.Failed, reports.Errored, reports.Undefined:
		return Paint(p.color, Red, "✘")
	case reports.Warned:
		return "!"
	}
	return "-"
}
