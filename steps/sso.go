package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
)

// SSO is what the SSO steps share: the target's sso profile and the run's
// fake IdPs, already introduced to the target.
type SSO struct {
	Profile profile.SSO
	IdPs    idps.Control
	Err     error  // why the IdPs could not be started or introduced
	SP      string // the target's SAML entityID, for IdP-initiated logins
}

// ssoState is one scenario's browser, its session at the IdPs and what it did.
type ssoState struct {
	idp      idps.Session
	browser  *browser.Browser
	user     samlidp.User      // who is signed in at the IdPs
	page     *browser.Page     // where the last navigation ended
	navErr   error             // why it ended early, if it did
	before   map[string]string // alias → user as read before an attack
	canary   int               // canary hits before an attack
	attacker string            // alias of the attacker
	// bound are the test users aliases stand for (sso.users preexisting).
	bound map[string]samlidp.User
	// sessionEnds is the SessionNotOnOrAfter of the last login that had
	// one; clockMoved says the target's clock hook was moved (ssoDone
	// puts it back).
	sessionEnds time.Time
	clockMoved  bool
	// clock is the target's clock lock the scenario holds (clockLock), and
	// owned says it holds it alone.
	clock *sync.RWMutex
	owned bool
}

func registerSSO(sc stepper, w *World) {
	sc.Step(`^the target accepts (SAML|OIDC) logins$`, w.theTargetAcceptsLogins)
	claim := func(what string, want bool) func(context.Context) error {
		return func(ctx context.Context) error { return w.ssoClaim(ctx, what, want) }
	}
	sc.Step(`^the target provisions users just in time$`, claim("jit", true))
	sc.Step(`^the target does not provision users just in time$`, claim("jit", false))
	sc.Step(`^the target accepts IdP-initiated logins$`, claim("idp-initiated", true))
	sc.Step(`^the target does not accept IdP-initiated logins$`, claim("idp-initiated", false))
	sc.Step(`^the target ends sessions on deactivation$`, claim("ends-sessions", true))
	sc.Step(`^the SAML IdP behaves like (Okta|Entra ID|Google Workspace|OneLogin)$`, w.theIdPBehavesLike)
	sc.Step(`^"([^"]*)" is signed in at the IdP(?: with the groups "([^"]*)")?( with the userName in upper case)?$`, w.isSignedInAtTheIdP)
	sc.Step(`^the IdP now asserts the (given name|family name|email) "([^"]*)"$`, w.theIdPNowAsserts)
	sc.Step(`^the IdP now asserts the groups "([^"]*)"$`, w.theIdPNowAssertsGroups)
	sc.Step(`^the IdP asserts (\d+) groups, the groups "([^"]*)" last$`, w.theIdPAssertsManyGroups)
	sc.Step(`^the target's clock skew allowance is at most (\d+) minutes$`, w.theClockSkewIsAtMost)
	sc.Step(`^"([^"]*)" logs in through SAML$`, w.logsInThroughSAML)
	sc.Step(`^"([^"]*)" logs in through SAML, IdP-initiated(?: with the RelayState "([^"]*)")?$`, w.logsInIdPInitiated)
	sc.Step(stepSAMLAttack, w.sendsTheSAMLAttack)
	sc.Step(`^"([^"]*)" logs in through OIDC$`, w.logsInThroughOIDC)
	sc.Step(stepOIDCAttack, w.logsInWithABrokenToken)
	sc.Step(stepIsLoggedIn, w.isLoggedIn)
	sc.Step(stepCanLogIn, w.canLogIn)
	sc.Step(`^"([^"]*)" logs out$`, w.logsOut)
	sc.Step(`^the browser starts afresh$`, w.theBrowserStartsAfresh)
	sc.Step(`^the target's session belongs to "([^"]*)"$`, w.theSessionBelongsTo)
	sc.Step(stepNoSession, w.theTargetHasNoSession)
	sc.Step(stepNotBelongTo, w.theSessionDoesNotBelongTo)
	sc.Step(stepRefused, w.refusedAndNeverLoggedIn)
	sc.Step(`^the browser landed on the landing page$`, w.theBrowserLandedOnTheLandingPage)
	sc.Step(stepNotOffOrigin, w.notSentOffOrigin)
	sc.Step(stepCanary, w.theCanaryWasNeverFetched)
	sc.Step(stepUnchanged, w.theUsersAreUnchanged)
	sc.Step(`^the target now has a user "([^"]*)"$`, w.theTargetNowHasAUser)
	registerSSOTime(sc, w)
}

