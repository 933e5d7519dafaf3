package steps

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
)

// errorSchema is the schema of SCIM error bodies (RFC 7644 §3.12).
const errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

func registerHTTP(sc stepper, w *World) {
	sc.Step(`^the target supports (filtering|PATCH|groups|ETags|sorting|bulk)$`, w.theTargetSupports)
	sc.Step(`^I (GET|DELETE) (/.+?)( without credentials| with the bearer token "[^"]*"| if the version changed)?$`, w.iSend)
	sc.Step(`^I POST (/\S+) with the body:$`, w.iPostTheBody)
	sc.Step(`^I PATCH the (user|group) "([^"]*)" with:$`, w.iPatch)
	sc.Step(`^the response status is (\d+)$`, w.theResponseStatusIs)
	sc.Step(`^the response status is (\d+) or (\d+)$`, w.theResponseStatusIsOneOf)
	sc.Step(`^the PATCH succeeded$`, w.thePatchSucceeded)
	sc.Step(`^the response content type is application/scim\+json$`, w.theContentTypeIsSCIM)
	sc.Step(`^the SCIM error has status "(\d+)"(?: and scimType "([^"]*)")?$`, w.theSCIMErrorHas)
	sc.Step(`^the SCIM error has no scimType meant for a 400$`, w.theSCIMErrorHasNo400Type)
	sc.Step(`^the response body has `+quoted+`$`, w.theBodyHas)
	sc.Step(`^the response body has no `+quoted+`$`, w.theBodyHasNo)
	sc.Step(`^the response body, if any, has no `+quoted+`$`, w.theBodyIfAnyHasNo)
	sc.Step(`^the response body has a boolean `+quoted+`$`, w.theBodyHasABoolean)
	sc.Step(`^the response body has `+quoted+` equal to "([^"]*)"$`, w.theBodyHasEqual)
	sc.Step(`^the response body has `+quoted+` equal to the (userName|id|displayName) of "([^"]*)"$`, w.theBodyHasDerived)
	sc.Step(`^the response body has a server-assigned "id"$`, w.theBodyHasAServerID)
	sc.Step(`^the response body lists the schema "([^"]*)"$`, w.theBodyListsTheSchema)
	sc.Step(`^the response has an ETag header equal to "([^"]*)"$`, w.theETagHeaderEquals)
	sc.Step(`^the response has a WWW-Authenticate challenge$`, w.theResponseHasAChallenge)
	sc.Step(`^I remember the version of the user "([^"]*)"$`, w.iRememberTheVersion)
}

func (w *World) iSend(ctx context.Context, method, path, how string) error {
	req := scim.Request{Method: method, Path: path}
	switch {
	case how == " without credentials":
		req.Anonymous = true
	case strings.HasPrefix(how, " with the bearer token"):
		req.Token = strings.Trim(strings.TrimPrefix(how, " with the bearer token "), `"`)
	case how == " if the version changed":
		req.Header = http.Header{"If-None-Match": {w.remember}}
	}
	_, err := w.do(ctx, req)
	return err
}

func (w *World) iPostTheBody(ctx context.Context, path string, body *godog.DocString) error {
	text, err := w.expand(body.Content)
	if err != nil {
		return err
	}
	_, err = w.do(ctx, scim.Request{Method: http.MethodPost, Path: path, Body: []byte(text)})
	return err
}

func (w *World) iPatch(ctx context.Context, kind, alias string, body *godog.DocString) error {
	r, err := w.resource(kind, alias)
	if err != nil {
		return err
	}
	text, err := w.expand(body.Content)
	if err != nil {
		return err
	}
	_, err = w.do(ctx, scim.Request{Method: http.MethodPatch, Path: "/" + r.kind + "/" + r.id, Body: []byte(text)})
	return err
}

// resource finds what a step names: "the user ada", "the group engineers".
func (w *World) resource(kind, alias string) (*resource, error) {
	key := "Users/" + alias
	if kind == "group" {
		key = "Groups/" + alias
	}
	r := w.byAlias[key]
	if r == nil && w.entra != nil && slices.Contains(w.entra.known, key) {
		return nil, violated(fmt.Sprintf("Entra's job to have provisioned the %s %s", kind, alias), "it could not: %s", describeOps(w.entra.last.Ops))
	}
	if r == nil {
		return nil, fmt.Errorf("steps: the %s %q was not created in this scenario", kind, alias)
	}
	return r, nil
}

