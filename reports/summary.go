package reports

import (
	"fmt"
	"strings"
)

// Counts tallies scenarios by status: Failed counts violations, Warned
// warnings, Errored the scenarios that could not be checked.
type Counts struct {
	Total, Passed, Failed, Warned, Errored, Skipped, Undefined int
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
	case Warned:
		c.Warned++
	case Errored:
		c.Errored++
	case Skipped:
		c.Skipped++
	default:
		c.Undefined++
	}
}

// String is the totals line: "62 scenarios: 57 passed, 2 violations, 1
// warning, 1 could not check, 1 skipped". Every verdict always shows, so
// a green run still says "0 violations"; undefined scenarios only when
// there are some.
func (c Counts) String() string {
	parts := []string{fmt.Sprintf("%d passed", c.Passed), plural(c.Failed, "violation", "violations"),
		plural(c.Warned, "warning", "warnings"), fmt.Sprintf("%d could not check", c.Errored), fmt.Sprintf("%d skipped", c.Skipped)}
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

// Status is the worst outcome among the counts: a violation or a scenario
// that could not be checked fails, then undefined, then warnings, then
// passed. Skipped scenarios never fail; a tally of nothing but skips is
// skipped.
func (c Counts) Status() Status {
	switch {
	case c.Failed > 0 || c.Errored > 0:
		return Failed
	case c.Undefined > 0:
		return Undefined
	case c.Warned > 0:
		return Warned
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
// was left undefined, warning when warnings are all there is; skipped
// scenarios do not fail a run. A run that could
// not start (no scenarios, but notes saying why) is an error.
func (r Run) Verdict() Status {
	if r.Stopped != "" || (len(r.Scenarios) == 0 && len(r.Notes) > 0) {
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

// byClause groups the scenarios whose status keep accepts under the clause
// their failure is filed under, else the first clause each cites, in
// first-seen order, as h2spec groups failures by section. One clause only,
// so a scenario is listed once.
func (r Run) byClause(keep func(Status) bool) []clauseGroup {
	var out []clauseGroup
	index := map[string]int{}
	for _, s := range r.Scenarios {
		if !keep(s.Status) {
			continue
		}
		c := Clause{ID: "uncited", Title: "Scenarios that cite no clause"}
		switch {
		case s.Failure != nil && s.Failure.Clause != nil:
			c = *s.Failure.Clause
		case len(s.Clauses) > 0:
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

// isFailure, isWarning and isError split the scenarios that did not pass:
// the target's violations, its warnings, and checks that could not be made
// (undefined steps included: the suite, not the target, is at fault). Any
// status Counts files as undefined is an error here too.
func isFailure(s Status) bool { return s == Failed }

func isWarning(s Status) bool { return s == Warned }

func isError(s Status) bool { return s != Passed && s != Skipped && s != Failed && s != Warned }

// alsoCites names the clauses a scenario cites besides the one its
// failure is filed under.
func alsoCites(s Scenario) string {
	filed := ""
	switch {
	case s.Failure != nil && s.Failure.Clause != nil:
		filed = s.Failure.Clause.ID
	case len(s.Clauses) > 0:
		filed = s.Clauses[0].ID
	}
	var titles []string
	for _, c := range s.Clauses {
		if c.ID != filed {
			titles = append(titles, c.Title)
		}
	}
	if len(titles) == 0 {
		return ""
	}
	return " (also " + strings.Join(titles, "; ") + ")"
}

// seeAlso is the pointer a could-not-check failure carries: the scenarios
// that check its precondition, at most three named.
func seeAlso(f *Failure) string {
	if f == nil || len(f.SeeAlso) == 0 {
		return ""
	}
	list := f.SeeAlso
	more := ""
	if len(list) > 3 {
		list, more = list[:3], fmt.Sprintf(" and %d more", len(f.SeeAlso)-3)
	}
	return "checked by " + strings.Join(list, ", ") + more
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

// Views are the IdPs whose view `run --view` can take.
var Views = []string{"entra", "okta", "onelogin"}

// ViewLine says whose expectations the verdicts follow.
func (r Run) ViewLine() string {
	if r.View == "" {
		return "View: RFC conformance (a warning about an IdP's behaviour is a violation only in that IdP's view: --view entra, okta or onelogin)"
	}
	return "View: " + r.View + " (warnings about " + r.View + "'s behaviour are violations)"
}
