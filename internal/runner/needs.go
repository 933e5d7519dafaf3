package runner

import (
	"slices"
	"strings"

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
		if !matchTags(tags, s.Tags) {
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

// Selected lists the scenarios a tag expression selects, as run reads it.
func Selected(tags string) ([]catalog.Scenario, error) {
	all, err := catalog.Load(features.FS)
	if err != nil {
		return nil, err
	}
	var out []catalog.Scenario
	for _, s := range all {
		if matchTags(tags, s.Tags) {
			out = append(out, s)
		}
	}
	return out, nil
}

// matchTags says whether a scenario with tags (without '@') is selected by
// a godog tag expression, read as godog reads it: "&&" joins terms that
// must all hold, "," joins alternatives of which one must, "~" negates.
func matchTags(expr string, tags []string) bool {
	if strings.TrimSpace(expr) == "" {
		return true
	}
	for _, and := range strings.Split(expr, "&&") {
		ok := false
		for _, alt := range strings.Split(and, ",") {
			alt = strings.ReplaceAll(strings.TrimSpace(alt), "@", "")
			if name, neg := strings.CutPrefix(alt, "~"); neg {
				ok = ok || !slices.Contains(tags, name)
			} else {
				ok = ok || slices.Contains(tags, alt)
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
