package importlog

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/cassette"
)

// load imports a sample and writes and reads it back as a cassette, so
// what the tests see is what replay reads.
func load(t *testing.T, read func(io.Reader) (Result, error), file string) ([]cassette.Exchange, string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, "test", res); err != nil {
		t.Fatal(err)
	}
	r, err := cassette.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var xs []cassette.Exchange
	for {
		x, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		xs = append(xs, x)
	}
	return xs, strings.Join(res.Notes, "\n")
}

func requests(xs []cassette.Exchange) string {
	var s []string
	for _, x := range xs {
		s = append(s, x.Method+" "+strings.SplitN(x.URI, "?", 2)[0])
	}
	return strings.Join(s, ", ")
}

func TestEntraProvisioningLog(t *testing.T) {
	xs, notes := load(t, Entra, "testdata/entra-provisioning.json")
	// In time order (the file lists the disable before the update), the
	// skipped entry sends nothing.
	want := "GET /scim/v2/Users, POST /scim/v2/Users, PATCH /scim/v2/Users/b6c8d0e2f4a6, PATCH /scim/v2/Users/b6c8d0e2f4a6"
	if got := requests(xs); got != want {
		t.Fatalf("requests:\n got %s\nwant %s", got, want)
	}
	for _, s := range []string{`"userName":"ada@contoso.example"`, `"givenName":"Ada"`, `"department":"Research"`, `"type":"work"`} {
		if !strings.Contains(xs[1].RequestBody, s) {
			t.Errorf("the POST body lacks %s: %s", s, xs[1].RequestBody)
		}
	}
	if !strings.Contains(xs[1].ResponseBody, `"id":"b6c8d0e2f4a6"`) || xs[1].Status != 201 {
		t.Errorf("the POST's answer does not carry the target's id: %d %s", xs[1].Status, xs[1].ResponseBody)
	}
	if !strings.Contains(xs[3].RequestBody, `"path":"active","value":"False"`) {
		t.Errorf("the disable is not Entra's PATCH: %s", xs[3].RequestBody)
	}
	for _, s := range []string{"Grace Hopper: skipped by Entra", "inferred a lookup by userName"} {
		if !strings.Contains(notes, s) {
			t.Errorf("the notes do not say %q:\n%s", s, notes)
		}
	}
}

func TestOktaSystemLog(t *testing.T) {
	xs, notes := load(t, Okta, "testdata/okta-system-log.json")
	want := "GET /scim/v2/Users, POST /scim/v2/Users, PUT /scim/v2/Users/00u1a2b3c4d5e6f7g8, PATCH /scim/v2/Users/00u1a2b3c4d5e6f7g8, GET /scim/v2/Users, POST /scim/v2/Users"
	if got := requests(xs); got != want {
		t.Fatalf("requests:\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(xs[3].RequestBody, `"value":{"active":false}`) {
		t.Errorf("the deactivation is not Okta's path-less PATCH: %s", xs[3].RequestBody)
	}
	if xs[5].Status != 409 {
		t.Errorf("the failed push quotes 409, imported as %d", xs[5].Status)
	}
	if !strings.Contains(notes, "1 events that are not provisioning") {
		t.Errorf("the notes do not count the membership event:\n%s", notes)
	}
}

func TestNotALog(t *testing.T) {
	if _, err := Entra(strings.NewReader(`{"value": 3}`)); err == nil {
		t.Error("a value that is not an array was imported")
	}
	if _, err := Okta(strings.NewReader(`<html>`)); err == nil {
		t.Error("HTML was imported")
	}
}
