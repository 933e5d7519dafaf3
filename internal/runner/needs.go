package runner

import (
	"slices"
	"strings"

	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
)

// FakesNeeded lists the provisioning fakes (provision.KindOkta,
// provision.KindEntra) that the scenarios tags selects drive: those of the
// scenarios tagged @okta or @entra. Container mode starts only these.
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
		for _, kind := range []string{provision.KindOkta, provision.KindEntra} {
			if slices.Contains(s.Tags, kind) && !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	slices.Sort(kinds)
	return kinds, nil
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
