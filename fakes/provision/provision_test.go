package provision

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/entra"
	"github.com/idpconform/idpconform/fakes/okta"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
)

// harness is the reference target, an Okta and an Entra fake serving their
// control API, and both ways of reaching the fakes.
type harness struct {
	cfg   scim.Config
	modes map[string]Fakes
}

func newHarness(t *testing.T) harness {
	t.Helper()
	return newHarnessWith(t, reftarget.Options{Token: "t0ken"})
}

// newHarnessWith is newHarness with the reference target under opts
// (whose Token must be "t0ken").
func newHarnessWith(t *testing.T, opts reftarget.Options) harness {
	t.Helper()
	srv, err := reftarget.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tgt := httptest.NewServer(srv)
	t.Cleanup(tgt.Close)
	serve := func(kind string) string {
		h, err := Handler(kind)
		if err != nil {
			t.Fatal(err)
		}
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL
	}
	auth := scim.Auth{Type: "bearer", Token: "t0ken"}
	return harness{
		cfg: scim.Config{BaseURL: tgt.URL + "/scim/v2", Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil),
			Anonymous: scim.NewAnonymousClient(), Timeout: 5 * time.Second},
		modes: map[string]Fakes{"in-process": InProcess{}, "control-api": Dial(serve(KindOkta), serve(KindEntra))},
	}
}

func (h harness) client() (*scim.Client, *transcript.Log) {
	log := transcript.New(transcript.NewRedactor("t0ken"))
	return scim.New(h.cfg, log), log
}

// sameInBothModes runs drive once per way of reaching the fakes, each time
// with a fresh client, and checks that both transcripts hold at least
// minExchanges requests with the token redacted, and the same requests.
func (h harness) sameInBothModes(t *testing.T, minExchanges int, drive func(t *testing.T, mode string, f Fakes, c *scim.Client)) {
	t.Helper()
	var seen [][]string
	for _, mode := range []string{"in-process", "control-api"} {
		t.Run(mode, func(t *testing.T) {
			c, log := h.client()
			drive(t, mode, h.modes[mode], c)
			xs := log.Exchanges()
			if len(xs) < minExchanges {
				t.Fatalf("the transcript holds %d exchanges: %v", len(xs), requests(xs))
			}
			for _, x := range xs {
				if a := x.RequestHeaders["Authorization"]; len(a) != 1 || a[0] != "Bearer "+transcript.Redacted {
					t.Errorf("%s %s: Authorization %v, want it redacted", x.Method, x.URL, a)
				}
			}
			seen = append(seen, requests(xs))
		})
	}
	if len(seen) == 2 && !slices.Equal(seen[0], seen[1]) {
		t.Errorf("the transcripts differ:\n in process   %v\n control API  %v", seen[0], seen[1])
	}
}

// requests is a transcript as method and path, without the scenario's ids.
func requests(xs []reports.Exchange) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Method)
	}
	return out
}

