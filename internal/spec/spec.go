// Package spec is the clause ledger: the spec sections and documented IdP
// behaviours that scenarios cite with tags.
package spec

import (
	"fmt"
	"sort"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/idpconform/idpconform/fixtures"
	"github.com/idpconform/idpconform/reports"
)

// Clause is one ledger entry.
type Clause struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	URL         string `yaml:"url"`
	Level       string `yaml:"level"` // MUST, SHOULD, IDP
	Requirement string `yaml:"requirement"`
	Impact      string `yaml:"impact"` // what a customer suffers when it breaks, in one sentence
}

// Report converts c for a report.
func (c Clause) Report() reports.Clause {
	return reports.Clause{ID: c.ID, Title: c.Title, URL: c.URL, Requirement: c.Requirement, Impact: c.Impact}
}

var (
	once   sync.Once
	ledger map[string]Clause
	order  []string
	err    error
)

func load() {
	raw, e := fixtures.FS.ReadFile("spec/clauses.yaml")
	if e != nil {
		err = e
		return
	}
	var list []Clause
	if e := yaml.Unmarshal(raw, &list); e != nil {
		err = fmt.Errorf("spec: clauses.yaml: %w", e)
		return
	}
	ledger = make(map[string]Clause, len(list))
	for _, c := range list {
		if _, dup := ledger[c.ID]; dup {
			err = fmt.Errorf("spec: clause %s is listed twice", c.ID)
			return
		}
		ledger[c.ID] = c
		order = append(order, c.ID)
	}
}

// Lookup returns the clause a tag (with or without '@') cites.
func Lookup(tag string) (Clause, bool) {
	once.Do(load)
	if len(tag) > 0 && tag[0] == '@' {
		tag = tag[1:]
	}
	c, ok := ledger[tag]
	return c, ok
}

// All returns every clause in ledger order.
func All() ([]Clause, error) {
	once.Do(load)
	out := make([]Clause, 0, len(order))
	for _, id := range order {
		out = append(out, ledger[id])
	}
	return out, err
}

// Clauses returns the ledger entries among tags, sorted by id.
func Clauses(tags []string) []Clause {
	var out []Clause
	for _, t := range tags {
		if c, ok := Lookup(t); ok {
			out = append(out, c)
		}
	}
	// Spec sections first, then IdP behaviours: a failure reads as the RFC
	// clause it breaks, with the IdP consequence after it.
	rank := func(c Clause) bool { return c.Level == "IDP" }
	sort.Slice(out, func(i, j int) bool {
		if rank(out[i]) != rank(out[j]) {
			return !rank(out[i])
		}
		return out[i].ID < out[j].ID
	})
	return out
}
