package samlidp

import "time"

// Timing bends the instants of one response the way a real IdP's clock or
// session policy does, without being an attack: a correct SP copes with
// a clock a little ahead and ends its session at SessionNotOnOrAfter.
type Timing struct {
	// ClockAhead shifts every instant the IdP writes, as an IdP whose clock
	// runs that far ahead of the SP's.
	ClockAhead time.Duration `json:"clockAhead,omitempty"`
	// SessionEndsIn sets AuthnStatement SessionNotOnOrAfter that long after
	// the IdP's now; zero leaves it out.
	SessionEndsIn time.Duration `json:"sessionEndsIn,omitempty"`
}

// Tamper implements Tamper.
func (t Timing) Tamper(stage Stage, d *Draft) error {
	if stage != StageBeforeSign {
		return nil
	}
	if t.SessionEndsIn != 0 {
		endSession(d, d.Now.Add(t.SessionEndsIn))
	}
	if t.ClockAhead != 0 {
		shift(d, t.ClockAhead)
	}
	return nil
}

// shift moves every instant of the draft by by.
func shift(d *Draft, by time.Duration) {
	move := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.Add(by)
		}
	}
	a := d.Assertion
	move(&a.IssueInstant)
	move(&d.Response.IssueInstant)
	if c := a.Conditions; c != nil {
		move(&c.NotBefore)
		move(&c.NotOnOrAfter)
	}
	if a.Subject != nil {
		for _, sc := range a.Subject.SubjectConfirmations {
			if sc.SubjectConfirmationData != nil {
				move(&sc.SubjectConfirmationData.NotOnOrAfter)
			}
		}
	}
	for i := range a.AuthnStatements {
		s := &a.AuthnStatements[i]
		move(&s.AuthnInstant)
		if s.SessionNotOnOrAfter != nil {
			at := s.SessionNotOnOrAfter.Add(by)
			s.SessionNotOnOrAfter = &at
		}
	}
	d.Now = d.Now.Add(by)
}