// ssoDeps returns the run's SSO setup; on first use it starts the
// scenario's SSO state: a browser and its own session at the IdPs, which
// ssoDone ends.
func (w *World) ssoDeps(ctx context.Context) (*SSO, error) {
	s := w.deps.SSO
	if s == nil {
		return nil, skip("the target profile has no sso section")
	}
	if s.Err != nil {
		return nil, fmt.Errorf("steps: the fake IdPs could not be connected to the target: %w", s.Err)
	}
	if w.sso == nil {
		// A session starts from the IdPs' defaults, whatever other
		// scenarios do; attacks impersonate the scenario's "victim" unless
		// told otherwise.
		sess, err := s.IdPs.Session(ctx, w.userName("victim"))
		if err != nil {
			return nil, fmt.Errorf("steps: start a session at the fake IdPs: %w", err)
		}
		b := browser.New()
		b.Observe = w.log.Add
		b.Prepare = sess.Identify
		w.sso = &ssoState{idp: sess, browser: b, clock: clockLock(s.Profile.ClockURL)}
		if w.sso.clock != nil {
			w.sso.clock.RLock()
		}
	}
	return s, nil
}

// ssoDone releases the IdPs and removes the users that logins created
// (JIT) under this scenario's prefix.
func (w *World) ssoDone(ctx context.Context) {
	if w.sso == nil {
		return
	}
	// An IdP that cannot forget the session keeps a little memory: nothing
	// any other scenario sees.
	_ = w.sso.idp.End(ctx)
	defer w.releaseClock()
	if w.sso.clockMoved {
		// Back to the real time before other scenarios log in again.
		if err := w.moveTargetClock(ctx, url.Values{"reset": {"1"}}, false); err != nil {
			w.leftover(scim.Leftover{Kind: "clock", Name: w.deps.SSO.Profile.ClockURL, Why: "the target's clock could not be put back: " + err.Error()})
		}
	}
	if w.deps.SCIM.BaseURL == "" {
		return // nothing to look in; the run's notes say what JIT may have left
	}
	quiet := w.client.ForCleanup() // cleanup traffic is not part of any check
	ours := func(name string) bool { return strings.HasPrefix(strings.ToLower(name), strings.ToLower(w.prefix)) }
	found, _, err := quiet.Search(ctx, "Users", `userName sw `+scim.Quote(w.prefix), ours)
	if err != nil {
		w.leftover(scim.Leftover{Kind: "Users", Name: w.prefix + "*", Why: "users that logins may have created could not be looked up: " + err.Error()})
	}
	for _, r := range found {
		if id := scim.ID(r); id != "" {
			w.track("Users", "login:"+scim.Name(r), id)
		}
	}
}

func (w *World) theTargetAcceptsLogins(ctx context.Context, kind string) error {
	s, err := w.ssoDeps(ctx)
	if err != nil {
		return err
	}
	if (kind == "SAML" && s.Profile.SAML == nil) || (kind == "OIDC" && s.Profile.OIDC == nil) {
		return skip("the target profile declares no " + kind + " login")
	}
	return nil
}

// ssoClaim skips the scenario unless the profile claims (or disclaims) a
// behaviour: a skip with its reason, never a vacuous pass.
func (w *World) ssoClaim(ctx context.Context, what string, want bool) error {
	s, err := w.ssoDeps(ctx)
	if err != nil {
		return err
	}
	var have bool
	var says string
	switch what {
	case "jit":
		have, says = s.Profile.JIT, "just-in-time provisioning (sso.jit)"
	case "idp-initiated":
		have, says = s.Profile.SAML != nil && s.Profile.SAML.IdPInitiated, "IdP-initiated SAML logins (sso.saml.idpInitiated)"
	case "ends-sessions":
		have, says = s.Profile.EndsSessionsOnDeactivation, "that deactivation ends sessions (sso.endsSessionsOnDeactivation)"
	}
	if have != want {
		if !want {
			return skip("the target profile claims " + says)
		}
		return skip("the target profile does not claim " + says)
	}
	return nil
}

