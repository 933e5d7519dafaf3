package samlidp

import "fmt"

// Stage is a point in the pipeline where a Tamper runs.
type Stage int

// The stages, in order.
const (
	// StageBeforeSign: Draft.Assertion and Draft.Response are Go values.
	StageBeforeSign Stage = iota
	// StageAssertionSigned: Draft.AssertionEl is the rendered (and, per
	// profile, signed) assertion; replace it to send a different one.
	StageAssertionSigned
	// StageResponseSigned: Draft.Doc is the whole response, signed, its
	// assertions still in the clear; Serialize encrypts them after this
	// stage when the SP gets encrypted assertions (Draft.EncryptTo).
	StageResponseSigned
	// StageSerialized: Draft.XML is the final byte string.
	StageSerialized
)

// Tamper edits a draft at each stage. It is the seam every attack uses.
type Tamper interface {
	Tamper(stage Stage, d *Draft) error
}

// TamperFunc adapts a function to Tamper.
type TamperFunc func(stage Stage, d *Draft) error

// Tamper implements Tamper.
func (f TamperFunc) Tamper(stage Stage, d *Draft) error { return f(stage, d) }

// Issue runs the whole pipeline for user and req in the default session,
// calling t (may be nil) at every stage, and returns the finished draft.
func (idp *IdP) Issue(user User, req Request, t Tamper) (*Draft, error) {
	s := idp.Session("")
	var v view
	s.with(func(ss *session) { v = s.view(ss) })
	return idp.issue(v, user, req, t)
}

// issue is Issue in session v.
func (idp *IdP) issue(v view, user User, req Request, t Tamper) (*Draft, error) {
	d, err := idp.buildAssertion(v, user, req)
	if err != nil {
		return nil, err
	}
	steps := []struct {
		stage Stage
		next  func() error
	}{
		{StageBeforeSign, d.RenderAssertion},
		{StageAssertionSigned, d.BuildResponse},
		{StageResponseSigned, d.Serialize},
		{StageSerialized, func() error { return nil }},
	}
	for _, s := range steps {
		if t != nil {
			if err := t.Tamper(s.stage, d); err != nil {
				return nil, fmt.Errorf("samlidp: tamper at stage %d: %w", s.stage, err)
			}
		}
		if err := s.next(); err != nil {
			return nil, err
		}
	}
	idp.Session(v.id).with(func(ss *session) { ss.last = d })
	return d, nil
}
