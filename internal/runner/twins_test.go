package runner

import (
	"context"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/sp"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// negativeChecks are the checks a target that refuses every login passes
// (steps/sso_twin.go): a scenario holding one is "negative".
var negativeChecks = []string{
	"the target has no session", "does not belong to", "refused the response", "did not send the browser off", "canary URL was never fetched",
}

func negative(s reports.Scenario) bool {
	return slices.ContainsFunc(s.Steps, func(st reports.Step) bool {
		return slices.ContainsFunc(negativeChecks, func(c string) bool { return strings.Contains(st.Text, c) })
	})
}

// TestNoVerdictWithoutAWorkingLogin plants a reference SP that refuses
// every login, and one that refuses a signing shape (a response whose
// assertion alone is signed): no negative scenario may then pass, warn or
// be a violation of its clause. Each could not be checked, because its
// positive twin or control login was refused, and says so with the SP's
// answer. The scenarios of good logins report the refusal as theirs.
func TestNoVerdictWithoutAWorkingLogin(t *testing.T) {
	t.Run("every login refused", func(t *testing.T) {
		t.Parallel()
		run, _, _ := runAgainst(t, "@sso", "sso-refuses-every-login")
		negatives, good := 0, 0
		for _, s := range run.Scenarios {
			switch {
			case s.Status == reports.Skipped:
			case negative(s):
				negatives++
				if s.Status != reports.Errored || !isPrecondition(s.Failure) || !strings.Contains(s.Failure.Message, "every login is refused") {
					t.Errorf("%s %q: %s, want could not check quoting the SP's answer: %s", s.ID, s.Name, s.Status, describe(s.Failure))
				}
			case s.Status == reports.Passed:
				t.Errorf("%s %q passed against an SP that refuses every login", s.ID, s.Name)
			case s.Status == reports.Failed:
				good++
			}
		}
		if negatives < 30 || good == 0 {
			t.Errorf("%d negative scenarios could not be checked and %d good logins failed; want at least 30 and 1", negatives, good)
		}
	})
	t.Run("assertion-only signing refused", func(t *testing.T) {
		t.Parallel()
		run, _, _ := runAgainst(t, "@sso && @attack", "saml-requires-signed-response")
		unchecked := 0
		for _, s := range run.Scenarios {
			switch {
			case s.Status == reports.Failed || s.Status == reports.Warned:
				t.Errorf("%s %q: %s against an SP that refuses only a signing shape: %s", s.ID, s.Name, s.Status, describe(s.Failure))
			case s.Status == reports.Errored:
				unchecked++
				if !isPrecondition(s.Failure) || !strings.Contains(s.Failure.Message, "positive twin") {
					t.Errorf("%s %q: %s, want could not check for its twin: %s", s.ID, s.Name, s.Status, describe(s.Failure))
				}
			}
		}
		if unchecked == 0 {
			t.Error("no attack scenario's twin was refused: did the fault change?")
		}
	})
}

// TestALoginLoopIsNotALogin points the SP-initiated login at a URL of the
// reference SP that starts single sign-on again once the login is done: a
// redirect loop, whose later logins could overwrite the session the first
// one opened. No scenario may take that for a completed login: those that
// start an SP-initiated login could not be checked and say it is a loop.
func TestALoginLoopIsNotALogin(t *testing.T) {
	ref, err := env.StartReference(context.Background(), target.Options{Token: "selftest-token"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	saml := *ref.Profile.SSO.SAML
	saml.LoginURL += "?return=" + url.QueryEscape(sp.SAMLLoginPath)
	sso := *ref.Profile.SSO
	sso.SAML = &saml
	prof := ref.Profile
	prof.SSO = &sso
	run, err := Run(context.Background(), Config{
		Profile: prof, Tags: "@sso && @saml && ~@jit", Concurrency: 4, OutDir: t.TempDir(), Output: io.Discard, Version: "test",
		Target: reports.Target{Reference: true}, IdPs: ref.IdPs, SP: ref.SP,
	})
	if err != nil {
		t.Fatal(err)
	}
	loops := 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.Passed, reports.Skipped:
			if slices.ContainsFunc(s.Steps, func(st reports.Step) bool { return strings.HasSuffix(st.Text, "logs in through SAML") }) {
				t.Errorf("%s %q: %s through a login loop", s.ID, s.Name, s.Status)
			}
		case reports.Errored:
			if !isPrecondition(s.Failure) || !strings.Contains(s.Failure.Message, "redirect loop") || !strings.Contains(s.Failure.Message, "loginUrl") {
				t.Errorf("%s %q: %s", s.ID, s.Name, describe(s.Failure))
			}
			loops++
		default:
			t.Errorf("%s %q: %s through a login loop: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	if loops < 20 {
		t.Errorf("only %d scenarios reported the loop", loops)
	}
}
