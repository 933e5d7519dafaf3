package reports

import (
	"fmt"
	"strings"
)

// Counts tallies scenarios by status.
type Counts struct {
	Total, Passed, Failed, Errored, Skipped, Undefined int
}

// add counts one scenario. A status the model does not name (pending,
// ambiguous) counts as undefined: the suite itself is incomplete.
func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Errored:
		c.Errored++
	case Skipped:
		c.Skipped++
	default:
		c.Undefined++
	}
}

// String reads like "62 scenarios: 59 passed, 2 failed, 1 skipped". Passed
// and failed always show, so a green run still says "0 failed"; errors,
// skips and undefined scenarios only when there are some.
func (c Counts) String() string {
	parts := []string{fmt.Sprintf("%d passed", c.Passed), fmt.Sprintf("%d failed", c.Failed)}
	if c.Errored > 0 {
		parts = append(parts, plural(c.Errored, "error", "errors"))
	}
	if c.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", c.Skipped))
	}
	if c.Undefined > 0 {
		parts = append(parts, fmt.Sprintf("%d undefined", c.Undefined))
	}
	return plural(c.Total, "scenario", "scenarios") + ": " + strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Status is the worst outcome among the counts: a failure or an error
// fails, then undefined, then passed. Skipped scenarios never fail; a tally
// of nothing but skips is skipped.
func (c Counts) Status() Status {
	switch {
	case c.Failed > 0 || c.Errored > 0:
		return Failed
	case c.Undefined > 0:
		return Undefined
	case c.Passed == 0 && c.Skipped > 0:
		return Skipped
	}
	return Passed
}

// AreaSummary is one feature area's tally; its Status method is the area's
// overall outcome.
type AreaSummary struct {
	Area string
	Counts
}

// Totals tallies every scenario of the run.
func (r Run) Totals() Counts {
	var c Counts
	for _, s := range r.Scenarios {
		c.add(s.Status)
	}
	return c
}

// Areas tallies by feature area, in the order areas first appear, which is
// feature-file order in a collected run.
func (r Run) Areas() []AreaSummary {
	var out []AreaSummary
	index := map[string]int{}
	for _, s := range r.Scenarios {
		i, ok := index[s.Area]
		if !ok {
			i = len(out)
			index[s.Area] = i
			out = append(out, AreaSummary{Area: s.Area})
		}
		out[i].add(s.Status)
	}
	return out
}

// Verdict is the run's outcome: passed only when nothing failed, errored or
// was left undefined; skipped scenarios do not fail a run. A run that could
// not start (no scenarios, but notes saying why) is an error.
func (r Run) Verdict() Status {
	if len(r.Scenarios) == 0 && len(r.Notes) > 0 {
		return Errored
	}
	s := r.Totals().Status()
	if s == Skipped {
		return Passed
	}
	return s
}

// clauseGroup is the scenarios that cite one clause first.
type clauseGroup struct {
	Clause    Clause
	Scenarios []Scenario
}

// byClause groups the scenarios whose status keep accepts under the first
// clause each cites, in first-seen order, as h2spec groups failures by
// section. The first clause only, so a scenario is listed once.
func (r Run) byClause(keep func(Status) bool) []clauseGroup {
	var out []clauseGroup
	index := map[string]int{}
	for _, s := range r.Scenarios {
		if !keep(s.Status) {
			continue
		}
		c := Clause{ID: "uncited", Title: "Scenarios that cite no clause"}
		if len(s.Clauses) > 0 {
			c = s.Clauses[0]
		}
		i, ok := index[c.ID]
		if !ok {
			i = len(out)
			index[c.ID] = i
			out = append(out, clauseGroup{Clause: c})
		}
		out[i].Scenarios = append(out[i].Scenarios, s)
	}
	return out
}

// isFailure and isError split the scenarios that did not pass: the target's
// violations, and checks the harness could not make (undefined steps
// included: the suite, not the target, is at fault). Any status Counts
// files as undefined is an error here too.
func isFailure(s Status) bool { return s == Failed }

func isError(s Status) bool { return s != Passed && s != Skipped && s != Failed }

// alsoCites names a scenario's other clauses.
func alsoCites(s Scenario) string {
	if len(s.Clauses) < 2 {
		return ""
	}
	titles := make([]string, 0, len(s.Clauses)-1)
	for _, c := range s.Clauses[1:] {
		titles = append(titles, c.Title)
	}
	return " (also " + strings.Join(titles, "; ") + ")"
}

// location is where to open a scenario: its ID is the path from the
// repository root, which editors and terminals resolve; uri:line is the
// fallback for a hand-made run.
func location(s Scenario) string {
	if s.ID != "" {
		return s.ID
	}
	return fmt.Sprintf("%s:%d", s.URI, s.Line)
}
