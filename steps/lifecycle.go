package steps

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
)

// lifeState is what the lifecycle steps made outside SCIM: the personal
// accounts they signed up, closed after the scenario.
type lifeState struct {
	accounts []string                       // aliases, in sign-up order
	invited  map[string]string              // alias → SCIM id of the invitation
	mapped   map[string]profile.RoleMapping // group alias → the mapping it was named for
	rgroups  []string                       // resource group aliases, in creation order
}

func registerLifecycle(sc stepper, w *World) {
	sc.Step(`^the target uses the (invitation|managed) account model$`, w.theTargetUsesTheModel)
	sc.Step(`^a personal account "([^"]*)" exists$`, w.aPersonalAccountExists)
	sc.Step(`^I invite "([^"]*)"$`, w.iInvite)
	sc.Step(`^I invite "([^"]*)" again$`, w.iInviteAgain)
	sc.Step(`^"([^"]*)" is invited$`, w.isInvited)
	sc.Step(`^"([^"]*)" accepts the invitation$`, w.acceptsTheInvitation)
	sc.Step(`^"([^"]*)" tries to accept the invitation$`, w.triesToAccept)
	sc.Step(`^"([^"]*)" is a member$`, w.isAMember)
	sc.Step(`^the membership of "([^"]*)" is (pending|member|none)$`, w.theMembershipIs)
	sc.Step(`^"([^"]*)" has no access to the organisation$`, w.hasNoAccess)
	sc.Step(`^the personal account "([^"]*)" still exists$`, w.theAccountStillExists)
	sc.Step(`^the account of "([^"]*)" is (usable|blocked|gone)$`, w.theAccountIs)
	sc.Step(`^the invitation is refused with a SCIM error or left pending$`, w.theInvitationIsRefusedOrPending)
	sc.Step(`^the second invitation is answered 409 uniqueness or with the same user$`, w.theSecondInvitationIsIdempotent)
	sc.Step(`^the user "([^"]*)" keeps its id and its profile when read back$`, w.keepsItsIDAndProfile)
	sc.Step(`^lists show the deactivated user "([^"]*)" consistently$`, w.listsShowDeactivatedConsistently)
}

func (w *World) lifecycle() *profile.Lifecycle { return w.deps.Lifecycle }

func (w *World) theTargetUsesTheModel(model string) error {
	l := w.lifecycle()
	switch {
	case l == nil:
		return skip("the target profile has no lifecycle section (lifecycle.mode managed or invitation)")
	case l.Mode != model:
		return skip(fmt.Sprintf("the target profile's lifecycle.mode is %s; this scenario is for the %s model", l.Mode, model))
	}
	return nil
}

func (w *World) lifeState() *lifeState {
	if w.life == nil {
		w.life = &lifeState{invited: map[string]string{}}
	}
	return w.life
}

// vars are the values a profile call template takes for alias.
func (w *World) vars(alias string) profile.Vars {
	v := profile.Vars{UserName: w.userName(alias), Email: w.workEmail(alias)}
	if r := w.byAlias["Users/"+alias]; r != nil {
		v.ID = r.id
	}
	return v
}

// call sends one of the profile's HTTP calls for alias, recorded in the
// transcript like SCIM traffic. An error means there was no answer.
func (w *World) call(ctx context.Context, what string, c *profile.Call, alias string) (*scim.Response, error) {
	return w.callWith(ctx, what, c, w.vars(alias))
}

