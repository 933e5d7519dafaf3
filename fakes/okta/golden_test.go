package okta

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/golden"
	reftarget "github.com/idpconform/idpconform/fakes/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// Sources of the rows (shared/idp-behaviour.md).
const (
	okta20  = "https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20"
	okta11  = "https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-11"
	oktaFAQ = "https://developer.okta.com/docs/concepts/scim/faqs/"
)

// rig is the Okta fake in front of the reference target, in process on
// loopback, with a recorder between them.
type rig struct {
	rec    *golden.Recorder
	okta   *Client
	direct *scim.Client // the test's own calls, to set up what the row needs
}

func newRig(t *testing.T, opts Options, faults ...string) *rig {
	t.Helper()
	srv, err := reftarget.New(reftarget.Options{Token: "t0ken", Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	rec := golden.NewRecorder(srv, "/scim/v2")
	auth := scim.Auth{Type: "bearer", Token: "t0ken"}
	cfg := scim.Config{BaseURL: rec.Serve(t), Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil), Timeout: 5 * time.Second}
	sc := scim.New(cfg, transcript.New(nil))
	if opts.Sleep == nil {
		opts.Sleep = func(context.Context, time.Duration) error { return nil }
	}
	return &rig{rec: rec, okta: New(sc, opts), direct: sc}
}

// user is the row's Okta user; n tells several apart.
func user(n string) User {
	return User{Login: "ada" + n + "@example.com", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada" + n + "@example.com",
		DisplayName: "Ada Lovelace", Locale: "en-US", OktaID: "00u1ada" + n}
}

// seed creates u on the target behind Okta's back (not recorded).
func (r *rig) seed(t *testing.T, u User) string {
	t.Helper()
	resp, err := r.direct.Do(context.Background(), scim.Request{Method: http.MethodPost, Path: "/Users", Body: marshal(u.body(true))})
	if err != nil || resp.Status != http.StatusCreated {
		t.Fatalf("seed %s: %v %v", u.Login, resp, err)
	}
	o, _ := resp.Object()
	r.rec.Reset()
	return scim.Text(o["id"])
}

// must fails the test on an error the row does not expect.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// goldenRow is one behaviour: what the fake is asked to do, and the file
// its requests must match.
type goldenRow struct {
	file string // testdata/<file>.golden: the row id, with the integration when it matters
	row  golden.Row
	opts Options
	run  func(t *testing.T, r *rig)
}

func TestGoldenTranscripts(t *testing.T) {
	ctx := context.Background()
	rows := []goldenRow{
		{file: "O1", row: golden.Row{ID: "O1", Title: "Test Connection", Source: okta11},
			run: func(t *testing.T, r *rig) { must(t, r.okta.TestConnection(ctx)) }},
		{file: "O2", row: golden.Row{ID: "O2", Title: "existence check before create", Source: okta20},
			run: func(t *testing.T, r *rig) {
				id, err := r.okta.Lookup(ctx, "nobody@example.com")
				must(t, err)
				if id != "" {
					t.Fatalf("Lookup found %q", id)
				}
			}},
		{file: "O5", row: golden.Row{ID: "O5", Title: "create body", Source: okta20},
			run: func(t *testing.T, r *rig) {
				_, created, err := r.okta.Assign(ctx, user("5"))
				must(t, err)
				if !created {
					t.Fatal("not created")
				}
			}},
	}
	for _, tc := range rows {
		t.Run(tc.file, func(t *testing.T) {
			r := newRig(t, tc.opts)
			tc.run(t, r)
			golden.Check(t, tc.file, tc.row, r.rec.Transcript())
		})
	}
}