var samlProfiles = map[string]string{
	"Okta": samlidp.Okta.Name, "Entra ID": samlidp.Entra.Name, "Google Workspace": samlidp.Google.Name, "OneLogin": samlidp.OneLogin.Name,
}

func (w *World) theIdPBehavesLike(ctx context.Context, name string) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	return w.sso.idp.SetSAMLProfile(ctx, samlProfiles[name])
}

// isSignedInAtTheIdP makes alias the person both IdPs assert: the same
// userName, email and names the SCIM steps give the alias.
// Okta sends the login as the person typed it, so its case may differ from
// the SCIM userName (okta-case).
func (w *World) isSignedInAtTheIdP(ctx context.Context, alias, groups, upper string) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	u, err := w.asserted(alias)
	if err != nil {
		return err
	}
	w.sso.user = u
	if upper != "" {
		w.sso.user.UserName = strings.ToUpper(w.sso.user.UserName)
	}
	for _, g := range splitList(groups) {
		w.sso.user.Groups = append(w.sso.user.Groups, w.displayName(g))
	}
	if err := w.signIn(ctx); err != nil {
		return err
	}
	return nil
}

// signIn hands the current user to both IdPs.
func (w *World) signIn(ctx context.Context) error {
	return w.sso.idp.LoginAs(ctx, w.sso.user)
}

func (w *World) theIdPNowAsserts(ctx context.Context, what, value string) error {
	if w.sso == nil || w.sso.user.UserName == "" {
		return fmt.Errorf("steps: nobody is signed in at the IdP yet")
	}
	value, err := w.expand(value)
	if err != nil {
		return err
	}
	switch what {
	case "given name":
		w.sso.user.GivenName = value
	case "family name":
		w.sso.user.FamilyName = value
	case "email":
		w.sso.user.Email = value
	}
	if err := w.signIn(ctx); err != nil {
		return err
	}
	return nil
}

func (w *World) theIdPNowAssertsGroups(ctx context.Context, groups string) error {
	if w.sso == nil || w.sso.user.UserName == "" {
		return fmt.Errorf("steps: nobody is signed in at the IdP yet")
	}
	w.sso.user.Groups = nil
	for _, g := range splitList(groups) {
		w.sso.user.Groups = append(w.sso.user.Groups, w.displayName(g))
	}
	if err := w.signIn(ctx); err != nil {
		return err
	}
	return nil
}

// theIdPAssertsManyGroups asserts n groups: groups the target does not
// have, then the named ones.
func (w *World) theIdPAssertsManyGroups(ctx context.Context, n int, groups string) error {
	if err := w.theIdPNowAssertsGroups(ctx, groups); err != nil {
		return err
	}
	named := w.sso.user.Groups
	var all []string
	for i := len(named); i < n; i++ {
		all = append(all, fmt.Sprintf("%sunmapped-%03d", w.prefix, i))
	}
	all = append(all, named...)
	w.sso.user.Groups = all
	if err := w.signIn(ctx); err != nil {
		return err
	}
	return nil
}

// navigate drives the browser and keeps where it ended. A refused off-site
// redirect is kept for the Then steps to judge. A loop (a second login in
// one navigation, or too many hops) is never a completed login: the scenario
// could not be checked, and says why. A target that does not answer is a
// harness error.
func (w *World) navigate(_ context.Context, f func() (*browser.Page, error)) error {
	page, err := f()
	w.sso.page, w.sso.navErr = page, err
	var off *browser.NotLoopbackError
	switch {
	case err == nil || errors.As(err, &off):
		return nil
	case errors.Is(err, browser.ErrLoginLoop) || errors.Is(err, browser.ErrTooManyHops):
		return &Precondition{What: "complete one login", Err: fmt.Errorf("%w; hops: %s. A login URL that starts single sign-on again "+
			"after a login is a configuration error: point sso.saml.loginUrl or sso.oidc.loginUrl at a page that starts one login and "+
			"then shows the target", err, hops(page))}
	}
	return fmt.Errorf("steps: the login did not get an answer: %w", err)
}

