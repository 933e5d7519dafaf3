package runner

import (
	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
)

// Selected lists the scenarios a tag expression selects, as run reads it.
func Selected(tags string) ([]catalog.Scenario, error) {
	all, err := catalog.Load(features.FS)
	if err != nil {
		return nil, err
	}
	var out []catalog.Scenario
	for _, s := range all {
		if catalog.MatchTags(tags, s.Tags) {
			out = append(out, s)
		}
	}
	return out, nil
}