func (w *World) theResponseStatusIs(want int) error {
	return w.theResponseStatusIsOneOf(want, want)
}

// thePatchSucceeded accepts both answers RFC 7644 §3.5.2 allows: 200 with
// the entire resource, or 204 No Content without a body. What the PATCH
// did is checked by reading the resource back, never from this answer.
func (w *World) thePatchSucceeded() error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	switch w.last.Status {
	case http.StatusOK:
		o, err := w.last.Object()
		if err != nil || scim.Text(o["id"]) == "" {
			return violated("200 with the entire resource (RFC 7644 §3.5.2), or 204", "200 without a resource: %s", w.last.Brief())
		}
	case http.StatusNoContent:
		if len(bytes.TrimSpace(w.last.Body)) > 0 {
			return violated("204 No Content without a body", "%s", w.last.Brief())
		}
	default:
		return violated("200 with the resource, or 204 No Content", "%s", w.last.Brief())
	}
	return nil
}

func (w *World) theResponseStatusIsOneOf(a, b int) error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	if w.last.Status != a && w.last.Status != b {
		want := fmt.Sprintf("status %d", a)
		if a != b {
			want = fmt.Sprintf("status %d or %d", a, b)
		}
		return violated(want, "%s", w.last.Brief())
	}
	return nil
}

func (w *World) theContentTypeIsSCIM() error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	if got := w.last.MediaType(); got != scim.MediaType {
		return violated("Content-Type "+scim.MediaType, "Content-Type %q", w.last.Header.Get("Content-Type"))
	}
	return nil
}

// theSCIMErrorHas checks an error body (RFC 7644 §3.12): the Error schema,
// "status" as a JSON string, and the scimType when one is expected. RFC
// 7644 §3.12 makes scimType OPTIONAL: an absent one passes unless the RFC's
// prose demands it (scimTypeDemanded); a different one never does.
func (w *World) theSCIMErrorHas(status, scimType string) error {
	if w.last != nil && w.last.MediaType() != scim.MediaType && w.last.MediaType() != "application/json" {
		return violated("a SCIM error body (application/scim+json)", "Content-Type %q: %s", w.last.Header.Get("Content-Type"), w.last.Brief())
	}
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if !listHas(o["schemas"], errorSchema) {
		return violated(`"schemas" with `+errorSchema, "schemas %s", scim.Text(o["schemas"]))
	}
	switch got := o["status"].(type) {
	case string:
		if got != status {
			return violated(`"status": "`+status+`"`, `"status": %q`, got)
		}
	default:
		return violated(`"status" as the string "`+status+`"`, `"status": %s`, scim.Text(got))
	}
	got, present := o["scimType"]
	if scimType != "" && (present || scimTypeDemanded[scimType]) && scim.Text(got) != scimType {
		return violated(`"scimType": "`+scimType+`"`, `"scimType": %q`, scim.Text(o["scimType"]))
	}
	return nil
}

// scimTypeDemanded are the scimTypes the RFC's prose requires, not only its
// Table 9: RFC 7644 §3.3 (a duplicate is 409 "uniqueness"), §3.5.2
// ("mutability"), §3.5.2.2 and §3.5.2.3 ("noTarget").
var scimTypeDemanded = map[string]bool{"uniqueness": true, "mutability": true, "noTarget": true}

// badRequestTypes are RFC 7644 Table 9's scimType keywords, which §3.12
// defines for 400 errors (and uniqueness for 409): a 404 or 401 that
// carries one misleads a client into fixing its request.
var badRequestTypes = []string{"invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
	"invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive"}

func (w *World) theSCIMErrorHasNo400Type() error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if t := scim.Text(o["scimType"]); slices.Contains(badRequestTypes, t) {
		return violated(fmt.Sprintf("no 400 scimType on a %d", w.last.Status), `"scimType": %q`, t)
	}
	return nil
}

