package sp_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

// TestSessionEndsAtSessionNotOnOrAfter: a session lasts until the IdP's
// SessionNotOnOrAfter, seen through the test clock, unless the fault
// ignores it.
func TestSessionEndsAtSessionNotOnOrAfter(t *testing.T) {
	for _, faults := range [][]string{nil, {sp.IgnoresSessionNotOnOrAfter}} {
		e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.Faults, o.TestClock = faults, true })
		e.idp.Arm(samlidp.Timing{SessionEndsIn: 2 * time.Minute})
		if _, err := e.login(t, false); err != nil {
			t.Fatal(err)
		}
		if got := whoami(t, e.browser, e.spURL); got != attacker {
			t.Fatalf("%v: logged in as %q before SessionNotOnOrAfter", faults, got)
		}
		advance(t, e.spURL, url.Values{"advance": {"2m1s"}}, http.StatusOK)
		got := whoami(t, e.browser, e.spURL)
		if ends := faults == nil; ends != (got == "") {
			t.Errorf("%v: session after SessionNotOnOrAfter: %q", faults, got)
		}
		advance(t, e.spURL, url.Values{"reset": {"1"}}, http.StatusOK)
		if got := whoami(t, e.browser, e.spURL); faults == nil && got != "" {
			t.Errorf("an ended session came back when the clock was reset: %q", got)
		}
	}
}

func TestTestClockRefusesBadMoves(t *testing.T) {
	e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.TestClock = true })
	for _, v := range []url.Values{{"advance": {"-1m"}}, {"advance": {"25h"}}, {"advance": {"soon"}}, {}} {
		advance(t, e.spURL, v, http.StatusBadRequest)
	}
	off := newSAMLEnv(t, samlidp.Okta, nil)
	advance(t, off.spURL, url.Values{"advance": {"1m"}}, http.StatusNotFound)
}

func advance(t *testing.T, spURL string, form url.Values, want int) {
	t.Helper()
	resp, err := http.PostForm(spURL+sp.TestClockPath, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Errorf("POST %s %v: %d, want %d", sp.TestClockPath, form, resp.StatusCode, want)
	}
}
