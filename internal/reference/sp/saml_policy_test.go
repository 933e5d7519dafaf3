package sp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

// TestSAMLPolicyIsEnforced: the metadata says what the policy does, and an
// SP with a policy refuses what it does not take. The harness profile's
// overrides (sso.saml.sign, sso.saml.encrypt) are how a response the
// metadata does not ask for gets sent.
func TestSAMLPolicyIsEnforced(t *testing.T) {
	encrypted := sp.SAMLPolicy{SignAuthnRequests: true, RequireSignedAssertions: true, RequireEncryptedAssertions: true}
	for _, tc := range []struct {
		name     string
		policy   sp.SAMLPolicy
		metadata []string
		override samlidp.SPPolicy
		refused  string // "" for a login that works
	}{
		{"default", sp.SAMLPolicy{}, []string{`AuthnRequestsSigned="false"`, `WantAssertionsSigned="false"`}, samlidp.SPPolicy{Sign: samlidp.SignResponse}, ""},
		{"strict", sp.Strict, []string{`AuthnRequestsSigned="true"`, `WantAssertionsSigned="true"`, `use="signing"`}, samlidp.SPPolicy{}, ""},
		{"strict, response signed only", sp.Strict, nil, samlidp.SPPolicy{Sign: samlidp.SignResponse}, "the assertion is not signed"},
		{"encrypted", encrypted, []string{`use="encryption"`}, samlidp.SPPolicy{}, ""},
		{"encrypted, sent in the clear", encrypted, nil, samlidp.SPPolicy{Encrypt: samlidp.EncryptNever}, "a plaintext assertion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSAMLEnv(t, samlidp.Okta, func(o *sp.Options) { o.SAML = tc.policy })
			md, err := e.sp.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.metadata {
				if !strings.Contains(string(md), want) {
					t.Errorf("metadata lacks %s:\n%s", want, md)
				}
			}
			if _, err := e.idp.AddServiceProviderWith(md, tc.override); err != nil {
				t.Fatal(err)
			}
			page, err := e.login(t, false)
			if err != nil {
				t.Fatal(err)
			}
			got := whoami(t, e.browser, e.spURL)
			switch {
			case tc.refused == "" && got != attacker:
				t.Fatalf("login refused: %d %s", page.Status, page.Body)
			case tc.refused != "" && (got != "" || page.Status != http.StatusForbidden || !strings.Contains(string(page.Body), tc.refused)):
				t.Fatalf("want a refusal saying %q; session %q, %d %s", tc.refused, got, page.Status, page.Body)
			}
			if x := string(e.idp.Last().XML); strings.Contains(x, "EncryptedAssertion") != (tc.policy.RequireEncryptedAssertions && tc.override.Encrypt != samlidp.EncryptNever) {
				t.Errorf("encryption does not follow the metadata and the override: %.200s", x)
			}
		})
	}
}
