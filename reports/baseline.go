package reports

import (
	"fmt"
	"io"
	"sort"
)

// Change is one scenario's outcome in a baseline run and in this one.
type Change struct {
	ID, Name      string
	Before, After Status // "" when the scenario is absent from that run
}

// Comparison sorts this run's scenarios against a baseline run, for a CI
// gate that fails only on regressions.
type Comparison struct {
	NewlyFailing []Change // passed (or skipped) before, fail now: regressions
	NewlyPassing []Change // failed before, pass now
	StillFailing []Change
	Unchanged    int // same status both times, failures excluded
	Added        []Change
	Removed      []Change
}

// key identifies a scenario across runs by file and title, not line, so
// editing a feature file above it does not make it new.
func key(s Scenario) string { return s.URI + "\x00" + s.Name }

func bad(s Status) bool { return s == Failed || s == Errored || s == Undefined }

// Compare sets after against before.
func Compare(before, after Run) Comparison {
	var c Comparison
	old := map[string]Scenario{}
	for _, s := range before.Scenarios {
		old[key(s)] = s
	}
	seen := map[string]bool{}
	for _, s := range after.Scenarios {
		k := key(s)
		seen[k] = true
		prev, ok := old[k]
		ch := Change{ID: s.ID, Name: s.Name, Before: prev.Status, After: s.Status}
		switch {
		case !ok:
			c.Added = append(c.Added, ch)
		case bad(s.Status) && !bad(prev.Status):
			c.NewlyFailing = append(c.NewlyFailing, ch)
		case !bad(s.Status) && bad(prev.Status):
			c.NewlyPassing = append(c.NewlyPassing, ch)
		case bad(s.Status):
			c.StillFailing = append(c.StillFailing, ch)
		default:
			c.Unchanged++
		}
	}
	for _, s := range before.Scenarios {
		if !seen[key(s)] {
			c.Removed = append(c.Removed, Change{ID: s.ID, Name: s.Name, Before: s.Status})
		}
	}
	sort.Slice(c.Removed, func(i, j int) bool { return c.Removed[i].ID < c.Removed[j].ID })
	return c
}

// Regressed reports whether anything that passed before fails now; a new
// scenario that fails counts too, since it has no passing history to keep.
func (c Comparison) Regressed() bool {
	if len(c.NewlyFailing) > 0 {
		return true
	}
	for _, a := range c.Added {
		if bad(a.After) {
			return true
		}
	}
	return false
}

// WriteText prints the comparison for a terminal or a CI log.
func (c Comparison) WriteText(w io.Writer) error {
	section := func(title string, list []Change) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(list))
		for _, ch := range list {
			fmt.Fprintf(w, "  %s  [%s]  %s -> %s\n", ch.Name, ch.ID, orNone(ch.Before), orNone(ch.After))
		}
	}
	fmt.Fprintln(w, "Against the baseline:")
	section("Newly failing", c.NewlyFailing)
	section("Newly passing", c.NewlyPassing)
	section("Still failing", c.StillFailing)
	section("New scenarios", c.Added)
	section("Scenarios no longer run", c.Removed)
	_, err := fmt.Fprintf(w, "%d newly failing, %d newly passing, %d still failing, %d unchanged\n",
		len(c.NewlyFailing), len(c.NewlyPassing), len(c.StillFailing), c.Unchanged)
	return err
}

func orNone(s Status) string {
	if s == "" {
		return "absent"
	}
	return string(s)
}
