package steps

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
)

// sessionEndGrace is how long after SessionNotOnOrAfter a session may
// outlive it before the check counts it as not ended: the clock skew most
// SAML SPs allow by default (crewjam/saml's MaxClockSkew, Shibboleth's
// clockSkew, both 3 minutes).
const sessionEndGrace = 3 * time.Minute

// sessionPoll is how often the real-time wait asks the session probe.
const sessionPoll = 5 * time.Second

// registerSSOTime registers the steps about time: an IdP clock ahead of the
// target's, NotBefore in the future, and a session bounded by the IdP.
func registerSSOTime(sc stepper, w *World) {
	sc.Step(`^"([^"]*)" logs in through SAML from an IdP whose clock runs (\d+) seconds ahead$`, w.logsInWithIdPClockAhead)
	sc.Step(`^"([^"]*)" logs in through SAML with an assertion valid only from (\d+) minutes on$`, w.logsInWithNotBeforeAhead)
	sc.Step(`^"([^"]*)" is logged in through SAML with a session that ends in (\d+) seconds$`, w.isLoggedInWithSessionEnd)
	sc.Step(`^the IdP's SessionNotOnOrAfter has passed$`, w.sessionNotOnOrAfterPasses)
}

func (w *World) logsInWithIdPClockAhead(ctx context.Context, alias string, seconds int) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	ahead := time.Duration(seconds) * time.Second
	if err := w.sso.idp.ArmTiming(ctx, samlidp.Timing{ClockAhead: ahead}); err != nil {
		return err
	}
	return w.samlLogin(ctx, false, "")
}

func (w *World) logsInWithNotBeforeAhead(ctx context.Context, alias string, minutes int) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	if err := w.sso.idp.ArmNotBefore(ctx, time.Duration(minutes)*time.Minute); err != nil {
		return err
	}
	return w.samlLogin(ctx, false, "")
}

// isLoggedInWithSessionEnd logs in with an AuthnStatement
// SessionNotOnOrAfter seconds from now and remembers when that is; a login
// that opens no session is a failed precondition, since the check is what
// happens to the session afterwards.
func (w *World) isLoggedInWithSessionEnd(ctx context.Context, alias string, seconds int) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	want, err := w.names(alias)
	if err != nil {
		return err
	}
	in := time.Duration(seconds) * time.Second
	w.sso.sessionEnds = time.Now().Add(in)
	err = w.showWorkingLogin(ctx, want, func() error {
		if err := w.sso.idp.ArmTiming(ctx, samlidp.Timing{SessionEndsIn: in}); err != nil {
			return err
		}
		return w.samlLogin(ctx, false, "")
	})
	return precondition("saml-prof-4.1.3", fmt.Sprintf("show that a SAML login as %s whose session ends in %s works", alias, in), err)
}

// sessionNotOnOrAfterPasses lets the SessionNotOnOrAfter of the last login
// pass, plus sessionEndGrace: through the profile's sso.clockUrl when the
// target has one (its clock moves; ssoDone puts it back), else in real
// time, asking the session probe every few seconds until the session is
// gone or the time is up.
func (w *World) sessionNotOnOrAfterPasses(ctx context.Context) error {
	s, err := w.ssoDeps(ctx)
	if err != nil {
		return err
	}
	if w.sso.sessionEnds.IsZero() {
		return fmt.Errorf("steps: no login in this scenario carried a SessionNotOnOrAfter")
	}
	if s.Profile.ClockURL != "" {
		w.ownClock()
		wait := time.Until(w.sso.sessionEnds) + sessionEndGrace
		w.sso.clockMoved = true
		return w.moveTargetClock(ctx, url.Values{"advance": {wait.Round(time.Second).String()}}, true)
	}
	deadline := w.sso.sessionEnds.Add(sessionEndGrace)
	for {
		got, err := w.sessionUser(ctx)
		if err != nil || got == "" || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(sessionPoll, time.Until(deadline))):
		}
	}
}

// clocks holds a lock per target clock hook (sso.clockUrl). Every SSO
// scenario against a target with one holds it shared; a scenario that
// moves the clock holds it alone until ssoDone puts the clock back, since
// any login meanwhile would be judged by the moved clock.
var clocks sync.Map // clock URL → *sync.RWMutex

// clockLock is the lock of the clock hook u; nil for none.
func clockLock(u string) *sync.RWMutex {
	if u == "" {
		return nil
	}
	l, _ := clocks.LoadOrStore(u, new(sync.RWMutex))
	return l.(*sync.RWMutex)
}

// ownClock trades the scenario's shared hold on the target's clock for the
// whole of it, once the other scenarios that log in there are done.
func (w *World) ownClock() {
	if w.sso.clock == nil || w.sso.owned {
		return
	}
	w.sso.clock.RUnlock()
	w.sso.clock.Lock()
	w.sso.owned = true
}

// releaseClock lets go of the target's clock.
func (w *World) releaseClock() {
	switch {
	case w.sso.clock == nil:
	case w.sso.owned:
		w.sso.clock.Unlock()
	default:
		w.sso.clock.RUnlock()
	}
}

// moveTargetClock posts form to the profile's sso.clockUrl, in the
// scenario's transcript if observed.
func (w *World) moveTargetClock(ctx context.Context, form url.Values, observed bool) error {
	b := browser.New()
	if observed {
		b.Observe = w.log.Add
	}
	u := w.deps.SSO.Profile.ClockURL
	page, err := b.PostForm(ctx, u, form)
	if err != nil {
		return fmt.Errorf("steps: the target's clock hook %s: %w", u, err)
	}
	if page.Status/100 != 2 {
		return fmt.Errorf("steps: the target's clock hook %s answered %d: %s", u, page.Status, brief(page.Body))
	}
	return nil
}