// callWith sends one of the profile's HTTP calls with the values v.
func (w *World) callWith(ctx context.Context, what string, c *profile.Call, v profile.Vars) (*scim.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, max(w.deps.SCIM.Timeout, time.Second))
	defer cancel()
	req, err := c.Request(ctx, v)
	if err != nil {
		return nil, err
	}
	var sent []byte
	if req.Body != nil {
		sent, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(strings.NewReader(string(sent)))
	}
	hc := w.deps.SCIM.Anonymous
	if hc == nil {
		hc = http.DefaultClient
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		w.log.Add(req, sent, nil, nil, time.Since(start), err)
		return nil, fmt.Errorf("steps: %s (%s %s): no answer: %w", what, req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	w.log.Add(req, sent, resp, body, time.Since(start), err)
	if err != nil {
		return nil, fmt.Errorf("steps: %s: %w", what, err)
	}
	return &scim.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// mustCall is a call a precondition needs to succeed.
func (w *World) mustCall(ctx context.Context, what string, c *profile.Call, alias string) (*scim.Response, error) {
	resp, err := w.call(ctx, what, c, alias)
	if err == nil && !statusOK(resp.Status) {
		err = violated(what+" to succeed (2xx)", "%s", resp.Brief())
	}
	return resp, err
}

func (w *World) aPersonalAccountExists(ctx context.Context, alias string) error {
	l := w.lifecycle()
	if l == nil || l.Accounts.Create == nil {
		return fmt.Errorf("steps: the profile has no lifecycle.accounts.create to sign up a personal account")
	}
	if _, err := w.mustCall(ctx, "signing up the personal account "+w.userName(alias), l.Accounts.Create, alias); err != nil {
		return err
	}
	st := w.lifeState()
	st.accounts = append(st.accounts, alias)
	return nil
}

// iInvite is the SCIM create that invites an account in the invitation model.
func (w *World) iInvite(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, nil), scim.Request{})
	if r := w.byAlias["Users/"+alias]; r != nil {
		w.lifeState().invited[alias] = r.id
	}
	return err
}

// iInviteAgain sends the same create a second time, as an IdP retrying
// does; a new id is tracked for cleanup under alias#again.
func (w *World) iInviteAgain(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias+"#again", w.userBody(alias, nil), scim.Request{})
	return err
}

func (w *World) isInvited(ctx context.Context, alias string) error {
	if err := w.iInvite(ctx, alias); err != nil {
		return err
	}
	if w.byAlias["Users/"+alias] == nil {
		return violated("the invitation of "+alias+" created (2xx with an id)", "%s", briefOrNone(w.last))
	}
	return nil
}

func (w *World) accept(ctx context.Context, alias string, strict bool) error {
	l := w.lifecycle()
	if l == nil || l.Accept == nil {
		return fmt.Errorf("steps: the profile has no lifecycle.accept")
	}
	if l.Accept.Automatic {
		return nil // the target accepts on the person's behalf
	}
	resp, err := w.call(ctx, "accepting the invitation of "+w.userName(alias), &l.Accept.Call, alias)
	if err == nil && strict && !statusOK(resp.Status) {
		return violated("the invitation of "+alias+" accepted (2xx)", "%s", resp.Brief())
	}
	return err
}

func (w *World) acceptsTheInvitation(ctx context.Context, alias string) error {
	return w.accept(ctx, alias, true)
}

func (w *World) triesToAccept(ctx context.Context, alias string) error {
	return w.accept(ctx, alias, false)
}

// isAMember makes alias a member by the target's model: a SCIM create in
// the managed model; sign-up, invitation and acceptance otherwise.
func (w *World) isAMember(ctx context.Context, alias string) error {
	if l := w.lifecycle(); l == nil || l.Mode != profile.ModeInvitation {
		return w.given(ctx, alias, nil)
	}
	if err := w.aPersonalAccountExists(ctx, alias); err != nil {
		return err
	}
	if err := w.isInvited(ctx, alias); err != nil {
		return err
	}
	return w.acceptsTheInvitation(ctx, alias)
}

// membership reads alias's state from the profile's attribute or probe:
// "pending", "member", or "none" with what the target said.
func (w *World) membership(ctx context.Context, alias string) (state, said string, err error) {
	l := w.lifecycle()
	if l == nil {
		return "", "", fmt.Errorf("steps: the profile has no lifecycle section")
	}
	m := l.Membership
	var raw any
	if m.Probe != nil {
		resp, err := w.call(ctx, "the membership probe", m.Probe, alias)
		if err != nil {
			return "", "", err
		}
		if resp.Status == http.StatusNotFound {
			return "none", "the probe answered 404", nil
		}
		o, err := resp.Object()
		if err != nil || !statusOK(resp.Status) {
			return "", "", violated("the membership probe to answer 2xx with a JSON object, or 404", "%s", resp.Brief())
		}
		raw = value(o, m.Field)
		said = fmt.Sprintf("%s %q from the probe", m.Field, scim.Text(raw))
	} else {
		id, ok := w.lifeState().invited[alias]
		if r := w.byAlias["Users/"+alias]; r != nil {
			id, ok = r.id, true
		}
		if !ok {
			return "none", "no SCIM user was created", nil
		}
		resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/Users/" + id})
		if err != nil {
			return "", "", err
		}
		if resp.Status == http.StatusNotFound {
			return "none", "the SCIM user answers 404", nil
		}
		o, err := w.lastObject()
		if err != nil {
			return "", "", err
		}
		raw = value(o, m.Attribute)
		said = fmt.Sprintf("%s %q", m.Attribute, scim.Text(raw))
	}
	switch scim.Text(raw) {
	case m.Pending:
		return "pending", said, nil
	case m.Member:
		return "member", said, nil
	}
	return "none", said, nil
}

