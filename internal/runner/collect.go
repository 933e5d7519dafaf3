package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/spec"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
	"github.com/idpconform/idpconform/steps"
)

// collector turns godog's hook calls into the report model. godog runs
// scenarios concurrently, so every method locks.
type collector struct {
	index map[string]catalog.Scenario // catalog.Key → where the scenario lives
	all   []catalog.Scenario          // every scenario, for pointers to the ones checking a precondition
	// breaker, once open, keeps scenarios from starting.
	breaker *scim.Breaker
	// view is the IdP whose warnings are violations ("" for none).
	view string
	// done, if set, is told of each scenario as it finishes.
	done func(reports.Scenario)

	mu        sync.Mutex
	scenarios []*reports.Scenario
	stopped   int // scenarios not started
}

func newCollector(all []catalog.Scenario, breaker *scim.Breaker, view string) *collector {
	c := &collector{index: make(map[string]catalog.Scenario, len(all)), all: all, breaker: breaker, view: view}
	for _, s := range all {
		c.index[catalog.Key(s.URI, s.Name, s.Steps)] = s
	}
	return c
}

// scenario tracks one running scenario.
type scenario struct {
	rep     *reports.Scenario
	started time.Time
	log     *transcript.Log
	failed  error // the first failing step's error
	notRun  bool  // the run stopped before this scenario started
	// checking turns true at the first When or Then step: before it, the
	// steps only set the stage, so their failures are preconditions.
	checking bool
	// skipped says why the scenario was skipped: a step's skip error, or a
	// precondition only an IdP needs that failed outside that IdP's view.
	skipped string
	// notes are what the SCIM clients noted about the scenario's
	// requests: the 429s that reached a fake IdP, which retries by its
	// own policy, not the harness's.
	notes scim.Scenario
}

// errNotRun stops a scenario before its first step; the collector reports
// why (godog would call it a failed hook).
var errNotRun = errors.New("not run")

// hook registers the collector on one scenario's context.
func (c *collector) hook(sc *godog.ScenarioContext, log *transcript.Log) {
	s := &scenario{log: log}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.started = time.Now()
		s.rep = c.begin(p)
		// godog cannot stop mid-suite: once the target stopped answering
		// or the run was interrupted, every scenario left stops here.
		if why := c.breaker.Open(); why != "" {
			s.notRun, s.failed = true, errNotRun
			c.mu.Lock()
			c.stopped++
			c.mu.Unlock()
			s.rep.Failure = &reports.Failure{Kind: reports.CouldNotCheck, Message: "could not check: " + why}
			return ctx, errNotRun
		}
		return scim.WithScenario(ctx, &s.notes), nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if s.notRun {
			s.rep.Steps = append(s.rep.Steps, reports.Step{Text: st.Text, Status: reports.Skipped})
			return ctx, nil
		}
		s.rep.Steps = append(s.rep.Steps, reports.Step{Text: st.Text, Status: stepStatus(status)})
		if st.Type == messages.PickleStepType_ACTION || st.Type == messages.PickleStepType_OUTCOME {
			s.checking = true
		}
		if errors.Is(err, godog.ErrSkip) && s.skipped == "" {
			s.skipped = skipReason(err)
		}
		if err != nil && s.failed == nil && !errors.Is(err, godog.ErrSkip) {
			s.failed = err
			var p *steps.Precondition
			if errors.As(err, &p) && p.IdP != "" && p.IdP != c.view {
				s.skipped = fmt.Sprintf("the target refused what only %s needs, which the RFCs allow (a warning; see the %s scenarios; --view %s judges it): %s",
					p.IdP, p.Clause, p.IdP, p.Error())
			} else {
				s.rep.Failure = c.failure(s.rep, st.Text, err, s.checking)
			}
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
		rep.Failure = c.failure(rep, "", err, true)
	}
	if f := rep.Failure; f != nil && (f.Kind == reports.Violation || f.Kind == reports.Warning || f.Kind == reports.CouldNotCheck) {
		// A check (or a precondition) that failed after requests went
		// unanswered or rate-limited may have failed because of that: no
		// verdict, and the reason says so.
		switch n := s.notes.Throttled(); {
		case n > 0 && !slices.ContainsFunc(rep.Tags, isRateClause):
			demote(rep.Failure, fmt.Sprintf("the target rate-limited the IdP's requests (%d answers 429)", n))
		case c.breaker.Open() != "" && unanswered(s.log):
			demote(rep.Failure, c.breaker.Open())
		}
	}
	rep.Status = scenarioStatus(rep.Steps, rep.Failure)
	// A skip is not a failure: the reason travels as a last step.
	if s.skipped != "" && rep.Failure == nil {
		rep.Status = reports.Skipped
		rep.Steps = append(rep.Steps, reports.Step{Text: "skipped: " + s.skipped, Status: reports.Skipped})
	}
	if rep.Status == reports.Failed || rep.Status == reports.Warned || rep.Status == reports.Errored {
		rep.Exchanges = s.log.Exchanges()
	}
	if c.done != nil {
		c.done(*rep)
	}
}