// hops lists where a navigation went, paths only (a query may hold a code
// or a SAML message), the last eight at most.
func hops(p *browser.Page) string {
	if p == nil || len(p.Hops) == 0 {
		return "none"
	}
	var out []string
	for _, h := range p.Hops {
		where := h.URL
		if u, err := url.Parse(h.URL); err == nil {
			where = u.Scheme + "://" + u.Host + u.Path
		}
		out = append(out, fmt.Sprintf("%s %s %d", h.Method, where, h.Status))
	}
	if len(out) > 8 {
		out = append([]string{"…"}, out[len(out)-8:]...)
	}
	return strings.Join(out, " → ")
}

func (w *World) signedInAs(alias string) error {
	if w.sso == nil {
		return fmt.Errorf("steps: %q is not the user signed in at the IdP", alias)
	}
	p, err := w.asserted(alias)
	if err != nil {
		return err
	}
	if !strings.EqualFold(w.sso.user.UserName, p.UserName) {
		return fmt.Errorf("steps: %q is not the user signed in at the IdP", alias)
	}
	return nil
}

func (w *World) logsInThroughSAML(ctx context.Context, alias string) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	return w.samlLogin(ctx, false, "")
}

func (w *World) logsInIdPInitiated(ctx context.Context, alias, relay string) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	if relay == "the landing page" {
		relay = w.deps.SSO.Profile.LandingPath
	}
	return w.samlLogin(ctx, true, relay)
}

// samlLogin runs one SAML login in the scenario's browser.
func (w *World) samlLogin(ctx context.Context, idpInitiated bool, relay string) error {
	s := w.deps.SSO
	if s.Profile.SAML == nil {
		return fmt.Errorf("steps: the target profile declares no SAML login")
	}
	start := s.Profile.SAML.LoginURL
	if idpInitiated {
		start = w.sso.idp.IdPInitiatedURL(s.SP, relay)
	}
	return w.navigate(ctx, func() (*browser.Page, error) { return w.sso.browser.Get(ctx, start) })
}

// theClockSkewIsAtMost measures how far in the future an assertion's
// NotBefore may be and still be accepted (SAML Core §2.5.1.2 leaves the
// allowance to the SP), so the time attacks (±10 minutes) are known to lie
// past it: fresh logins with NotBefore 1 minute, half the limit, the limit
// and one minute past it ahead; the last must be refused.
func (w *World) theClockSkewIsAtMost(ctx context.Context, limit int) error {
	if w.sso == nil || w.sso.user.UserName == "" {
		return fmt.Errorf("steps: nobody is signed in at the IdP yet")
	}
	accepted := time.Duration(0)
	for _, m := range []int{1, limit / 2, limit, limit + 1} {
		if m < 1 {
			continue
		}
		ahead := time.Duration(m) * time.Minute
		if err := w.sso.idp.ArmNotBefore(ctx, ahead); err != nil {
			return err
		}
		w.sso.browser.Reset()
		if err := w.samlLogin(ctx, false, ""); err != nil {
			return err
		}
		got, err := w.sessionUser(ctx)
		if err != nil {
			return err
		}
		if got != "" {
			accepted = ahead
		}
	}
	w.sso.browser.Reset()
	if accepted > time.Duration(limit)*time.Minute {
		return violatedOf("saml-core-2.5.1.2", fmt.Sprintf("a clock skew allowance of at most %d minutes", limit), "an assertion valid only from %s on was accepted", accepted)
	}
	return nil
}