func (w *World) theMembershipIs(ctx context.Context, alias, want string) error {
	got, said, err := w.membership(ctx, alias)
	if err != nil {
		return err
	}
	if got != want {
		return violated(fmt.Sprintf("the membership of %s to be %s", alias, want), "%s (%s)", got, said)
	}
	return nil
}

func (w *World) hasNoAccess(ctx context.Context, alias string) error {
	got, said, err := w.membership(ctx, alias)
	if err != nil {
		return err
	}
	if got == "member" {
		return violated(alias+" without access to the organisation (not a member)", "a member (%s)", said)
	}
	return nil
}

// readAccount calls lifecycle.accounts.read, skipping when the profile
// has none.
func (w *World) readAccount(ctx context.Context, alias string) (*scim.Response, error) {
	l := w.lifecycle()
	if l == nil || l.Accounts.Read == nil {
		return nil, skip("the target profile has no lifecycle.accounts.read to look at accounts outside SCIM")
	}
	return w.call(ctx, "reading the account "+w.userName(alias), l.Accounts.Read, alias)
}

func (w *World) theAccountStillExists(ctx context.Context, alias string) error {
	resp, err := w.readAccount(ctx, alias)
	if err != nil {
		return err
	}
	if !statusOK(resp.Status) {
		return violated("the personal account "+w.userName(alias)+" kept (2xx from lifecycle.accounts.read)", "%s", resp.Brief())
	}
	return nil
}

func (w *World) theAccountIs(ctx context.Context, alias, want string) error {
	resp, err := w.readAccount(ctx, alias)
	if err != nil {
		return err
	}
	if want == "gone" {
		if resp.Status != http.StatusNotFound {
			return violated("the account "+w.userName(alias)+" gone (404 from lifecycle.accounts.read)", "%s", resp.Brief())
		}
		return nil
	}
	o, err := resp.Object()
	if err != nil || !statusOK(resp.Status) {
		return violated("the account "+w.userName(alias)+" readable (2xx with JSON)", "%s", resp.Brief())
	}
	field := w.lifecycle().Accounts.ActiveField
	active, isBool := value(o, field).(bool)
	if !isBool || active != (want == "usable") {
		return violated(fmt.Sprintf("the account %s %s (%s %v)", w.userName(alias), want, field, want == "usable"), "%s %s", field, scim.Text(value(o, field)))
	}
	return nil
}

// theInvitationIsRefusedOrPending: inviting someone with no account may be
// refused (4xx with a SCIM error) or wait for them to sign up, but must
// never make a member or crash.
func (w *World) theInvitationIsRefusedOrPending(ctx context.Context) error {
	switch {
	case w.last == nil:
		return fmt.Errorf("steps: no invitation was sent")
	case w.last.Status >= 400 && w.last.Status < 500:
		return w.theSCIMErrorHas(fmt.Sprint(w.last.Status), "")
	case !statusOK(w.last.Status):
		return violated("a 4xx SCIM error, or an invitation left pending", "%s", w.last.Brief())
	}
	alias := w.lastAlias
	got, said, err := w.membership(ctx, alias)
	if err != nil {
		return err
	}
	if got != "pending" {
		return violated("an invitation of an unknown account to stay pending", "%s (%s)", got, said)
	}
	return nil
}

// theSecondInvitationIsIdempotent: a repeated create is a duplicate (RFC
// 7644 §3.3: 409 uniqueness) or, for a lenient target, the same user.
func (w *World) theSecondInvitationIsIdempotent() error {
	if w.last == nil {
		return fmt.Errorf("steps: no second invitation was sent")
	}
	if w.last.Status == http.StatusConflict {
		return w.theSCIMErrorHas("409", "uniqueness")
	}
	again := w.find(strings.TrimSuffix(w.lastAlias, "#again") + "#again")
	first := w.find(strings.TrimSuffix(w.lastAlias, "#again"))
	if statusOK(w.last.Status) && again != nil && first != nil && again.id == first.id {
		return nil
	}
	return violated("409 uniqueness, or the same user answered again", "%s", w.last.Brief())
}

