package idps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/idpconform/idpconform/fakes/oidc"
	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
)

// SessionHeader names a scenario's session at the IdPs. The harness's
// browser sends it on every request to them (Session.Identify), and the
// control API reads it too, so scenarios that run at the same time never
// see each other's users, profiles, armed responses or canary fetches. A
// request without it belongs to the default session.
const SessionHeader = "Idpconform-Session"

// Control is what SSO scenarios do with a run's IdPs. *IdPs does it in
// process; *Client does the same through the control API of IdPs running
// elsewhere (in containers), so the steps do not change between the two.
type Control interface {
	HasSAML() bool
	HasOIDC() bool
	// Trust introduces the target's SP and OIDC client; it returns the
	// SP's entityID.
	Trust(ctx context.Context, sp SP) (string, error)
	// Session starts a session of its own at the IdPs, from their defaults
	// (Okta's SAML shape, nothing armed, nobody signed in), with victim as
	// whom attacks impersonate.
	Session(ctx context.Context, victim string) (Session, error)
}

// Session is one scenario's state at the IdPs. The keys, entityID and
// trusted SPs are the IdPs'; everything below belongs to the session.
type Session interface {
	// Identify names the session on a request the browser sends to the
	// IdPs, and leaves requests to anywhere else alone.
	Identify(req *http.Request)
	// Reset puts the session back to the IdPs' defaults, with victim as
	// whom attacks impersonate.
	Reset(ctx context.Context, victim string) error
	SetSAMLProfile(ctx context.Context, name string) error
	// LoginAs makes u the person both IdPs assert.
	LoginAs(ctx context.Context, u samlidp.User) error
	// ArmAttack arms a SAML catalogue attack, or its positive twin.
	ArmAttack(ctx context.Context, id string, twin bool) error
	// ArmNotBefore makes the next assertion valid only from ahead on.
	ArmNotBefore(ctx context.Context, ahead time.Duration) error
	// ArmTiming bends the instants of the next SAML response (an IdP
	// clock ahead of the target's, a SessionNotOnOrAfter).
	ArmTiming(ctx context.Context, t samlidp.Timing) error
	// ArmBreakage breaks the next OIDC login (fakes/oidc Breakages).
	ArmBreakage(ctx context.Context, id string) error
	// CanaryHits counts the session's fetches of the canary URL an XXE
	// attack plants.
	CanaryHits(ctx context.Context) (int, error)
	// IdPInitiatedURL starts an unsolicited SAML login at the target.
	IdPInitiatedURL(spEntityID, relay string) string
	// End forgets the session at the IdPs.
	End(ctx context.Context) error
}

var (
	_ Control = (*IdPs)(nil)
	_ Session = local{}
)

// newSessionID is a random session id.
func newSessionID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sessionID is the session a request names, for the fakes' Options.Session.
func sessionID(r *http.Request) string { return r.Header.Get(SessionHeader) }

// identify sets SessionHeader to id on req when it goes to one of bases.
// Any loopback name of a base's port will do (a target may have been told
// localhost for 127.0.0.1).
func identify(req *http.Request, id string, bases ...string) {
	to := req.URL
	for _, b := range bases {
		u, err := url.Parse(b)
		if err != nil || b == "" || u.Port() != to.Port() || u.Scheme != to.Scheme {
			continue
		}
		if u.Host == to.Host || (browser.IsLoopback(u.Hostname()) && browser.IsLoopback(to.Hostname())) {
			req.Header.Set(SessionHeader, id)
			return
		}
	}
}

// HasSAML says whether a SAML IdP runs.
func (i *IdPs) HasSAML() bool { return i.SAML != nil }

// HasOIDC says whether an OpenID Provider runs.
func (i *IdPs) HasOIDC() bool { return i.OIDC != nil }

// Session implements Control.
func (i *IdPs) Session(ctx context.Context, victim string) (Session, error) {
	s := local{i: i, id: newSessionID()}
	return s, s.Reset(ctx, victim)
}

// Default is the session of requests that name none: a person's browser
// in front of `idpconform fake saml|oidc`.
func (i *IdPs) Default() Session { return local{i: i} }

// local is a session of IdPs that run in this process.
type local struct {
	i  *IdPs
	id string
}

// Identify implements Session.
func (s local) Identify(req *http.Request) { identify(req, s.id, s.i.SAMLURL(), s.i.OIDCURL()) }

// Reset implements Session.
func (s local) Reset(_ context.Context, victim string) error {
	s.i.endSession(s.id)
	if s.i.SAML != nil {
		s.i.SAML.Session(s.id).SetVictim(victim)
	}
	if s.i.OIDC != nil {
		s.i.OIDC.Session(s.id).SetVictim(victim)
	}
	return nil
}

// End implements Session.
func (s local) End(context.Context) error {
	s.i.endSession(s.id)
	return nil
}

// SetSAMLProfile implements Session.
func (s local) SetSAMLProfile(_ context.Context, name string) error {
	p, err := samlidp.ProfileByName(name)
	if err != nil {
		return err
	}
	if s.i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	s.i.SAML.Session(s.id).SetProfile(p)
	return nil
}

// LoginAs implements Session.
func (s local) LoginAs(_ context.Context, u samlidp.User) error {
	if s.i.SAML != nil {
		s.i.SAML.Session(s.id).LoginAs(u)
	}
	if s.i.OIDC != nil {
		s.i.OIDC.Session(s.id).LoginAs(oidc.User{Subject: "sub-" + u.UserName, UserName: u.UserName, Email: u.Email,
			GivenName: u.GivenName, FamilyName: u.FamilyName, Groups: u.Groups})
	}
	return nil
}

// armSAML arms t for the session's next SAML response.
func (s local) armSAML(t samlidp.Tamper) error {
	if s.i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	s.i.SAML.Session(s.id).Arm(t)
	return nil
}

// ArmAttack implements Session.
func (s local) ArmAttack(_ context.Context, id string, twin bool) error {
	a, err := samlidp.AttackByID(id)
	if err != nil {
		return err
	}
	if twin {
		return s.armSAML(a.Twin())
	}
	return s.armSAML(a)
}

// ArmNotBefore implements Session.
func (s local) ArmNotBefore(_ context.Context, ahead time.Duration) error {
	return s.armSAML(samlidp.TamperFunc(func(st samlidp.Stage, d *samlidp.Draft) error {
		if st == samlidp.StageBeforeSign {
			d.Assertion.Conditions.NotBefore = d.Now.Add(ahead)
		}
		return nil
	}))
}

// ArmTiming implements Session.
func (s local) ArmTiming(_ context.Context, t samlidp.Timing) error { return s.armSAML(t) }

// ArmBreakage implements Session.
func (s local) ArmBreakage(_ context.Context, id string) error {
	b, err := oidc.BreakageByID(id)
	if err != nil {
		return err
	}
	if s.i.OIDC == nil {
		return fmt.Errorf("idps: no OpenID Provider runs")
	}
	s.i.OIDC.Session(s.id).Arm(b)
	return nil
}

// CanaryHits implements Session.
func (s local) CanaryHits(context.Context) (int, error) {
	s.i.mu.Lock()
	defer s.i.mu.Unlock()
	return s.i.hits[s.id], nil
}

// IdPInitiatedURL implements Session.
func (s local) IdPInitiatedURL(spEntityID, relay string) string {
	return idpInitiatedURL(s.i.SAMLURL(), spEntityID, relay)
}
