package env

import (
	"slices"

	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
)

// Kinds of SSO IdPs, as `idpconform fake KIND --serve` names them.
const (
	KindSAML = "saml"
	KindOIDC = "oidc"
)

// FakesNeeded lists the fakes that the scenarios tags selects drive: Okta
// and Entra (provision.KindOkta, provision.KindEntra) for the scenarios
// tagged @okta or @entra, the SAML IdP and the OpenID Provider (KindSAML,
// KindOIDC) for the @sso scenarios tagged @saml or @oidc (both for one
// tagged with neither). Container mode starts only these.
func FakesNeeded(tags string) ([]string, error) {
	all, err := catalog.Load(features.FS)
	if err != nil {
		return nil, err
	}
	var kinds []string
	for _, s := range all {
		if !catalog.MatchTags(tags, s.Tags) {
			continue
		}
		// On an @sso scenario @okta or @entra names the shape of the SAML
		// IdP's responses, not the provisioning fake.
		var needs []string
		if slices.Contains(s.Tags, "sso") {
			for _, kind := range []string{KindSAML, KindOIDC} {
				if slices.Contains(s.Tags, kind) {
					needs = append(needs, kind)
				}
			}
			if len(needs) == 0 {
				needs = []string{KindSAML, KindOIDC}
			}
		} else {
			for _, kind := range []string{provision.KindOkta, provision.KindEntra} {
				if slices.Contains(s.Tags, kind) {
					needs = append(needs, kind)
				}
			}
		}
		for _, kind := range needs {
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	slices.Sort(kinds)
	return kinds, nil
}
