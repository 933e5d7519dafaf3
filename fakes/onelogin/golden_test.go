package onelogin

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/golden"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// Sources of the rows (shared/idp-behaviour.md).
const (
	kb0013904 = "https://onelogin.service-now.com/kb?id=kb_article_view&sysparm_article=KB0013904"
	keepnet   = "https://doc.keepnetlabs.com/next-generation-product/platform/company/company-settings/scim-settings/onelogin-scim-integration"
	scimDev   = "https://scim.dev/guide/applications/onelogin"
	keeper    = "https://docs.keeper.io/enterprise-guide/user-and-team-provisioning/onelogin-provisioning-with-scim"
)

// newApp is a OneLogin app in front of the reference target, in process on
// loopback, with a recorder between them.
func newApp(t *testing.T, rec *golden.Recorder, opts Options) *Client {
	t.Helper()
	auth := scim.Auth{Type: "bearer", Token: "t0ken"}
	cfg := scim.Config{BaseURL: rec.Serve(t), Auth: auth, HTTP: scim.NewHTTPClient(auth, 5*time.Second, nil), Timeout: 5 * time.Second}
	return New(scim.New(cfg, transcript.New(nil)), opts)
}

func newRecorder(t *testing.T) *golden.Recorder {
	t.Helper()
	srv, err := reftarget.New(reftarget.Options{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	return golden.NewRecorder(srv, "/scim/v2")
}

func ada(n string) User {
	return User{Username: "ada" + n + "@example.com", FirstName: "Ada", LastName: "Lovelace", DisplayName: "Ada Lovelace",
		Email: "ada" + n + "@example.com", Department: "Engineering", Active: true}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestGoldenTranscripts(t *testing.T) {
	ctx := context.Background()
	scimJSON := http.Header{"Content-Type": {"application/scim+json"}}
	create := func(n string) func(*testing.T, *Client) {
		return func(t *testing.T, c *Client) {
			_, err := c.Create(ctx, ada(n))
			must(t, err)
		}
	}
	rows := []struct {
		row  golden.Row
		opts Options
		run  func(t *testing.T, c *Client)
	}{
		{row: golden.Row{ID: "L1", Title: "SCIM Provisioner with SAML: enabling provisioning, then a create from the enterprise template", Source: kb0013904},
			run: func(t *testing.T, c *Client) {
				must(t, c.Enable(ctx))
				create("1")(t, c)
			}},
		{row: golden.Row{ID: "L2", Title: `a vendor template: "id": null and "active": "{$user.active}" as a string`, Source: keepnet,
			Notes: []string{"template: vendor; placeholders are filled in as text inside the template's quotes (" + kb0013904 + ")"}},
			opts: Options{Template: Vendor}, run: create("2")},
		{row: golden.Row{ID: "L3", Title: "the core-schema template declares urn:scim:schemas:core:1.0", Source: scimDev,
			Notes: []string{"template: core, as scim.dev gives it"}},
			opts: Options{Template: Core}, run: create("3")},
		{row: golden.Row{ID: "L4", Title: "no group information in the SCIM schema: the create carries no groups attribute", Source: kb0013904,
			Notes: []string{"template: enterprise; none of the fake's templates has a groups attribute"}},
			run: create("4")},
		{row: golden.Row{ID: "L5", Title: "the custom header Content-Type: application/scim+json vendors tell admins to add", Source: keeper,
			Notes: []string{"custom header: Content-Type: application/scim+json; without it the fake sends " + DefaultContentType + " (OneLogin's default is not documented)"}},
			opts: Options{Headers: scimJSON}, run: create("5")},
		{row: golden.Row{ID: "L6", Title: "enabling provisioning makes an initial connection attempt", Source: scimDev,
			Notes: []string{"the source does not give the request; the fake reads one page of users"}},
			run: func(t *testing.T, c *Client) { must(t, c.Enable(ctx)) }},
	}
	for _, tc := range rows {
		t.Run(tc.row.ID, func(t *testing.T) {
			rec := newRecorder(t)
			tc.run(t, newApp(t, rec, tc.opts))
			golden.Check(t, tc.row.ID, tc.row, rec.Transcript())
		})
	}
}
