package runner

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/internal/username"
	"github.com/idpconform/idpconform/reports"
)

// TestReferenceTargetPassesUnderHubUsernames: every scenario and every fake
// generates names the hub's userName rule allows (HX1, HX2), so the whole
// suite passes against the reference target under that rule; a scenario
// that cannot apply under it (a name with a dot it needs) skips and says
// so, and the run leaves the target empty.
func TestReferenceTargetPassesUnderHubUsernames(t *testing.T) {
	run, srv, inv := runWith(t, "", target.Options{Usernames: username.Hub})
	if len(run.Scenarios) < 60 {
		t.Errorf("only %d scenarios ran", len(run.Scenarios))
	}
	hx1, skipped := 0, 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.Passed:
			for _, tag := range s.Tags {
				if tag == "hub-HX1" {
					hx1++
				}
			}
		case reports.Skipped:
			skipped++
			last := s.Steps[len(s.Steps)-1].Text
			if !strings.HasPrefix(last, "skipped: ") || !strings.Contains(last, "rule") && !strings.Contains(last, "policy") {
				t.Errorf("%s %q skipped without saying the userName rule is why: %q", s.ID, s.Name, last)
			}
		default:
			t.Errorf("%s %q: %s: %s", s.ID, s.Name, s.Status, describe(s.Failure))
		}
	}
	if hx1 == 0 {
		t.Error("no @hub-HX1 scenario passed: the rule was not checked")
	}
	t.Logf("%d scenarios skipped for the rule", skipped)
	for _, s := range []*target.Server{srv, inv} {
		if st := s.Stats(); st != (target.Stats{}) {
			t.Errorf("the run left %d users, %d groups and %d hub accounts in the target", st.Users, st.Groups, st.Accounts)
		}
	}
}

// TestDiscoveredUserNameRule: a profile without usernames takes the policy
// the target publishes, its character rule included; a rule the harness
// does not know is left out with a note.
func TestDiscoveredUserNameRule(t *testing.T) {
	for _, tc := range []struct{ published, want, note string }{
		{username.Hub, username.Hub, ""},
		{"github", "", `names the rule "github"`},
	} {
		body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],"` + usernamePolicyURN +
			`":{"minLength":2,"maxLength":42,"digitsOnly":false,"rule":"` + tc.published + `"},"patch":{"supported":true}}`
		url := serve(t, http.StatusOK, "application/scim+json", body, "/ResourceTypes")
		p, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: url, Timeout: 5 * time.Second, Auth: profile.Auth{Token: "tok-hostile"}}})
		if err != nil {
			t.Fatal(err)
		}
		redact := transcript.NewRedactor("tok-hostile")
		_, notes, more, err := discover(context.Background(), scimConfig(p, Config{}, redact), p.Features, redact)
		if err != nil || more.usernames.Rule != tc.want || more.usernames.MaxLength != 42 {
			t.Errorf("published %q: discovered %+v, %v; want the rule %q", tc.published, more.usernames, err, tc.want)
		}
		if tc.note != "" && !strings.Contains(strings.Join(notes, "\n"), tc.note) {
			t.Errorf("published %q: notes %q lack %q", tc.published, notes, tc.note)
		}
	}
}
