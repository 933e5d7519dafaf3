package env

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/containers/containertest"
	"github.com/idpconform/idpconform/internal/profile"
)

// TestAFailedIdPLeavesNoContainer: a profile's OpenID Provider cannot
// listen on its address (the test holds it) while the Okta and Entra fakes
// and the SAML IdP start beside it; Start fails saying why, and whatever
// started is removed.
func TestAFailedIdPLeavesNoContainer(t *testing.T) {
	d := containertest.Connect(t)
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	p := profile.Profile{Name: "p", SCIM: profile.SCIM{URL: "http://127.0.0.1:9/scim/v2"}, SSO: &profile.SSO{
		SAML: &profile.SAML{EntityID: "http://127.0.0.1:9/sp", ACSURL: "http://127.0.0.1:9/acs"},
		OIDC: &profile.OIDC{OP: profile.IdPEndpoint{Listen: held.Addr().String()}}}}
	var out bytes.Buffer
	e, err := Start(context.Background(), Options{Fakes: "container", Tags: "@okta,@entra,@oidc", Profile: &p, Output: &out})
	if err == nil {
		_ = e.Close()
		t.Fatalf("Start succeeded with the OpenID Provider's address taken:\n%s", out.String())
	}
	if !strings.Contains(err.Error(), "start the SSO IdPs in containers") || !strings.Contains(err.Error(), "run oidc") {
		t.Errorf("Start = %v, want the OpenID Provider's failure", err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`container (idpconform-[a-z]+-[0-9a-f]{8})`).FindAllStringSubmatch(out.String(), -1) {
		names = append(names, m[1])
	}
	t.Logf("started beside the failed OpenID Provider: %v", names)
	containertest.NoneLeft(t, d, names...)
}

// TestContainerModeStartsAll: with the fakes in containers and a
// --target-image target, each runs in its own container, said in the
// order target, provisioning fakes, SSO IdPs, and Close removes them all.
func TestContainerModeStartsAll(t *testing.T) {
	d := containertest.Connect(t)
	var out bytes.Buffer
	e, err := Start(context.Background(), Options{Fakes: "container", Tags: "@okta,@entra", OutDir: t.TempDir(), Output: &out,
		Image: ImageOptions{Name: "idpconform", Health: "/healthz"}})
	if err != nil {
		t.Fatal(err)
	}
	said := regexp.MustCompile(`(?m)^(?:target|fake (\w+)): container (idpconform-[a-z]+-[0-9a-f]{8})`).FindAllStringSubmatch(out.String(), -1)
	var kinds, names []string
	for _, m := range said {
		kinds, names = append(kinds, m[1]), append(names, m[2])
	}
	if strings.Join(kinds, ",") != ",entra,okta" || e.Fakes == nil || e.Profile.SCIM.URL == "" {
		t.Errorf("started %v (target, then fakes), fakes %v, SCIM URL %q; want the target, entra and okta:\n%s", kinds, e.Fakes, e.Profile.SCIM.URL, out.String())
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	containertest.NoneLeft(t, d, names...)
}
