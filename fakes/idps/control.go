package idps

import (
	"context"
	"fmt"
	"time"

	"github.com/idpconform/idpconform/fakes/oidc"
	"github.com/idpconform/idpconform/fakes/samlidp"
)

// Control is what SSO scenarios do with a run's IdPs. *IdPs does it in
// process; *Client does the same through the control API of IdPs running
// elsewhere (in containers), so the steps do not change between the two.
type Control interface {
	// Lock and Unlock give the IdPs to one scenario at a time: they arm
	// tampering for the next response.
	Lock()
	Unlock()
	HasSAML() bool
	HasOIDC() bool
	// Trust introduces the target's SP and OIDC client; it returns the
	// SP's entityID.
	Trust(ctx context.Context, sp SP) (string, error)
	// Reset puts the IdPs back to their defaults (Okta's SAML shape,
	// nothing armed) with victim as whom attacks impersonate.
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
	// CanaryHits counts requests to the canary URL an XXE attack plants.
	CanaryHits(ctx context.Context) (int, error)
	// IdPInitiatedURL starts an unsolicited SAML login at the target.
	IdPInitiatedURL(spEntityID, relay string) string
}

var _ Control = (*IdPs)(nil)

// HasSAML says whether a SAML IdP runs.
func (i *IdPs) HasSAML() bool { return i.SAML != nil }

// HasOIDC says whether an OpenID Provider runs.
func (i *IdPs) HasOIDC() bool { return i.OIDC != nil }

// Reset implements Control.
func (i *IdPs) Reset(_ context.Context, victim string) error {
	if i.SAML != nil {
		i.SAML.SetProfile(samlidp.Okta)
		i.SAML.Arm(nil)
		i.SAML.SetVictim(victim)
	}
	if i.OIDC != nil {
		i.OIDC.Disarm()
		i.OIDC.SetVictim(victim)
	}
	return nil
}

// SetSAMLProfile implements Control.
func (i *IdPs) SetSAMLProfile(_ context.Context, name string) error {
	p, err := samlidp.ProfileByName(name)
	if err != nil {
		return err
	}
	if i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	i.SAML.SetProfile(p)
	return nil
}

// LoginAs implements Control.
func (i *IdPs) LoginAs(_ context.Context, u samlidp.User) error {
	if i.SAML != nil {
		i.SAML.LoginAs(u)
	}
	if i.OIDC != nil {
		i.OIDC.LoginAs(oidc.User{Subject: "sub-" + u.UserName, UserName: u.UserName, Email: u.Email,
			GivenName: u.GivenName, FamilyName: u.FamilyName, Groups: u.Groups})
	}
	return nil
}

// ArmAttack implements Control.
func (i *IdPs) ArmAttack(_ context.Context, id string, twin bool) error {
	a, err := samlidp.AttackByID(id)
	if err != nil {
		return err
	}
	if i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	if twin {
		i.SAML.Arm(a.Twin())
	} else {
		i.SAML.Arm(a)
	}
	return nil
}

// ArmNotBefore implements Control.
func (i *IdPs) ArmNotBefore(_ context.Context, ahead time.Duration) error {
	if i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	i.SAML.Arm(samlidp.TamperFunc(func(st samlidp.Stage, d *samlidp.Draft) error {
		if st == samlidp.StageBeforeSign {
			d.Assertion.Conditions.NotBefore = d.Now.Add(ahead)
		}
		return nil
	}))
	return nil
}

// ArmTiming implements Control.
func (i *IdPs) ArmTiming(_ context.Context, t samlidp.Timing) error {
	if i.SAML == nil {
		return fmt.Errorf("idps: no SAML IdP runs")
	}
	i.SAML.Arm(t)
	return nil
}

// ArmBreakage implements Control.
func (i *IdPs) ArmBreakage(_ context.Context, id string) error {
	b, err := oidc.BreakageByID(id)
	if err != nil {
		return err
	}
	if i.OIDC == nil {
		return fmt.Errorf("idps: no OpenID Provider runs")
	}
	i.OIDC.Arm(b)
	return nil
}

// CanaryHits implements Control.
func (i *IdPs) CanaryHits(context.Context) (int, error) { return int(i.hits.Load()), nil }
