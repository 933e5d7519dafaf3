package sp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

// letThrough maps each attack to the smallest fault set that lets it past
// the SP. Wrapping needs two bugs in an SP that also counts assertions.
var letThrough = map[string][]string{
	"SIG-01":  {sp.AcceptsUnsigned},
	"SIG-02":  {sp.AcceptsUnsigned},
	"SIG-03":  {sp.SkipsSignatureVerify},
	"SIG-04":  {sp.TrustsKeyInfoCert},
	"XSW1":    {sp.FindsSignedElementByID, sp.TakesLastAssertion},
	"XSW2":    {sp.FindsSignedElementByID, sp.TakesLastAssertion},
	"XSW3":    {sp.TakesFirstAssertion},
	"XSW4":    {sp.TakesFirstAssertion},
	"XSW5":    {sp.FindsSignedElementByID, sp.TakesFirstAssertion},
	"XSW6":    {sp.FindsSignedElementByID, sp.TakesFirstAssertion},
	"XSW7":    {sp.TakesFirstAssertion},
	"XSW8":    {sp.FindsSignedElementByID, sp.TakesFirstAssertion},
	"XSW-M":   {sp.TakesLastAssertion},
	"PD-01":   {sp.ReadsFirstTextNode},
	"PD-06":   {sp.ProcessesDTD},
	"P-01":    {sp.SkipsDestination},
	"P-03":    {sp.SkipsRecipient},
	"P-04":    {sp.SkipsInResponseTo},
	"P-06":    {sp.SkipsInResponseTo},
	"P-07":    {sp.SkipsAudience},
	"P-08":    {sp.SkipsAudience},
	"P-09":    {sp.AcceptsAnyAudienceRestriction},
	"P-10":    {sp.SkipsTimeConditions},
	"P-11":    {sp.ChecksBearerExpiryOnly},
	"P-12":    {sp.ChecksConditionsExpiryOnly},
	"P-16":    {sp.NoReplayCache},
	"P-16-SP": {sp.ReplayCacheUnsolicitedOnly},
	"L-01":    {sp.IgnoresSessionNotOnOrAfter},
	"P-18":    {sp.SkipsIssuer},
	"R-01":    {sp.FollowsAnyRelayState},
}

// impersonates lists the attacks whose success is a session as the victim.
var impersonates = map[string]bool{
	"SIG-01": true, "SIG-02": true, "SIG-03": true, "SIG-04": true, "PD-01": true,
	"XSW1": true, "XSW2": true, "XSW3": true, "XSW4": true, "XSW5": true, "XSW6": true, "XSW7": true, "XSW8": true, "XSW-M": true,
}

// attempt drives attack (or its twin) against an SP with faults. It
// returns e, the directory as it was right before the attacking request,
// and the error of the final navigation.
func attempt(t *testing.T, pol sp.SAMLPolicy, a samlidp.Attack, tamper samlidp.Tamper, faults []string) (*samlEnv, string, error) {
	t.Helper()
	e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) {
		o.Faults = faults
		o.AllowIdPInitiated = a.IdPInitiated
		o.SAML = pol
	})
	e.idp.Arm(tamper)
	before := snapshot(e.dir)
	_, err := e.login(t, a.IdPInitiated)
	if attacking, _ := tamper.(samlidp.Attack); a.Replay && err == nil && attacking.ID == a.ID {
		// The first post was a normal login; the replay, from a fresh
		// browser, is the attack.
		form := e.browser.LastForm
		e.browser.Reset()
		before = snapshot(e.dir)
		_, err = e.browser.PostForm(context.Background(), form.Action, form.Values)
	}
	return e, before, err
}

// policies are the SP configurations every attack runs against: the IdP
// shapes its responses to each (signed assertions, encryption), and the
// same fault must let the same attack through.
var policies = map[string]sp.SAMLPolicy{
	"default":   {},
	"strict":    sp.Strict,
	"encrypted": {SignAuthnRequests: true, RequireSignedAssertions: true, RequireEncryptedAssertions: true},
}

func TestSAMLAttacks(t *testing.T) {
	// The strict policy without encryption is what the runner's self-test
	// runs; here encryption adds to it.
	for _, name := range []string{"default", "encrypted"} {
		pol := policies[name]
		t.Run(name, func(t *testing.T) { testSAMLAttacks(t, pol) })
	}
}