// skipReason is the reason a step's skip error gives, as
// fmt.Errorf("%w: reason", godog.ErrSkip) does ("" for a bare ErrSkip).
func skipReason(err error) string {
	reason, _ := strings.CutPrefix(err.Error(), godog.ErrSkip.Error())
	return strings.TrimPrefix(reason, ": ")
}

// isRateClause says whether a tag cites a clause about rate limits, whose
// scenarios judge the 429s themselves.
func isRateClause(tag string) bool { return tag == "okta-rate" || tag == "entra-E34" }

// demote turns a violation or warning into "could not check", saying why
// and what the check had found; the clause is no longer blamed.
func demote(f *reports.Failure, why string) {
	f.Kind, f.Clause = reports.CouldNotCheck, nil
	f.Message = fmt.Sprintf("could not check: %s, which may be why it failed: %s", why, f.Message)
}

// unanswered says whether some request of the scenario got no answer.
func unanswered(log *transcript.Log) bool {
	for _, x := range log.Exchanges() {
		if x.Err != "" {
			return true
		}
	}
	return false
}

// failure gives a step error its verdict (steps/violation.go says how a
// step chooses):
//   - a Precondition, or a Violation before the first When or Then step
//     (checking false): could not check, pointing at the scenarios that
//     check what failed; unless that Violation names a clause the scenario
//     cites (a Given that checks, such as remembering a version in an ETag
//     scenario): then it is the scenario's own check;
//   - a Violation: a warning when it is SHOULD-level (warned, a SHOULD
//     clause of the ledger, or a scenario tagged @should), else a
//     violation; filed under the step's clause when it names one;
//   - anything else: could not check, the harness's own error.
func (c *collector) failure(rep *reports.Scenario, step string, err error, checking bool) *reports.Failure {
	var (
		p *steps.Precondition
		v *steps.Violation
	)
	switch {
	case errors.As(err, &p):
		return &reports.Failure{Kind: reports.CouldNotCheck, Step: step, Message: "could not check: a precondition failed: " + p.Error(),
			SeeAlso: c.checkedBy(p.Clause, rep.ID)}
	case errors.As(err, &v) && !checking && !slices.Contains(rep.Tags, v.Clause):
		return &reports.Failure{Kind: reports.CouldNotCheck, Step: step, Message: "could not check: a precondition failed: " + v.Error(),
			Expected: v.Expected, Actual: v.Actual, SeeAlso: c.checkedBy(v.Clause, rep.ID)}
	case errors.As(err, &v):
		f := &reports.Failure{Kind: reports.Violation, Step: step, Message: v.Error(), Expected: v.Expected, Actual: v.Actual}
		cl, named := spec.Lookup(v.Clause)
		if v.Should || (named && cl.Level == "SHOULD") || (v.Clause == "" && slices.Contains(rep.Tags, "should")) {
			f.Kind = reports.Warning
		}
		// A warning about an IdP's behaviour is a violation in its view.
		switch f.IdP = v.IdP; {
		case f.Kind != reports.Warning || v.IdP == "":
		case v.IdP == c.view:
			f.Kind = reports.Violation
			f.Message += " (a violation in the " + c.view + " view)"
		default:
			f.Message += " (a warning for RFC conformance; a violation in the " + v.IdP + " view: --view " + v.IdP + ")"
		}
		switch {
		case v.Clause == "" || (len(rep.Clauses) > 0 && rep.Clauses[0].ID == v.Clause):
		case named:
			r := cl.Report()
			f.Clause = &r
		default: // not in the ledger: still say which check it was
			f.Clause = &reports.Clause{ID: v.Clause, Title: v.Clause}
		}
		return f
	}
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "the run was interrupted"
	}
	return &reports.Failure{Kind: reports.CouldNotCheck, Step: step, Message: msg}
}

// checkedBy lists the scenarios citing clause, other than self: where a
// precondition that failed is itself checked. Those citing the fewest
// clauses come first, since the clause is what they are about (the user
// create scenarios, before the Entra cycle that also creates).
func (c *collector) checkedBy(clause, self string) []string {
	if clause == "" {
		return nil
	}
	type cite struct {
		id      string
		clauses int
	}
	var list []cite
	for _, s := range c.all {
		if id := s.ID(); id != self && slices.Contains(s.Tags, clause) && !slices.ContainsFunc(list, func(c cite) bool { return c.id == id }) {
			list = append(list, cite{id, len(spec.Clauses(s.Tags))})
		}
	}
	slices.SortStableFunc(list, func(a, b cite) int { return a.clauses - b.clauses })
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.id
	}
	return out
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
		switch f.Kind {
		case reports.Violation:
			return reports.Failed
		case reports.Warning:
			return reports.Warned
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

// notRun counts the scenarios the run did not start.
func (c *collector) notRun() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
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
