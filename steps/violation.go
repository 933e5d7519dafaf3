package steps

import (
	"errors"
	"fmt"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

// A step says which verdict its failure deserves through the error it
// returns; the runner reads it with errors.As:
//
//   - violated: the target broke a MUST of what the scenario checks (a
//     violation), filed under the scenario's clause, or under Clause when
//     the check stands for another one (violatedOf);
//   - warned: a SHOULD, or an interoperability risk with a named IdP (a
//     warning: shown and counted, not failing the run);
//   - precondition: something the scenario needs first failed, such as
//     creating its users (could not check: the scenario's clause is not
//     blamed, the report points at the scenarios of Clause instead).
//
// Any other error means the harness could not check. A Violation returned
// before the scenario's first When or Then step is a precondition failure
// too, since Given and Background steps set the stage; unless it names a
// clause the scenario cites (violatedOf, under): a Given that checks, such
// as remembering the version in an ETag scenario, is the scenario's own
// check.

// Violation is a target's breach of what a scenario checks: the report shows
// it with what was expected and what came back.
type Violation struct {
	Expected []string
	Actual   string
	// Clause is the ledger id (fixtures/spec/clauses.yaml) the check stands
	// for when it is not the scenario's own: the failure is filed under it.
	Clause string
	// Should marks a SHOULD-level check: a warning, not a violation.
	Should bool
	// IdP names the IdP whose behaviour a warning stands for: in that
	// IdP's view (run --view) the warning is a violation.
	IdP string
}

func (v *Violation) Error() string {
	return fmt.Sprintf("expected %s, but got %s", strings.Join(v.Expected, " and "), v.Actual)
}

// violated builds a MUST Violation of the scenario's clause.
func violated(expected, actualFormat string, args ...any) error {
	return &Violation{Expected: []string{expected}, Actual: fmt.Sprintf(actualFormat, args...)}
}

// violatedOf builds a MUST Violation of the named clause.
func violatedOf(clause, expected, actualFormat string, args ...any) error {
	return &Violation{Expected: []string{expected}, Actual: fmt.Sprintf(actualFormat, args...), Clause: clause}
}

// warned builds a warning: a SHOULD, or a risk with a named IdP. clause
// may be "" for the scenario's own.
func warned(clause, expected, actualFormat string, args ...any) error {
	return &Violation{Expected: []string{expected}, Actual: fmt.Sprintf(actualFormat, args...), Clause: clause, Should: true}
}

// warnedFor builds a warning about an IdP's behaviour the RFCs do not
// demand (Entra's string booleans): a violation in that IdP's view.
func warnedFor(clause, idp, expected, actualFormat string, args ...any) error {
	return &Violation{Expected: []string{expected}, Actual: fmt.Sprintf(actualFormat, args...), Clause: clause, Should: true, IdP: idp}
}

// under files err's Violation, if it has one and it names no clause yet,
// under clause: the clause of the step that failed.
func under(clause string, err error) error {
	var v *Violation
	if errors.As(err, &v) && v.Clause == "" {
		v.Clause = clause
	}
	return err
}

// Precondition is a failure of something the scenario needs before it can
// check anything: the scenario could not be checked.
type Precondition struct {
	What   string // "create the user ada"
	Clause string // the ledger id whose scenarios check it, "" if none
	Err    error
	// IdP, when the target refused only what one IdP needs and the RFCs
	// do not (Entra's string booleans), names that IdP: outside its view
	// the scenario is skipped, since the target is within its rights.
	IdP string
}

func (p *Precondition) Error() string { return "could not " + p.What + ": " + p.Err.Error() }

func (p *Precondition) Unwrap() error { return p.Err }

// precondition marks err, if the target broke something (a Violation), as
// the failure of a precondition that the scenarios citing clause check.
// Other errors (no answer, an interrupted run) could not check anyway and
// keep their own words; one that already is a Precondition keeps its
// pointer.
func precondition(clause, what string, err error) error {
	var (
		p *Precondition
		v *Violation
	)
	if !errors.As(err, &v) || errors.As(err, &p) {
		return err
	}
	return &Precondition{What: what, Clause: clause, Err: err}
}

// setUp judges a request a Given step sent to set the stage (a PUT, PATCH
// or DELETE before the scenario's first When): a refusal is a failed
// precondition pointing at the scenarios of clause, so a later check does
// not blame its own clause for it. After the first When, the scenario's
// Then steps judge the answer instead.
func setUp(clause, what string, resp *scim.Response) error {
	if resp == nil || resp.Status/100 == 2 {
		return nil
	}
	return &Precondition{What: what, Clause: clause, Err: violated(what+" to succeed", "%s", resp.Brief())}
}