// prepareAttack starts a fresh browser, names the victim to the IdPs and
// reads what the attack could harm.
func (w *World) prepareAttack(ctx context.Context, attacker, victim string) error {
	w.sso.browser.Reset()
	w.sso.attacker = attacker
	if victim != "victim" {
		return fmt.Errorf("steps: attacks impersonate the alias \"victim\", not %q", victim)
	}
	hits, err := w.sso.idp.CanaryHits(ctx)
	if err != nil {
		return err
	}
	w.sso.canary = hits
	w.sso.before = map[string]string{}
	if w.usersFrom() != profile.UsersSCIM {
		return nil // the run did not provision them: no SCIM record to compare
	}
	for _, alias := range []string{attacker, victim} {
		u, err := w.readUserQuietly(ctx, alias)
		if err != nil {
			return err
		}
		w.sso.before[alias] = u
	}
	return nil
}

func (w *World) logsInThroughOIDC(ctx context.Context, alias string) error {
	if err := w.signedInAs(alias); err != nil {
		return err
	}
	o := w.deps.SSO.Profile.OIDC
	if o == nil {
		return fmt.Errorf("steps: the target profile declares no OIDC login")
	}
	return w.navigate(ctx, func() (*browser.Page, error) { return w.sso.browser.Get(ctx, o.LoginURL) })
}

func (w *World) logsOut(ctx context.Context, _ string) error {
	s, err := w.ssoDeps(ctx)
	if err != nil {
		return err
	}
	if s.Profile.LogoutURL == "" {
		return skip("the target profile has no sso.logoutUrl")
	}
	return w.navigate(ctx, func() (*browser.Page, error) { return w.sso.browser.Get(ctx, s.Profile.LogoutURL) })
}

func (w *World) theBrowserStartsAfresh(ctx context.Context) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	w.sso.browser.Reset()
	return nil
}

// sessionUser asks the target's session probe who the browser is logged
// in as: "" for nobody (401, 403 or a redirect to a login page).
func (w *World) sessionUser(ctx context.Context) (string, error) {
	s := w.deps.SSO
	page, err := w.sso.browser.Fetch(ctx, s.Profile.Session.URL)
	if err != nil {
		return "", fmt.Errorf("steps: the session probe %s: %w", s.Profile.Session.URL, err)
	}
	switch {
	case page.Status == http.StatusUnauthorized || page.Status == http.StatusForbidden || (page.Status >= 300 && page.Status < 400):
		return "", nil
	case page.Status != http.StatusOK:
		return "", violated("the session probe to answer 200, 401 or 403", "%d: %s", page.Status, brief(page.Body))
	}
	var body map[string]any
	if err := json.Unmarshal(page.Body, &body); err != nil {
		return "", violated("the session probe to answer a JSON object", "%s (%v)", brief(page.Body), err)
	}
	name, _ := body[s.Profile.Session.UserNameField].(string)
	return name, nil
}

func (w *World) theSessionBelongsTo(ctx context.Context, alias string) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	got, err := w.sessionUser(ctx)
	if err != nil {
		return err
	}
	ok, err := w.isPerson(got, alias)
	if err != nil {
		return err
	}
	if !ok {
		p, _ := w.asserted(alias)
		return violated("a session as "+p.UserName, "%s; the login ended %s", who(got), w.navigationEnd())
	}
	return nil
}

func (w *World) theTargetHasNoSession(ctx context.Context) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	got, err := w.sessionUser(ctx)
	if err != nil {
		return err
	}
	if got != "" {
		return violated("no session", "a session as %s", got)
	}
	return nil
}

func (w *World) theSessionDoesNotBelongTo(ctx context.Context, alias string) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	got, err := w.sessionUser(ctx)
	if err != nil {
		return err
	}
	ok, err := w.isPerson(got, alias)
	if err != nil {
		return err
	}
	if ok {
		p, _ := w.asserted(alias)
		return violated("no session as "+p.UserName, "a session as %s", got)
	}
	return nil
}

func (w *World) theBrowserLandedOnTheLandingPage(ctx context.Context) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	want := w.deps.SSO.Profile.LandingPath
	if w.sso.navErr != nil || w.sso.page == nil || w.sso.page.URL == nil {
		return violated("the login to end on "+want, "it ended %s", w.navigationEnd())
	}
	if got := w.sso.page.URL.Path; got != want {
		return violated("the login to end on "+want, "it ended on %s", w.sso.page.URL)
	}
	return nil
}

