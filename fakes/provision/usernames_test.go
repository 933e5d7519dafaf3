package provision

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// TestFakesFollowTheHubRule (shared/idp-behaviour.md HX2): against a target
// under the hub's userName rule, the Okta fake sends the login an admin
// edited to the rule (HF-OKTA) and the Entra fake the UPN its mapping
// edits (Replace([mailNickname], ".", …), HF-ENTRA), in process and
// through the control API; the same IdP names unedited are refused.
func TestFakesFollowTheHubRule(t *testing.T) {
	h := newHarnessWith(t, reftarget.Options{Token: "t0ken", Usernames: username.Hub})
	ctx := context.Background()
	for _, mode := range []string{"in-process", "control-api"} {
		t.Run(mode, func(t *testing.T) {
			f := h.modes[mode]
			c, _ := h.client()
			stored := func(id, want string) {
				t.Helper()
				t.Cleanup(func() {
					_, _ = c.Do(context.Background(), scim.Request{Method: http.MethodDelete, Path: "/Users/" + id})
				})
				resp, err := c.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/Users/" + id})
				if err != nil {
					t.Fatal(err)
				}
				o, err := resp.Object()
				if err != nil || scim.Text(o["userName"]) != want {
					t.Errorf("the target holds %s, want the userName %q", resp.Brief(), want)
				}
			}

			login := "ada.lovelace." + mode + "@example.com"
			u := okta.User{Login: login, GivenName: "Ada", FamilyName: "L", Email: login, OktaID: "00u-" + mode}
			if _, err := f.Okta(c, okta.Options{}).Do(ctx, okta.Op{Name: okta.OpAssign, User: u}); err == nil {
				t.Fatalf("the unedited Okta login %q was accepted: the target does not apply the rule", login)
			}
			r, err := f.Okta(c, okta.Options{Usernames: username.Hub}).Do(ctx, okta.Op{Name: okta.OpAssign, User: u})
			if err != nil || !r.Created {
				t.Fatalf("Assign under the hub rule = %+v, %v", r, err)
			}
			stored(r.ID, "ada-lovelace-"+mode)

			tenant := entra.NewTenant()
			tenant.PutUser(entra.User{ObjectID: "oid-" + mode, UPN: "grace.hopper." + mode + "@contoso.com", GivenName: "Grace", Surname: "H",
				DisplayName: "Grace H", Mail: "grace@contoso.com", Enabled: true, InScope: true})
			clock := func() *entra.Clock { return entra.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)) }
			raw := f.Entra(c, tenant, entra.Options{Clock: clock()})
			if cy, err := raw.RunCycle(ctx); err != nil || cy.Failed == 0 {
				t.Fatalf("a cycle with the unedited UPN = %+v, %v; want the create refused", cy, err)
			}
			job := f.Entra(c, tenant, entra.Options{Clock: clock(), Usernames: username.Hub})
			if cy, err := job.RunCycle(ctx); err != nil || cy.Failed != 0 {
				t.Fatalf("a cycle under the hub rule = %+v, %v", cy, err)
			}
			stored(job.TargetID("oid-"+mode), "grace-hopper-"+mode)
			for _, j := range []Entra{raw, job} {
				if err := j.Close(ctx); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
