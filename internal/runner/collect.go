package runner

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/spec"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
	"github.com/idpconform/idpconform/steps"
)

// collector turns godog's hook calls into the report model. godog runs
// scenarios concurrently, so every method locks.
type collector struct {
	index map[string]catalog.Scenario // catalog.Key → where the scenario lives

	mu        sync.Mutex
	scenarios []*reports.Scenario
}

func newCollector(all []catalog.Scenario) *collector {
	c := &collector{index: make(map[string]catalog.Scenario, len(all))}
	for _, s := range all {
		c.index[catalog.Key(s.URI, s.Name, s.Steps)] = s
	}
	return c
}

// scenario tracks one running scenario.
type scenario struct {
	rep     *reports.Scenario
	started time.Time
	world   *steps.World
	log     *transcript.Log
	failed  error // the first failing step's error
}

// hook registers the collector on one scenario's context.
func (c *collector) hook(sc *godog.ScenarioContext, world *steps.World, log *transcript.Log) {
	s := &scenario{world: world, log: log}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.started = time.Now()
		s.rep = c.begin(p)
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		s.rep.Steps = append(s.rep.Steps, reports.Step{Text: st.Text, Status: stepStatus(status)})
		if err != nil && s.failed == nil && !errors.Is(err, godog.ErrSkip) {
			s.failed = err
			s.rep.Failure = failure(st.Text, err)
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		c.end(s, err)
		return ctx, nil
	})
}

func (c *collector) begin(p *godog.Scenario) *reports.Scenario {
	texts := make([]string, len(p.Steps))
	for i, st := range p.Steps {
		texts[i] = st.Text
	}
	where := c.index[catalog.Key(p.Uri, p.Name, texts)]
	rep := &reports.Scenario{
		ID: where.ID(), Name: p.Name, Feature: where.Feature, Area: where.Area, URI: p.Uri, Line: where.Line,
	}
	for _, t := range p.Tags {
		rep.Tags = append(rep.Tags, strings.TrimPrefix(t.Name, "@"))
	}
	for _, cl := range spec.Clauses(rep.Tags) {
		rep.Clauses = append(rep.Clauses, cl.Report())
	}
	c.mu.Lock()
	c.scenarios = append(c.scenarios, rep)
	c.mu.Unlock()
	return rep
}

func (c *collector) end(s *scenario, err error) {
	rep := s.rep
	rep.Duration = reports.Duration(time.Since(s.started))
	if s.failed == nil && err != nil && !errors.Is(err, godog.ErrSkip) {
		s.failed = err // a hook failed after the steps
		rep.Failure = failure("", err)
	}
	rep.Status = scenarioStatus(rep.Steps, rep.Failure)
	if rep.Status == reports.Skipped && s.world.SkipReason() != "" {
		// A skip is not a failure: the reason travels as a last step.
		rep.Steps = append(rep.Steps, reports.Step{Text: "skipped: " + s.world.SkipReason(), Status: reports.Skipped})
	}
	if rep.Status == reports.Failed || rep.Status == reports.Errored {
		rep.Exchanges = s.log.Exchanges()
	}
}

// failure classifies a step error: a Violation is the target's fault, the
// rest means the harness could not check.
func failure(step string, err error) *reports.Failure {
	var v *steps.Violation
	if errors.As(err, &v) {
		return &reports.Failure{Kind: reports.Violation, Step: step, Message: v.Error(), Expected: v.Expected, Actual: v.Actual}
	}
	return &reports.Failure{Kind: reports.Error, Step: step, Message: err.Error()}
}

func stepStatus(s godog.StepResultStatus) reports.Status {
	switch s {
	case godog.StepPassed:
		return reports.Passed
	case godog.StepFailed:
		return reports.Failed
	case godog.StepSkipped:
		return reports.Skipped
	}
	return reports.Undefined // undefined, pending, ambiguous: the suite itself is incomplete
}

func scenarioStatus(stepsRun []reports.Step, f *reports.Failure) reports.Status {
	if f != nil {
		if f.Kind == reports.Violation {
			return reports.Failed
		}
		return reports.Errored
	}
	status := reports.Passed
	for _, st := range stepsRun {
		switch st.Status {
		case reports.Undefined:
			return reports.Undefined
		case reports.Skipped:
			status = reports.Skipped
		}
	}
	if len(stepsRun) == 0 {
		return reports.Skipped
	}
	return status
}

// results returns the scenarios in feature-file order, whatever order
// concurrency finished them in.
func (c *collector) results() []reports.Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]reports.Scenario, len(c.scenarios))
	for i, s := range c.scenarios {
		out[i] = *s
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].URI != out[j].URI {
			return out[i].URI < out[j].URI
		}
		return out[i].Line < out[j].Line
	})
	return out
}
