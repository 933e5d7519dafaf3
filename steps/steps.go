// Package steps binds the Gherkin sentences of features/ to Go: each step
// sends requests to the target (directly or through a fake IdP) and checks
// what comes back, reading state back rather than trusting status codes.
package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/transcript"
)

// quoted matches a double-quoted step argument that may hold \" escapes,
// as SCIM paths with value filters do.
const quoted = `"((?:[^"\\]|\\.)*)"`

// unquote undoes the \" escapes of a quoted argument.
func unquote(s string) string { return strings.ReplaceAll(s, `\"`, `"`) }

// Register binds every step for one scenario and returns its World. godog
// calls the initializer once per scenario, so each World is private to it.
func Register(sc *godog.ScenarioContext, deps Deps, log *transcript.Log) *World {
	w := newWorld(deps, log)
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		for _, t := range s.Tags {
			w.tags = append(w.tags, strings.TrimPrefix(t.Name, "@"))
			if alt := deps.ByTag[strings.TrimPrefix(t.Name, "@")]; alt != nil {
				w.deps, w.client = *alt, w.clientFor(alt.SCIM)
			}
		}
		return ctx, nil
	})
	st := stepper{sc}
	registerHTTP(st, w)
	registerDiscovery(st, w)
	registerUsers(st, w)
	registerGroups(st, w)
	registerLists(st, w)
	registerOkta(st, w)
	registerEntra(st, w)
	registerUsernames(st, w)
	registerUsernameRules(st, w)
	registerSSO(st, w)
	registerLifecycle(st, w)
	registerRoles(st, w)
	registerOptional(st, w)
	registerBulk(st, w)
	// An After hook returns only its own error: godog reports a returned
	// error as a failed hook.
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		w.ssoDone(context.WithoutCancel(ctx))
		w.entraDone(context.WithoutCancel(ctx))
		w.cleanup()
		w.lifecycleDone(context.WithoutCancel(ctx))
		return ctx, nil
	})
	return w
}

// SkipReason says why the scenario was skipped, if it was.
func (w *World) SkipReason() string { return w.skipped }

// theTargetSupports skips the scenario, with the reason, when the target
// does not claim the feature: a skip, never a vacuous pass.
func (w *World) theTargetSupports(feature string) error {
	c := w.deps.Claims
	supported := map[string]bool{
		"filtering": c.Filter, "PATCH": c.Patch, "groups": c.Groups, "ETags": c.ETag, "sorting": c.Sort, "bulk": c.Bulk,
	}
	on, known := supported[feature]
	if !known {
		return fmt.Errorf("steps: unknown feature %q", feature)
	}
	if !on {
		w.skipped = "the target does not claim " + feature
		return godog.ErrSkip
	}
	return nil
}