func listHas(v any, want string) bool {
	list, _ := v.([]any)
	return slices.ContainsFunc(list, func(x any) bool { return scim.Text(x) == want })
}

func (w *World) theBodyHas(path string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if !assigned(o.Lookup(unquote(path))) {
		return violated(unquote(path)+" in the body", "%s", w.last.Brief())
	}
	return nil
}

func (w *World) theBodyHasNo(path string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if v, ok := o.Lookup(unquote(path)); assigned(v, ok) {
		return violated("no "+unquote(path)+" in the body", "%s: %s", unquote(path), scim.Text(v))
	}
	return nil
}

// theBodyIfAnyHasNo is theBodyHasNo for answers that may have no body
// (a PATCH answered 204, RFC 7644 §3.5.2).
func (w *World) theBodyIfAnyHasNo(path string) error {
	if w.last != nil && w.last.Status == http.StatusNoContent {
		return nil
	}
	return w.theBodyHasNo(path)
}

func (w *World) theBodyHasABoolean(path string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if v, ok := o.Lookup(unquote(path)); !ok {
		return violated(unquote(path)+" as a JSON boolean", "it is missing")
	} else if _, isBool := v.(bool); !isBool {
		return violated(unquote(path)+" as a JSON boolean", "%s", scim.Text(v))
	}
	return nil
}

func (w *World) theBodyHasEqual(path, want string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	return equal(o, "the body", unquote(path), want)
}

func (w *World) theBodyHasDerived(path, what, alias string) error {
	want, err := w.derived(what, alias)
	if err != nil {
		return err
	}
	return w.theBodyHasEqual(path, want)
}

// equal checks one attribute of o; where names the object in a failure.
func equal(o scim.Object, where, path, want string) error {
	v, ok := o.Lookup(path)
	if !ok {
		return violated(fmt.Sprintf("%s = %q in %s", path, want, where), "no %s", path)
	}
	if got := scim.Text(v); got != want {
		return violated(fmt.Sprintf("%s = %q in %s", path, want, where), "%s = %q", path, got)
	}
	return nil
}

func (w *World) theBodyHasAServerID() error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	id, _ := o["id"].(string)
	if id == "" {
		return violated("a non-empty string id assigned by the target", "id %s", scim.Text(o["id"]))
	}
	return nil
}

func (w *World) theBodyListsTheSchema(schema string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if !listHas(o["schemas"], schema) {
		return violated(`"schemas" with `+schema, "%s", schemasText(o["schemas"]))
	}
	return nil
}

// schemasText shows a resource's schemas in a failure, or says there are none.
func schemasText(v any) string {
	if list, _ := v.([]any); len(list) == 0 {
		return "no schemas"
	}
	return "schemas " + scim.Text(v)
}

func (w *World) theETagHeaderEquals(path string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	etag := w.last.Header.Get("ETag")
	version := scim.Text(value(o, path))
	if etag == "" || etag != version {
		return violated("an ETag header equal to "+path, "ETag %q, %s %q", etag, path, version)
	}
	return nil
}

// theResponseHasAChallenge checks a 401 says how to authenticate: RFC 6750
// §3 for bearer tokens, RFC 7235 §3.1 for any scheme, each a MUST.
func (w *World) theResponseHasAChallenge() error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	h := strings.TrimSpace(w.last.Header.Get("WWW-Authenticate"))
	if scheme, _, _ := strings.Cut(h, " "); scheme == "" || strings.ContainsAny(scheme, ",=\"") {
		return violated("a WWW-Authenticate header naming an auth scheme (Bearer, Basic)", "WWW-Authenticate %q", h)
	}
	return nil
}

func (w *World) iRememberTheVersion(ctx context.Context, alias string) error {
	o, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	w.remember = w.last.Header.Get("ETag")
	if w.remember == "" {
		w.remember = scim.Text(value(o, "meta.version"))
	}
	if w.remember == "" {
		return violatedOf("rfc7644-3.14", "a version (ETag header or meta.version)", "neither")
	}
	return nil
}

// value is the attribute at path, or nil.
func value(o scim.Object, path string) any {
	v, _ := o.Lookup(path)
	return v
}