// notSentOffOrigin: the browser refuses any non-loopback URL, so an SP that
// follows a hostile RelayState shows up as that refusal.
func (w *World) notSentOffOrigin(ctx context.Context) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	var off *browser.NotLoopbackError
	if errors.As(w.sso.navErr, &off) {
		return violated("the target to keep the browser on its own origin", "it redirected to %s", off.URL)
	}
	return nil
}

func (w *World) theCanaryWasNeverFetched(ctx context.Context) error {
	if _, err := w.ssoDeps(ctx); err != nil {
		return err
	}
	hits, err := w.sso.idp.CanaryHits(ctx)
	if err != nil {
		return err
	}
	if n := hits - w.sso.canary; n > 0 {
		// Say what the session shows too: the canary is judged first.
		got, err := w.sessionUser(ctx)
		session := who(got)
		if err != nil {
			session = "an unreadable session probe"
		}
		return violated("the target never to fetch the URL in the DOCTYPE", "it fetched %s %d times, and then showed %s", idps.CanaryPath, n, session)
	}
	return nil
}

// theUsersAreUnchanged compares users with how they read before the attack,
// meta aside.
func (w *World) theUsersAreUnchanged(ctx context.Context, list string) error {
	if w.sso == nil || w.sso.before == nil {
		return fmt.Errorf("steps: no attack was sent in this scenario")
	}
	if w.usersFrom() != profile.UsersSCIM {
		// The users came from JIT or the target's own accounts, which the
		// harness cannot read without provisioning them: the session
		// checks are the verdict.
		return nil
	}
	for _, alias := range splitList(list) {
		before, ok := w.sso.before[alias]
		if !ok {
			return fmt.Errorf("steps: %q was not read before the attack", alias)
		}
		after, err := w.readUserQuietly(ctx, alias)
		if err != nil {
			return err
		}
		if after != before {
			return violated(fmt.Sprintf("the user %s unchanged by the attack", alias), "before %s, after %s", before, after)
		}
	}
	return nil
}

// readUserQuietly reads a user created in this scenario as canonical JSON
// without meta, or "absent".
func (w *World) readUserQuietly(ctx context.Context, alias string) (string, error) {
	r := w.byAlias["Users/"+alias]
	if r == nil {
		return "", fmt.Errorf("steps: the user %q was not created in this scenario", alias)
	}
	resp, err := w.client.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/Users/" + r.id})
	if err != nil {
		return "", err
	}
	if resp.Status == http.StatusNotFound {
		return "absent", nil
	}
	o, err := resp.Object()
	if err != nil || resp.Status != http.StatusOK {
		return "", violated("the user "+alias+" to read back", "%s", resp.Brief())
	}
	delete(o, "meta")
	b, err := json.Marshal(o) // map keys sort, so equal users print equal
	return string(b), err
}

// theTargetNowHasAUser finds a user a login created, by userName, and takes
// it into the scenario (and its cleanup) under alias.
func (w *World) theTargetNowHasAUser(ctx context.Context, alias string) error {
	name := w.userName(alias)
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: `/Users?filter=userName eq "` + name + `"`})
	if err != nil {
		return err
	}
	if _, err := w.listResponse(); err != nil {
		return err
	}
	found, err := scim.FindOne(resp, "userName", name)
	if err != nil {
		return violated("exactly one user "+name+" in the answer to a filter on its userName", "%v", err)
	}
	if found == nil {
		return violated("exactly one user "+name+" in the target after the login", "none: %s; the login ended %s", resp.Brief(), w.navigationEnd())
	}
	w.track("Users", alias, scim.ID(found))
	return nil
}

// navigationEnd says how the last navigation ended, for failure messages.
func (w *World) navigationEnd() string {
	if w.sso == nil || (w.sso.page == nil && w.sso.navErr == nil) {
		return "before any login"
	}
	if w.sso.navErr != nil {
		return "with " + w.sso.navErr.Error()
	}
	p := w.sso.page
	return fmt.Sprintf("on %s with %d: %s", p.URL, p.Status, brief(p.Body))
}

func who(name string) string {
	if name == "" {
		return "no session"
	}
	return "a session as " + name
}

// brief is the start of a body, on one line.
func brief(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}
