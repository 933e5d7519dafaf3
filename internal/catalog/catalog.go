// Package catalog lists the embedded scenarios with their tags and place in
// the feature files, for `idpconform list` and for locating results.
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// Scenario is one pickle: a scenario, or one example row of an outline.
type Scenario struct {
	URI     string // users/create.feature
	Line    int
	Feature string
	Area    string // the feature's folder
	Name    string
	Tags    []string // without '@'
	Steps   []string
}

// ID is how reports name the scenario: features/users/create.feature:12.
func (s Scenario) ID() string { return fmt.Sprintf("features/%s:%d", s.URI, s.Line) }

// Key identifies a pickle by what godog hands to hooks.
func Key(uri, name string, steps []string) string {
	return uri + "\x00" + name + "\x00" + strings.Join(steps, "\x00")
}

// embedded holds what Load found in an embedded tree, which cannot
// change: a run asks for the catalog four times (checking the features,
// choosing what to start, selecting, locating results).
var embedded sync.Map // embed.FS → []Scenario

// Load parses every *.feature file in fsys. The caller may reorder or
// cut the slice it gets, not change the scenarios in it.
func Load(fsys fs.FS) ([]Scenario, error) {
	e, isEmbedded := fsys.(embed.FS)
	if isEmbedded {
		if all, ok := embedded.Load(e); ok {
			return slices.Clone(all.([]Scenario)), nil
		}
	}
	all, err := load(fsys)
	if err == nil && isEmbedded {
		embedded.Store(e, slices.Clone(all))
	}
	return all, err
}

func load(fsys fs.FS) ([]Scenario, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".feature") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	sort.Strings(files)
	var out []Scenario
	for _, f := range files {
		s, err := parse(fsys, f)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func parse(fsys fs.FS, file string) ([]Scenario, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	ids := &messages.Incrementing{}
	doc, err := gherkin.ParseGherkinDocument(strings.NewReader(string(raw)), ids.NewId)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", file, err)
	}
	if doc.Feature == nil {
		return nil, nil
	}
	lines := map[string]int{} // AST node id → line, for scenarios and example rows
	for _, child := range doc.Feature.Children {
		if sc := child.Scenario; sc != nil {
			lines[sc.Id] = int(sc.Location.Line)
			for _, ex := range sc.Examples {
				for _, row := range ex.TableBody {
					lines[row.Id] = int(row.Location.Line)
				}
			}
		}
	}
	var out []Scenario
	for _, p := range gherkin.Pickles(*doc, file, ids.NewId) {
		s := Scenario{URI: file, Feature: doc.Feature.Name, Area: path.Dir(file), Name: p.Name}
		// An outline's pickle names the scenario first and the example row last.
		for _, id := range p.AstNodeIds {
			if l, ok := lines[id]; ok {
				s.Line = l
			}
		}
		for _, t := range p.Tags {
			s.Tags = append(s.Tags, strings.TrimPrefix(t.Name, "@"))
		}
		for _, st := range p.Steps {
			s.Steps = append(s.Steps, st.Text)
		}
		out = append(out, s)
	}
	return out, nil
}

// MatchTags says whether a scenario with tags (without '@') is selected by
// a godog tag expression, read as godog reads it: "&&" joins terms that
// must all hold, "," joins alternatives of which one must, "~" negates.
func MatchTags(expr string, tags []string) bool {
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