func TestOktaTheSameInBothModes(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// lookup, create, lookup, import, two PATCHes
	h.sameInBothModes(t, 6, func(t *testing.T, mode string, f Fakes, c *scim.Client) {
		var waited time.Duration
		o := f.Okta(c, okta.Options{Sleep: func(_ context.Context, d time.Duration) error { waited += d; return nil }})
		login := "ada-" + mode + "@example.com"
		r, err := o.Do(ctx, okta.Op{Name: okta.OpAssign, User: okta.User{Login: login, GivenName: "Ada", FamilyName: "L", Email: login, OktaID: "00u" + mode}})
		id, created := r.ID, r.Created
		if err != nil || !created || id == "" {
			t.Fatalf("Assign = %q, %v, %v", id, created, err)
		}
		t.Cleanup(func() {
			_, _ = c.Do(context.Background(), scim.Request{Method: http.MethodDelete, Path: "/Users/" + id})
		})
		if got, err := o.Do(ctx, okta.Op{Name: okta.OpLookup, Login: login}); err != nil || got.ID != id {
			t.Fatalf("Lookup = %q, %v; want %q", got.ID, err, id)
		}
		imp, err := o.Do(ctx, okta.Op{Name: okta.OpImport, Filter: `userName eq "` + login + `"`})
		got := imp.Imported
		if err != nil || len(got) != 1 || got[0].ID != id || got[0].Name != login {
			t.Fatalf("Import = %v, %v", got, err)
		}
		// The target's refusal keeps its type across the control API.
		_, err = o.Do(ctx, okta.Op{Name: okta.OpSetActive, ID: "no-such-id"})
		var se *okta.StatusError
		if !errors.As(err, &se) || se.Status != http.StatusNotFound {
			t.Fatalf("SetActive(no-such-id) = %v, want a 404 StatusError", err)
		}
		if _, err := o.Do(ctx, okta.Op{Name: okta.OpSetActive, ID: id}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEntraTheSameInBothModes(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.sameInBothModes(t, 6, func(t *testing.T, mode string, f Fakes, c *scim.Client) {
		tenant := entra.NewTenant()
		user := entra.User{ObjectID: "oid-1", UPN: "grace-" + mode + "@example.com", GivenName: "Grace", Surname: "H",
			DisplayName: "Grace H", Mail: "grace@example.com", Department: "Navy", Enabled: true, InScope: true}
		tenant.PutUser(user)
		tenant.PutGroup(entra.Group{ObjectID: "oid-g", DisplayName: "eng-" + mode, Members: []string{"oid-1"}, InScope: true})
		clock := entra.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		job := f.Entra(c, tenant, entra.Options{Clock: clock, Compliant: true, Active: entra.ActiveLower})
		if tc, err := job.TestConnection(ctx); err != nil || tc.Failed != 0 || len(tc.Ops) != 3 {
			t.Fatalf("test connection = %+v, %v", tc, err)
		}
		c1, err := job.RunCycle(ctx)
		if err != nil || c1.Failed != 0 || !c1.Initial {
			t.Fatalf("initial cycle = %+v, %v", c1, err)
		}
		uid, gid := job.TargetID("oid-1"), job.TargetID("oid-g")
		if uid == "" || gid == "" {
			t.Fatalf("links: user %q, group %q", uid, gid)
		}
		user.Department, user.Enabled = "Research", false
		tenant.PutUser(user)
		c2, err := job.RunCycle(ctx)
		if err != nil || c2.Failed != 0 || c2.N != 2 || !c2.At.Equal(clock.Now().Add(-entra.Interval)) {
			t.Fatalf("incremental cycle = %+v, %v (clock %s)", c2, err, clock.Now())
		}
		user.GivenName = "Gracie"
		tenant.PutUser(user)
		if pod, err := job.ProvisionOnDemand(ctx, "oid-1"); err != nil || pod.Failed != 0 || len(pod.Ops) != 2 {
			t.Fatalf("on demand = %+v, %v", pod, err)
		}
		if err := job.Restart(ctx); err != nil {
			t.Fatal(err)
		}
		if c, err := job.RunCycle(ctx); err != nil || !c.Initial || job.TargetID("oid-1") != uid {
			t.Fatalf("cycle after restart = %+v, %v; link %q, want %q", c, err, job.TargetID("oid-1"), uid)
		}
		tenant.HardDelete("oid-1")
		tenant.PutGroup(entra.Group{ObjectID: "oid-g", DisplayName: "eng-" + mode, InScope: false})
		if c3, err := job.RunCycle(ctx); err != nil || c3.Failed != 0 {
			t.Fatalf("deleting cycle = %+v, %v", c3, err)
		}
		if err := job.Close(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestControlFailuresAreTheHarnesss(t *testing.T) {
	h := newHarness(t)
	c, _ := h.client()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	ctx := context.Background()
	for name, err := range map[string]error{
		"no okta fake":   testConnection(ctx, Dial("", "").Okta(c, okta.Options{})),
		"okta fake down": testConnection(ctx, Dial(down.URL, "").Okta(c, okta.Options{})),
		"unknown okta operation": func() error {
			_, err := h.modes["control-api"].Okta(c, okta.Options{}).Do(ctx, okta.Op{Name: "frobnicate"})
			return err
		}(),
		"forgotten job": func() error {
			job := h.modes["control-api"].(*Client).Entra(c, entra.NewTenant(), entra.Options{})
			job.(*remoteEntra).job = "gone"
			_, err := job.RunCycle(ctx)
			return err
		}(),
	} {
		if !errors.Is(err, ErrControl) {
			t.Errorf("%s: %v, want ErrControl", name, err)
		}
	}
}

func testConnection(ctx context.Context, o Okta) error {
	_, err := o.Do(ctx, okta.Op{Name: okta.OpTestConnection})
	return err
}
