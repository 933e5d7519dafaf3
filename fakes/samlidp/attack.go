package samlidp

import (
	"fmt"
	"sort"
)

// Expect says how an SP shows it resisted an attack.
type Expect int

// The expectations. All of them also require that no user is created or
// changed on the attacker's behalf.
const (
	// ExpectReject: no session at all.
	ExpectReject Expect = iota
	// ExpectNotVictim: a session may exist, but never as the victim.
	ExpectNotVictim
	// ExpectNoOffsiteRedirect: login may succeed; the SP must not redirect
	// off its own origin.
	ExpectNoOffsiteRedirect
	// ExpectNoFetch: the SP rejects, and never fetches Options.CanaryURL.
	ExpectNoFetch
)

// Attack is one entry of the SSO catalogue (shared/sso-negative.md) as a
// Tamper. Arm it on the IdP, drive a login, then judge by Expect; the
// positive twin (Twin) runs the same pipeline without the mutation and must
// log in.
type Attack struct {
	ID          string // catalogue id: SIG-01, XSW3, P-07, ...
	Description string
	Expect      Expect
	// IdPInitiated: drive it as an unsolicited (IdP-initiated) login.
	IdPInitiated bool
	// Replay: post the twin's accepted response a second time, from a
	// fresh cookie jar; the second post is the attack.
	Replay bool
	// TwinUser names whom the twin logs in, given the signed-in user and
	// the victim; nil: the signed-in user.
	TwinUser func(user, victim string) string
	// prepare runs in both the attack and its twin (signing shape, user).
	prepare func(d *Draft)
	// mutate is the attack proper.
	mutate func(stage Stage, d *Draft) error
}

// Tamper implements Tamper: prepare, then the mutation.
func (a Attack) Tamper(stage Stage, d *Draft) error {
	if stage == StageBeforeSign && a.prepare != nil {
		a.prepare(d)
	}
	if a.mutate == nil {
		return nil
	}
	if err := a.mutate(stage, d); err != nil {
		return fmt.Errorf("attack %s: %w", a.ID, err)
	}
	return nil
}

// Twin is the positive twin: the same preparation, no mutation.
func (a Attack) Twin() Tamper {
	return Attack{ID: a.ID + "-twin", prepare: a.prepare}
}

// at runs f only at stage s.
func at(s Stage, f func(d *Draft) error) func(Stage, *Draft) error {
	return func(stage Stage, d *Draft) error {
		if stage != s {
			return nil
		}
		return f(d)
	}
}

// AttackByID returns the attack with the catalogue id.
func AttackByID(id string) (Attack, error) {
	for _, a := range attacks {
		if a.ID == id {
			return a, nil
		}
	}
	return Attack{}, fmt.Errorf("samlidp: attack %q: unknown (have %v)", id, AttackIDs())
}

// Attacks returns the whole table.
func Attacks() []Attack {
	return append([]Attack(nil), attacks...)
}

// AttackIDs lists the attack ids, sorted.
func AttackIDs() []string {
	ids := make([]string, 0, len(attacks))
	for _, a := range attacks {
		ids = append(ids, a.ID)
	}
	sort.Strings(ids)
	return ids
}
