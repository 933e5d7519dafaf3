package steps

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sync/atomic"

	"github.com/cucumber/godog"
)

// Steps are registered with godog once per run (RegisterSuite), not once
// per scenario: godog's initializer runs for every scenario, and binding
// ~250 steps each time (a stack walk for each) was a tenth of a run's CPU.
// The handler godog holds finds the running scenario's own, bound to its
// World, through the step's context.

// step is one sentence and its handler bound to a scenario's World.
type step struct {
	expr string
	fn   any
}

// stepper collects steps in the order the register functions give them.
type stepper struct{ steps *[]step }

func (s stepper) Step(expr string, fn any) { *s.steps = append(*s.steps, step{expr, fn}) }

// bind returns every step bound to w; w may be nil when only the
// sentences and handler types are wanted.
func bind(w *World) []step {
	all := make([]step, 0, stepCount.Load()) // grown once per process, not per scenario
	st := stepper{&all}
	registerHTTP(st, w)
	registerDiscovery(st, w)
	registerUsers(st, w)
	registerGroups(st, w)
	registerLists(st, w)
	registerOkta(st, w)
	registerEntra(st, w)
	registerOneLogin(st, w)
	registerUsernames(st, w)
	registerUsernameRules(st, w)
	registerSSO(st, w)
	registerLifecycle(st, w)
	registerRoles(st, w)
	registerHubRules(st, w)
	registerOptional(st, w)
	registerBulk(st, w)
	registerRegression(st, w)
	stepCount.Store(int64(len(all)))
	return all
}

var stepCount atomic.Int64

// handlersKey holds a scenario's bound steps in its context.
type handlersKey struct{}

// RegisterSuite registers every step with godog, once for the whole run.
func RegisterSuite(ts *godog.TestSuiteContext) {
	sc := ts.ScenarioContext()
	for i, s := range bind(nil) {
		sc.Step(regexp.MustCompile(s.expr), dispatch(i, s))
	}
}

var contextType = reflect.TypeFor[context.Context]()

// dispatch is a handler of s's argument types (with a context first) that
// calls the running scenario's handler number i.
func dispatch(i int, s step) any {
	t := reflect.TypeOf(s.fn)
	takesContext := t.NumIn() > 0 && t.In(0) == contextType
	in := []reflect.Type{contextType}
	for j := range t.NumIn() {
		if j > 0 || !takesContext {
			in = append(in, t.In(j))
		}
	}
	out := make([]reflect.Type, t.NumOut())
	for j := range out {
		out[j] = t.Out(j)
	}
	return reflect.MakeFunc(reflect.FuncOf(in, out, false), func(args []reflect.Value) []reflect.Value {
		bound, _ := args[0].Interface().(context.Context).Value(handlersKey{}).([]step)
		if i >= len(bound) || bound[i].expr != s.expr {
			panic(fmt.Sprintf("steps: the scenario's step %d is not %q: Register and RegisterSuite disagree", i, s.expr))
		}
		if !takesContext {
			args = args[1:]
		}
		return reflect.ValueOf(bound[i].fn).Call(args)
	}).Interface()
}
