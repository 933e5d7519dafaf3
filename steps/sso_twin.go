package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/fakes/oidc"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/username"
)

// No verdict without a working login: a refused attack, a closed session or
// a refused user proves nothing when every login is refused. So every step
// below first shows a login that works, from the same SP, for the same user
// and in the same shape as the check that follows; when it does not work,
// the scenario could not be checked (a Precondition quoting the target's
// answer), never a violation of the clause it checks.
//
// The attack steps run their positive twin themselves, so a new attack
// scenario cannot forget it; scenarios whose check a broken login would
// pass (logout, deactivation, JIT off) start with one of the control steps.
// TestNegativeSSOScenariosShowAWorkingLogin holds every @sso scenario to this.
//
// A new SAML attack is a row of fakes/samlidp's table (its prepare sets the
// shape the twin shares; TwinUser if the twin logs in someone else) and a
// scenario that says `When "mallory" sends the SAML attack <id> against
// "victim"`; a new OIDC breakage is a row of fakes/oidc's table and the
// broken-token step. Neither needs a twin step of its own.
const (
	// stepSAMLAttack: the twin of the attack, then the attack.
	stepSAMLAttack = `^"([^"]*)" sends the SAML attack ([A-Z0-9-]+) against "([^"]*)"$`
	// stepOIDCAttack: a plain login of the attacker, then the broken one.
	stepOIDCAttack = `^"([^"]*)" logs in through OIDC with the broken token ([a-z0-9_-]+) against "([^"]*)"$`
	// stepIsLoggedIn: a login that works, its session kept.
	stepIsLoggedIn = `^"([^"]*)" is logged in through (SAML|OIDC)$`
	// stepCanLogIn: a login that works, then a fresh browser.
	stepCanLogIn = `^"([^"]*)" can log in through (SAML|OIDC)$`
)

// The checks a target that refuses every login passes: each needs one of
// the steps above before it.
const (
	stepNoSession    = `^the target has no session$`
	stepNotBelongTo  = `^the target's session does not belong to "([^"]*)"$`
	stepRefused      = `^the target refused the response, and never logged in "([^"]*)"$`
	stepNotOffOrigin = `^the target did not send the browser off its origin$`
	stepCanary       = `^the canary URL was never fetched$`
	stepUnchanged    = `^the users "([^"]*)" are unchanged$`
)

// showWorkingLogin runs login from a fresh browser and requires a session
// as want: a Violation saying how the login ended (the target's answer, in
// brief) when there is none. Its callers make that a failed precondition
// pointing at the scenarios that check a plain login.
func (w *World) showWorkingLogin(ctx context.Context, want []string, login func() error) error {
	w.sso.browser.Reset()
	if err := login(); err != nil {
		return err
	}
	got, err := w.sessionUser(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(want, func(n string) bool { return strings.EqualFold(got, n) }) {
		return violated("a session as "+want[0], "%s; the login ended %s", who(got), w.navigationEnd())
	}
	return nil
}

// names are what the session probe may show for alias: the person's
// userName or email (sso.session.userNameField may be either), which are
// a listed test user's under sso.users preexisting.
func (w *World) names(alias string) ([]string, error) {
	p, err := w.asserted(alias)
	if err != nil {
		return nil, err
	}
	if p.Email == "" {
		return []string{p.UserName}, nil
	}
	return []string{p.UserName, p.Email}, nil
}

func (w *World) isLoggedIn(ctx context.Context, alias, kind string) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	want, err := w.names(alias)
	if err != nil {
		return err
	}
	what := "show that a SAML login as " + alias + " works"
	if kind == "OIDC" {
		what = "show that an OIDC login as " + alias + " works"
		err := w.showWorkingLogin(ctx, want, func() error { return w.logsInThroughOIDC(ctx, alias) })
		return precondition("oidc-core-3.1.3.7", what, err)
	}
	err = w.showWorkingLogin(ctx, want, func() error { return w.samlLogin(ctx, false, "") })
	return precondition("saml-prof-4.1.3", what, err)
}

func (w *World) canLogIn(ctx context.Context, alias, kind string) error {
	if err := w.isLoggedIn(ctx, alias, kind); err != nil {
		return err
	}
	w.sso.browser.Reset()
	return nil
}