// keepsItsIDAndProfile reads the user back by the id it was created with
// and compares what the harness created it with.
func (w *World) keepsItsIDAndProfile(ctx context.Context, alias string) error {
	o, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	want := scim.Object(w.userBody(alias, nil))
	var lost []string
	// Core attributes only: externalId and the enterprise extension have
	// scenarios of their own.
	for _, path := range []string{"userName", "displayName", "name.givenName", "name.familyName"} {
		if scim.Text(value(o, path)) != scim.Text(value(want, path)) {
			lost = append(lost, fmt.Sprintf("%s %q (was %q)", path, scim.Text(value(o, path)), scim.Text(value(want, path))))
		}
	}
	if emails := valuesOf(o["emails"]); !slices.Contains(emails, w.workEmail(alias)) {
		lost = append(lost, fmt.Sprintf("emails %v (the work email %s is gone)", emails, w.workEmail(alias)))
	}
	if len(lost) > 0 {
		return violated("the user "+alias+" with the profile it had", "%s", strings.Join(lost, ", "))
	}
	return nil
}

// listsShowDeactivatedConsistently: a deactivated user is either listed
// with active false or left out, the same way by every filter (Entra's
// validator filters by userName and expects active false).
func (w *World) listsShowDeactivatedConsistently(ctx context.Context, alias string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	listed := func(filter string) (map[string]any, error) {
		if _, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/Users?filter=" + filter}); err != nil {
			return nil, err
		}
		o, err := w.listResponse()
		if err != nil {
			return nil, err
		}
		for _, m := range resources(o) {
			if scim.Text(m["id"]) == r.id {
				return m, nil
			}
		}
		return nil, nil
	}
	byName, err := listed(`userName eq "` + w.userName(alias) + `"`)
	if err != nil {
		return err
	}
	byActive, err := listed(`userName eq "` + w.userName(alias) + `" and active eq false`)
	if err != nil {
		return err
	}
	switch {
	case byName != nil && byName["active"] != false:
		return violated("the deactivated "+alias+" listed with active false, or not listed", "listed with active %s", scim.Text(byName["active"]))
	case (byName == nil) != (byActive == nil):
		return violated("the same answer from the userName filter and the active eq false filter",
			"listed by the userName filter: %v; by active eq false: %v", byName != nil, byActive != nil)
	}
	return nil
}

// lifecycleDone removes what the scenario made outside SCIM, after the
// SCIM cleanup: its resource groups, then the personal accounts it signed up.
func (w *World) lifecycleDone(ctx context.Context) {
	if w.life == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if g := w.deps.ResourceGroups; g != nil {
		for i := len(w.life.rgroups) - 1; i >= 0; i-- {
			name := w.rgName(w.life.rgroups[i])
			w.undo(ctx, "resource group", name, &g.Delete, profile.Vars{Group: name})
		}
	}
	if l := w.lifecycle(); l != nil && l.Accounts.Delete != nil {
		for i := len(w.life.accounts) - 1; i >= 0; i-- {
			alias := w.life.accounts[i]
			w.undo(ctx, "account", w.userName(alias), l.Accounts.Delete, w.vars(alias))
		}
	}
}

// undo sends a cleanup call; what it cannot remove is a leftover.
func (w *World) undo(ctx context.Context, kind, name string, c *profile.Call, v profile.Vars) {
	req, err := c.Request(ctx, v)
	if err != nil {
		w.leftover(scim.Leftover{Kind: kind, Name: name, Why: err.Error()})
		return
	}
	hc := w.deps.SCIM.Anonymous
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	switch {
	case err != nil:
		w.leftover(scim.Leftover{Kind: kind, Name: name, Why: err.Error()})
	case statusOK(resp.StatusCode):
		w.deps.Cleanup.Add(1)
	case resp.StatusCode != http.StatusNotFound:
		w.leftover(scim.Leftover{Kind: kind, Name: name, Why: "removing it answered " + resp.Status})
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
