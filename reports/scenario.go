package reports

// Problem is what a test runner shows for a scenario that did not pass:
// the clauses it stands for, the step that broke, expected against actual
// and the exchanges behind it, as junit.xml has it.
func (s Scenario) Problem() string { return problemBody(s) }

// SkipReason is why a skipped scenario was skipped.
func (s Scenario) SkipReason() string { return skipReason(s) }
