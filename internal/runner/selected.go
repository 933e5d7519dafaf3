package runner

import (
	"io/fs"

	"github.com/idpconform/idpconform/internal/catalog"
)

// Selected lists the scenarios of fsys that a tag expression selects, as
// run reads it.
func Selected(fsys fs.FS, tags string) ([]catalog.Scenario, error) {
	all, err := catalog.Load(fsys)
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
