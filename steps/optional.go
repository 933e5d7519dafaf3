package steps

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
)

// Steps for what RFC 7643 and RFC 7644 leave to the service provider: a
// check where the RFCs allow several answers accepts each of them. (A
// scenario that needs an optional feature says so with "the target
// supports …", from internal/optional's table.)
func registerOptional(sc stepper, w *World) {
	sc.Step(`^the PUT answer and the user "([^"]*)" read back agree on `+quoted+`$`, w.thePutAnswerAgrees)
	sc.Step(`^the user "([^"]*)" is not inactive when read back$`, w.theUserIsNotInactive)
}

// thePutAnswerAgrees checks that a PUT answered the resource as stored
// (RFC 7644 §3.5.1: "the entire resource"): whatever the target chose for
// an omitted attribute (§3.5.1 lets it clear the value or keep it), its
// answer and a read back show the same.
func (w *World) thePutAnswerAgrees(ctx context.Context, alias, path string) error {
	if w.last == nil || w.last.Status != http.StatusOK {
		return violated("200 OK with the replaced resource", "%s", briefOrNone(w.last))
	}
	answer, err := w.last.Object()
	if err != nil {
		return violated("200 OK with the replaced resource", "%s", w.last.Brief())
	}
	stored, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	p := unquote(path)
	a, inAnswer := answer.Lookup(p)
	s, inStored := stored.Lookup(p)
	if inAnswer != inStored || !reflect.DeepEqual(a, s) {
		return violated(fmt.Sprintf("the PUT's answer to show %s as the target stored it", p),
			"the answer has %s, the user read back has %s", shown(a, inAnswer), shown(s, inStored))
	}
	return nil
}

func shown(v any, ok bool) string {
	if !ok {
		return "none"
	}
	return scim.Text(v)
}

// theUserIsNotInactive accepts active true or no active at all: RFC 7643
// §4.1.1 gives active no default, but a user the target makes inactive
// because the request left active out is locked out.
func (w *World) theUserIsNotInactive(ctx context.Context, alias string) error {
	o, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	if v, ok := o.Lookup("active"); ok && v != true {
		return violated("active true, or no active, on the user "+alias+" as read back", "active = %s", scim.Text(v))
	}
	return nil
}

// skip ends the scenario as skipped; the reason travels in the error,
// and the report shows it as the scenario's last step.
func skip(reason string) error { return fmt.Errorf("%w: %s", godog.ErrSkip, reason) }

// assigned says whether a looked-up value is there: RFC 7643 §2.5 makes
// null (which Lookup already reports missing) and an empty array the same
// state as an attribute left out.
func assigned(v any, ok bool) bool {
	if l, isList := v.([]any); isList && len(l) == 0 {
		return false
	}
	return ok
}
