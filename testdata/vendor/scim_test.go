// Package vendor stands for a vendor's own Go module: its tests run the
// conformance suite through idpconform's public API only. The reference
// target stands in for the vendor's SCIM handler; IDPC_VENDOR_FAULT
// switches a fault on in it, to show what a failing subtest says.
package vendor

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/idpconform/idpconform"
	"github.com/idpconform/idpconform/fakes/entra"
)

// scimHandler serves SCIM under srv.URL+"/scim/v2".
func scimServer(t *testing.T) idpconform.Target {
	var faults []string
	if f := os.Getenv("IDPC_VENDOR_FAULT"); f != "" {
		faults = append(faults, f)
	}
	h, err := idpconform.ReferenceHandler("vendor-token", faults...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return idpconform.Target{URL: srv.URL + "/scim/v2", Token: "vendor-token"}
}

func TestOktaConformance(t *testing.T) {
	idpconform.Test(t, scimServer(t), idpconform.Tags("@okta"))
}

func TestEntraProvisionsAUser(t *testing.T) {
	job := idpconform.Entra(t, scimServer(t))
	job.Tenant.PutUser(entra.User{ObjectID: "oid-ada", UPN: "ada@example.com", GivenName: "Ada", Surname: "Lovelace",
		DisplayName: "Ada Lovelace", Enabled: true, InScope: true})
	job.Cycle()
	if job.TargetID("oid-ada") == "" {
		t.Fatal("the initial cycle did not link ada to a user of the target")
	}
}
