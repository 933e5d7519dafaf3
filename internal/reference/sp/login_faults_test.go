package sp_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

// goodLoginBreakers are faults that refuse or spoil a good login, each with
// the login it spoils: the check passes on a clean SP and fails with the
// fault on.
var goodLoginBreakers = map[string]func(t *testing.T, faults []string) bool{
	sp.RequiresSignedResponse: func(t *testing.T, f []string) bool {
		return samlLogsIn(t, samlidp.Okta, false, f)
	},
	sp.FailsWhenBothSigned: func(t *testing.T, f []string) bool {
		return samlLogsIn(t, samlidp.OneLogin, false, f)
	},
	// The harness's IdP refuses a request signed with a key the metadata
	// does not publish: the login never reaches the ACS.
	sp.SignsWithUnpublishedKey: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults, o.SAML = f, sp.Strict })
		page, err := e.login(t, false)
		return err == nil && page.Status == http.StatusOK && whoami(t, e.browser, e.spURL) == attacker
	},
	sp.RejectsIdPInitiated: func(t *testing.T, f []string) bool {
		return samlLogsIn(t, samlidp.Okta, true, f)
	},
	sp.IgnoresRelayState: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults, o.AllowIdPInitiated = f, true })
		page, err := e.browser.Get(context.Background(), idpInitiated(e, sp.WelcomePath))
		return err == nil && page.URL.Path == sp.WelcomePath
	},
	sp.LogoutKeepsSession: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults = f })
		if _, err := e.login(t, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.browser.Get(context.Background(), e.spURL+sp.LogoutPath); err != nil {
			t.Fatal(err)
		}
		return whoami(t, e.browser, e.spURL) == ""
	},
	sp.SessionsByAddress: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults = f })
		if _, err := e.login(t, false); err != nil {
			t.Fatal(err)
		}
		e.browser.Reset()
		return whoami(t, e.browser, e.spURL) == ""
	},
	sp.OmitsPKCE: func(t *testing.T, f []string) bool {
		e := newOIDCEnv(t, f...)
		_, _ = e.browser.Get(context.Background(), e.spURL+sp.OIDCLoginPath)
		return whoami(t, e.browser, e.spURL) == attacker
	},
	sp.IgnoresClaimURIs: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Entra, func(o *sp.Options) { o.Faults = f })
		loginAs(t, e, grace())
		u, _ := find(t, e)
		return u.GivenName == "Grace"
	},
	sp.ReadsFirst50Groups: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = f })
		var many []string
		for i := range 60 {
			many = append(many, fmt.Sprintf("g%02d", i))
		}
		loginAs(t, e, grace(many...))
		u, _ := find(t, e)
		return len(u.Groups) == 60
	},
	sp.JITDropsAttributes: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = f })
		loginAs(t, e, grace())
		u, _ := find(t, e)
		return u.GivenName == "Grace" && u.Email == jitUser
	},
	sp.JITSkipsUpdates: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = f })
		loginAs(t, e, grace())
		changed := grace()
		changed.GivenName = "Gracie"
		loginAs(t, e, changed)
		u, _ := find(t, e)
		return u.GivenName == "Gracie"
	},
	sp.NoClockSkew: func(t *testing.T, f []string) bool {
		return loginWith(t, f, samlidp.Timing{ClockAhead: 90 * time.Second})
	},
	sp.WideClockSkew: func(t *testing.T, f []string) bool {
		return !loginWith(t, f, samlidp.TamperFunc(func(st samlidp.Stage, d *samlidp.Draft) error {
			if st == samlidp.StageBeforeSign {
				d.Assertion.Conditions.NotBefore = d.Now.Add(6 * time.Minute)
			}
			return nil
		}))
	},
	sp.RefusesEveryLogin: func(t *testing.T, f []string) bool {
		o := newOIDCEnv(t, f...)
		_, _ = o.browser.Get(context.Background(), o.spURL+sp.OIDCLoginPath)
		// Either login working is a fault that changes too little.
		return samlLogsIn(t, samlidp.Okta, false, f) || whoami(t, o.browser, o.spURL) == attacker
	},
	sp.JITIgnoresSetting: func(t *testing.T, f []string) bool {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults, o.JIT = f, false })
		loginAs(t, e, grace())
		_, created := find(t, e)
		return !created
	},
}

func TestGoodLoginBreakers(t *testing.T) {
	for name, check := range goodLoginBreakers {
		t.Run(name, func(t *testing.T) {
			if !check(t, nil) {
				t.Fatal("the clean SP fails the check")
			}
			if check(t, []string{name}) {
				t.Fatal("the fault changes nothing")
			}
		})
	}
}

// samlLogsIn reports whether a login with profile p opens a session.
func samlLogsIn(t *testing.T, p samlidp.Profile, unsolicited bool, faults []string) bool {
	t.Helper()
	e := newSAMLEnv(t, p, func(o *sp.Options) { o.Faults, o.AllowIdPInitiated = faults, true })
	page, err := e.login(t, unsolicited)
	return err == nil && page.Status == http.StatusOK && whoami(t, e.browser, e.spURL) == attacker
}

// loginWith reports whether an SP-initiated login whose response goes
// through tamper opens a session.
func loginWith(t *testing.T, faults []string, tamper samlidp.Tamper) bool {
	t.Helper()
	e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults = faults })
	e.idp.Arm(tamper)
	page, err := e.login(t, false)
	return err == nil && page.Status == http.StatusOK && whoami(t, e.browser, e.spURL) == attacker
}

func idpInitiated(e *samlEnv, relay string) string {
	return e.idp.EntityID()[:len(e.idp.EntityID())-len(samlidp.MetadataPath)] + samlidp.IdPInitiatedPath +
		"?sp=" + e.sp.EntityID() + "&relay=" + relay
}