func testSAMLAttacks(t *testing.T, pol sp.SAMLPolicy) {
	for _, a := range samlidp.Attacks() {
		t.Run(a.ID, func(t *testing.T) {
			faults, ok := letThrough[a.ID]
			if !ok {
				t.Fatalf("no fault lets %s through: add it to letThrough", a.ID)
			}
			t.Run("twin logs in", func(t *testing.T) {
				e, _, err := attempt(t, pol, a, a.Twin(), nil)
				if err != nil {
					t.Fatal(err)
				}
				want := attacker
				if a.ID == "PD-01" {
					want = victim + ".evil.com"
				}
				if got := whoami(t, e.browser, e.spURL); got != want {
					t.Fatalf("twin: logged in as %q, want %q", got, want)
				}
			})
			t.Run("clean SP resists", func(t *testing.T) {
				e, before, err := attempt(t, pol, a, a, nil)
				if err != nil {
					t.Fatalf("navigation: %v", err)
				}
				got := whoami(t, e.browser, e.spURL)
				switch a.Expect {
				case samlidp.ExpectReject:
					if got != "" {
						t.Fatalf("logged in as %q", got)
					}
					if after := snapshot(e.dir); after != before {
						t.Fatalf("directory changed:\n%s\n%s", before, after)
					}
				case samlidp.ExpectNotVictim:
					if got == victim {
						t.Fatal("logged in as the victim")
					}
				case samlidp.ExpectNoFetch:
					if got != "" || e.canary.Load() != 0 {
						t.Fatalf("session %q, canary fetched %d times", got, e.canary.Load())
					}
				case samlidp.ExpectNoOffsiteRedirect:
					// err == nil already shows no off-site hop was attempted.
				}
				if u, err := e.dir.FindUser(context.Background(), victim); err != nil || u.GivenName != "Vic" {
					t.Fatalf("victim changed: %+v %v", u, err)
				}
			})
			t.Run("faulted SP lets it through", func(t *testing.T) {
				e, _, err := attempt(t, pol, a, a, faults)
				got := ""
				if err == nil {
					got = whoami(t, e.browser, e.spURL)
				}
				switch {
				case a.Expect == samlidp.ExpectNoOffsiteRedirect:
					var nl *browser.NotLoopbackError
					if !errors.As(err, &nl) || nl.URL != samlidp.EvilRelayState {
						t.Fatalf("want a redirect to %s, got %v", samlidp.EvilRelayState, err)
					}
				case err != nil:
					t.Fatal(err)
				case a.Expect == samlidp.ExpectNoFetch:
					if e.canary.Load() == 0 {
						t.Fatal("canary never fetched")
					}
				case impersonates[a.ID]:
					if got != victim {
						t.Fatalf("logged in as %q, want the victim", got)
					}
				default:
					if got != attacker {
						t.Fatalf("logged in as %q, want %q", got, attacker)
					}
				}
			})
		})
	}
}

// TestSAMLSingleFaultsAreNotEnoughForWrapping shows the two-fault rows of
// letThrough are minimal: each fault alone still rejects.
func TestSAMLSingleFaultsAreNotEnoughForWrapping(t *testing.T) {
	for id, faults := range letThrough {
		if len(faults) < 2 {
			continue
		}
		a, err := samlidp.AttackByID(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range faults {
			t.Run(id+"/"+f, func(t *testing.T) {
				e, _, err := attempt(t, sp.SAMLPolicy{}, a, a, []string{f})
				if err != nil {
					t.Fatal(err)
				}
				if got := whoami(t, e.browser, e.spURL); got == victim {
					t.Fatalf("%s alone let %s through", f, id)
				}
			})
		}
	}
}

// TestSAMLProfilesLogIn: every profile's shape is accepted, SP- and
// IdP-initiated, whatever the SP's policy.
func TestSAMLProfilesLogIn(t *testing.T) {
	for _, name := range samlidp.ProfileNames() {
		p, _ := samlidp.ProfileByName(name)
		for _, idpInit := range []bool{false, true} {
			for pname, pol := range policies {
				t.Run(fmt.Sprintf("%s/%s/idp-initiated=%v", name, pname, idpInit), func(t *testing.T) {
					e := newSAMLEnv(t, p, func(o *sp.Options) { o.AllowIdPInitiated, o.SAML = true, pol })
					page, err := e.login(t, idpInit)
					if err != nil {
						t.Fatal(err)
					}
					if page.Status != http.StatusOK {
						t.Fatalf("status %d: %s", page.Status, page.Body)
					}
					if got := whoami(t, e.browser, e.spURL); got != attacker {
						t.Fatalf("logged in as %q", got)
					}
				})
			}
		}
	}
}
