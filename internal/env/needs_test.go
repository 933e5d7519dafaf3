package env

import (
	"slices"
	"testing"
)

func TestFakesNeeded(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want []string
	}{
		{"", []string{"entra", "oidc", "okta", "saml"}},
		{"@sso", []string{"oidc", "saml"}},
		{"@saml", []string{"saml"}},
		{"@oidc", []string{"oidc"}},
		{"@okta,@saml", []string{"okta", "saml"}},
		// Some SAML logins are tagged with the IdP whose shape they take.
		{"@okta", []string{"okta", "saml"}},
		{"@entra", []string{"entra", "saml"}},
		{"@okta,@entra", []string{"entra", "okta", "saml"}},
		{"@okta && ~@sso", []string{"okta"}},
		{"@users", nil},
		{"~@okta && ~@entra", []string{"oidc", "saml"}},
		{"~@okta && ~@entra && ~@sso", nil},
		{"@okta && ~@okta", nil},
	} {
		t.Run(tc.tags, func(t *testing.T) {
			got, err := FakesNeeded(tc.tags)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("FakesNeeded(%q) = %v, want %v", tc.tags, got, tc.want)
			}
		})
	}
}
