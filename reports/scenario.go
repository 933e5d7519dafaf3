package reports

// Problem is what a test runner shows for a scenario that did not pass:
// the clauses it stands for, the step that broke, expected against actual
// and the exchanges behind it, as junit.xml has it.
func (s Scenario) Problem() string { return problemBody(s) }

// StoppedLine is the line that leads every report of a run that stopped
// before any scenario, "" for one that did not.
func (r Run) StoppedLine() string {
	if r.Stopped == "" {
		return ""
	}
	return "Stopped: nothing was checked: " + oneLine(r.Stopped)
}

// SkipReason is why a skipped scenario was skipped.
func (s Scenario) SkipReason() string { return skipReason(s) }
