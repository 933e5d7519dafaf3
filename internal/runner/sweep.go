package runner

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/steps"
)

// sweepDeadline bounds the final sweep, also after an interrupt.
const sweepDeadline = 30 * time.Second

// sweep runs after every scenario's own cleanup: it looks for anything
// on the target whose name carries the run's token (a create that was
// never answered, a scenario cut short), removes it, reads each removal
// back, and keeps only the leftovers that are still there. It returns a
// note when it could not look everywhere.
func sweep(ctx context.Context, sc scim.Config, kinds []string, prefix string, mark *steps.Mark, cleanup *steps.Cleanup) []string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sweepDeadline)
	defer cancel()
	sc.Marker = mark.Token // anything with the run's token is the run's
	c := scim.New(sc, nil).ForCleanup()
	ours := func(name string) bool { return c.Marks(name) }
	var notes []string
	seen := map[string]bool{}   // Kind/ID found by the sweep
	looked := map[string]bool{} // kinds the sweep listed completely
	for _, kind := range kinds {
		filter := scim.NameAttr(kind) + " sw " + scim.Quote(prefix+mark.Token)
		found, complete, err := c.Search(ctx, kind, filter, ours)
		if err != nil {
			notes = append(notes, fmt.Sprintf("cleanup: the final sweep could not list %s: %v", kind, err))
		}
		looked[kind] = complete && err == nil
		for _, r := range found {
			id := scim.ID(r)
			if id == "" || seen[kind+"/"+id] {
				continue
			}
			seen[kind+"/"+id] = true
			if wasThere, err := c.Remove(ctx, kind, id); err != nil {
				cleanup.Add(0, steps.Leftover{Base: sc.BaseURL, Leftover: scim.Leftover{Kind: kind, ID: id, Name: scim.Name(r), Why: "found by the final sweep; " + err.Error()}})
			} else if wasThere {
				cleanup.Add(1)
			}
		}
	}
	cleanup.Settle(func(l steps.Leftover) bool {
		switch {
		case l.Base != sc.BaseURL:
			return true // another target's
		case l.ID == "":
			// A create never answered: if its name carries the token and
			// the sweep listed its kind completely, the sweep handled it.
			return !looked[l.Kind] || !c.Marks(l.Name)
		case seen[l.Kind+"/"+l.ID]:
			return strings.HasPrefix(l.Why, "found by the final sweep")
		}
		resp, err := c.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/" + l.Kind + "/" + l.ID})
		return err != nil || resp.Status != http.StatusNotFound
	})
	return notes
}

// sweepAll sweeps the target and each other configuration of it.
func sweepAll(ctx context.Context, deps steps.Deps, prefix string, mark *steps.Mark, cleanup *steps.Cleanup) []string {
	targets := []*steps.Deps{&deps}
	for _, alt := range deps.ByTag {
		targets = append(targets, alt)
	}
	var notes []string
	done := map[string]bool{}
	for _, d := range targets {
		if done[d.SCIM.BaseURL] {
			continue
		}
		done[d.SCIM.BaseURL] = true
		kinds := []string{"Users"}
		if d.Claims.On("groups") {
			kinds = append(kinds, "Groups")
		}
		notes = append(notes, sweep(ctx, d.SCIM, kinds, prefix, mark, cleanup)...)
	}
	return notes
}
