package idpconform_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/idpconform/idpconform"
)

// The reference target stands in for your SCIM handler; in a test,
// idpconform.Test(t, target, idpconform.Tags("@okta")) runs the same
// scenarios as subtests.
func ExampleRun() {
	handler, err := idpconform.ReferenceHandler("secret")
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()

	run, err := idpconform.Run(context.Background(), idpconform.Target{URL: srv.URL + "/scim/v2", Token: "secret"},
		idpconform.Tags("@okta"))
	if err != nil {
		panic(err)
	}
	fmt.Println(run.Verdict())
	// Output: passed
}
