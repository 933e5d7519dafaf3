// Package steps binds the Gherkin sentences of features/ to Go: each step
// sends requests to the target (directly or through a fake IdP) and checks
// what comes back, reading state back rather than trusting status codes.
package steps

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/transcript"
)

// quoted matches a double-quoted step argument that may hold \" escapes,
// as SCIM paths with value filters do.
const quoted = `"((?:[^"\\]|\\.)*)"`

// unquote undoes the \" escapes of a quoted argument.
func unquote(s string) string { return strings.ReplaceAll(s, `\"`, `"`) }

// Register binds every step for one scenario and returns its World. godog
// calls the initializer once per scenario, so each World is private to it;
// the steps themselves are registered with godog once, by RegisterSuite.
func Register(sc *godog.ScenarioContext, deps Deps, log *transcript.Log) *World {
	w := newWorld(deps, log)
	bound := bind(w)
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		ctx = context.WithValue(ctx, handlersKey{}, bound)
		for _, t := range s.Tags {
			w.tags = append(w.tags, strings.TrimPrefix(t.Name, "@"))
			if alt := deps.ByTag[strings.TrimPrefix(t.Name, "@")]; alt != nil {
				w.deps, w.client = *alt, w.clientFor(alt.SCIM)
			}
		}
		return ctx, nil
	})
	sc.StepContext().Before(func(ctx context.Context, st *godog.Step) (context.Context, error) {
		if st.Type == messages.PickleStepType_ACTION || st.Type == messages.PickleStepType_OUTCOME {
			w.checking = true
		}
		return ctx, nil
	})
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

// theTargetSupports skips the scenario, with the reason, when the target
// does not support the optional feature labelled label (internal/optional):
// a skip, never a vacuous pass.
func (w *World) theTargetSupports(label string) error {
	f, known := optional.ByLabel(label)
	if !known {
		return fmt.Errorf("steps: unknown feature %q", label)
	}
	if s := w.deps.Claims[f.Key]; !s.On {
		return skip(f.SkipReason(s))
	}
	return nil
}

// supportsStep matches the gating step of every optional feature.
func supportsStep() string {
	labels := make([]string, len(optional.Table))
	for i, f := range optional.Table {
		labels[i] = regexp.QuoteMeta(f.Label)
	}
	return `^the target supports (` + strings.Join(labels, "|") + `)$`
}