// sendsTheSAMLAttack shows the attack's positive twin (the same pipeline,
// signing shape and binding, without the tampering) logs in, then arms the
// attack and drives it from a fresh browser, after reading the users it
// could harm. A replay posts the twin's accepted response again, from
// another fresh browser.
func (w *World) sendsTheSAMLAttack(ctx context.Context, attacker, id, victim string) error {
	a, err := samlidp.AttackByID(id)
	if err != nil {
		return err
	}
	if err := w.signedInAs(attacker); err != nil {
		return err
	}
	if victim != "victim" {
		return fmt.Errorf("steps: attacks impersonate the alias \"victim\", not %q", victim)
	}
	ids := w.sso.idp
	want, err := w.names(attacker)
	if err != nil {
		return err
	}
	if a.TwinUser != nil {
		v, err := w.asserted(victim)
		if err != nil {
			return err
		}
		want = []string{a.TwinUser(want[0], v.UserName)}
		if err := username.Check(w.deps.Usernames.Rule, want[0]); err != nil {
			return skip(fmt.Sprintf("%s needs the attacker to own %q, a userName the target's %s rule forbids (%v)", id, want[0], w.deps.Usernames.Rule, err))
		}
	}
	err = w.showWorkingLogin(ctx, want, func() error {
		if err := ids.ArmAttack(ctx, a.ID, true); err != nil {
			return err
		}
		return w.samlLogin(ctx, a.IdPInitiated, "")
	})
	what := fmt.Sprintf("show that the positive twin of %s (the same login without the tampering) logs in %s", id, want[0])
	if a.IdPInitiated {
		err = precondition("saml-prof-4.1.5", what, err)
	} else {
		err = precondition("saml-prof-4.1.3", what, err)
	}
	if err != nil {
		return err
	}
	twin := w.sso.browser.LastForm
	if err := w.prepareAttack(ctx, attacker, victim); err != nil {
		return err
	}
	if a.Replay {
		if twin == nil {
			return fmt.Errorf("steps: the positive twin of %s posted no SAML response to replay", id)
		}
		return w.navigate(ctx, func() (*browser.Page, error) { return w.sso.browser.PostForm(ctx, twin.Action, twin.Values) })
	}
	if err := ids.ArmAttack(ctx, a.ID, false); err != nil {
		return err
	}
	return w.samlLogin(ctx, a.IdPInitiated, "")
}

// logsInWithABrokenToken shows a plain OIDC login of the attacker works,
// then breaks the next one on purpose, from a fresh browser.
func (w *World) logsInWithABrokenToken(ctx context.Context, attacker, id, victim string) error {
	if _, err := oidc.BreakageByID(id); err != nil {
		return err
	}
	if err := w.signedInAs(attacker); err != nil {
		return err
	}
	want, err := w.names(attacker)
	if err != nil {
		return err
	}
	err = w.showWorkingLogin(ctx, want, func() error { return w.logsInThroughOIDC(ctx, attacker) })
	what := fmt.Sprintf("show that the positive twin of %s (the same login, unbroken) logs in %s", id, attacker)
	if err := precondition("oidc-core-3.1.3.7", what, err); err != nil {
		return err
	}
	if err := w.prepareAttack(ctx, attacker, victim); err != nil {
		return err
	}
	if err := w.sso.idp.ArmBreakage(ctx, id); err != nil {
		return err
	}
	return w.logsInThroughOIDC(ctx, attacker)
}

// refusedAndNeverLoggedIn judges an attack that leaves the signed content
// intact beside the tampering (signature wrapping, a DOCTYPE): the victim
// logged in is a violation; the attacker logged in as themselves means the
// target used the signed content and let the tampering pass, which it
// should refuse (a warning); no session passes.
func (w *World) refusedAndNeverLoggedIn(ctx context.Context, victim string) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	got, err := w.sessionUser(ctx)
	if err != nil {
		return err
	}
	if got == "" {
		return nil
	}
	isVictim, err := w.isPerson(got, victim)
	if err != nil {
		return err
	}
	isAttacker := false
	if w.sso.attacker != "" {
		if isAttacker, err = w.isPerson(got, w.sso.attacker); err != nil {
			return err
		}
	}
	switch {
	case isVictim:
		return violated("no session as "+victim, "a session as %s: the target read the tampered, unsigned content", got)
	case isAttacker:
		return warned("", "the tampered response refused",
			"a session as %s, the attacker as themselves: the target used the signed content and let the tampering pass", got)
	}
	return violated("no session", "a session as %s", got)
}
