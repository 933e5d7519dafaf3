package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"

	"github.com/idpconform/idpconform/fakes/onelogin"
	"github.com/idpconform/idpconform/internal/scim"
)

// oneloginState is what a scenario's OneLogin app remembers.
type oneloginState struct {
	opts       onelogin.Options
	connection error // what the last connection attempt ended with
}

func registerOneLogin(sc stepper, w *World) {
	sc.Step(`^OneLogin's SCIM JSON template is the (enterprise|vendor|core) one$`, w.oneloginTemplate)
	sc.Step(`^OneLogin's app sends the custom header "([^"]*)"$`, w.oneloginHeader)
	sc.Step(`^OneLogin enables provisioning$`, w.oneloginEnables)
	sc.Step(`^OneLogin's connection attempt succeeded$`, w.oneloginConnected)
	sc.Step(`^OneLogin provisions the user "([^"]*)"$`, w.oneloginProvisions)
	sc.Step(`^the user "([^"]*)" keeps no schema OneLogin sent that /Schemas does not define, when read back$`, w.noForeignSchemas)
}

// oneloginApp is the scenario's OneLogin app, in process: OneLogin sends
// one request per task and leaves retrying to the admin.
func (w *World) oneloginApp() *onelogin.Client {
	if w.ol == nil {
		w.ol = &oneloginState{opts: onelogin.Options{Headers: http.Header{}, Usernames: w.deps.Usernames.Rule}}
	}
	return onelogin.New(w.client.WithoutRetry(), w.ol.opts)
}

// oneloginUser is the OneLogin profile of an alias: the same userName and
// email as users the harness creates directly.
func (w *World) oneloginUser(alias string) onelogin.User {
	p := w.person(alias)
	return onelogin.User{Username: p.UserName, FirstName: p.Given, LastName: p.Family, DisplayName: p.DisplayName(),
		Email: p.Email, Department: "Engineering", Active: true}
}

func (w *World) oneloginTemplate(name string) error {
	w.oneloginApp()
	w.ol.opts.Template = onelogin.Template(name)
	return nil
}

func (w *World) oneloginHeader(line string) error {
	name, value, err := onelogin.ParseHeader(line)
	if err != nil {
		return err
	}
	w.oneloginApp()
	w.ol.opts.Headers.Set(name, value)
	return nil
}

func (w *World) oneloginEnables(ctx context.Context) error {
	err := w.oneloginApp().Enable(ctx)
	var none *scim.NoAnswer
	if errors.As(err, &none) {
		return err // no answer at all: the harness could not check
	}
	w.ol.connection = err
	return nil
}

func (w *World) oneloginConnected() error {
	if err := w.ol.connection; err != nil {
		return violated("a ListResponse to OneLogin's connection attempt (GET /Users?startIndex=1&count=1)", "%v", err)
	}
	return nil
}

// oneloginProvisions sends the create OneLogin's template makes. A target
// may refuse what the RFCs let it refuse (a string for a boolean, a SCIM
// 1.1 schema, application/json): a warning for OneLogin's customers, a
// violation in the onelogin view. Any other failure breaks RFC 7644 §3.3.
func (w *World) oneloginProvisions(ctx context.Context, alias string) error {
	app := w.oneloginApp()
	id, err := app.Create(ctx, w.oneloginUser(alias))
	if err == nil {
		w.track("Users", alias, id)
		return nil
	}
	var none *scim.NoAnswer
	var se *onelogin.StatusError
	switch {
	case errors.As(err, &none):
		return err // no answer at all: the harness could not check
	case !errors.As(err, &se):
		return violatedOf("rfc7644-3.3", "201 Created with the id of the user "+alias+" OneLogin created", "%v", err)
	case se.Status < 300:
		return violatedOf("rfc7644-3.3", "201 Created to OneLogin's create of "+alias, "%d %s", se.Status, http.StatusText(se.Status))
	}
	refused := fmt.Sprintf("%d %s %s", se.Status, http.StatusText(se.Status), clip(se.Body))
	if se.Status >= 400 && se.Status < 500 {
		mt, _, _ := mime.ParseMediaType(se.ContentType)
		switch {
		case se.Status == http.StatusUnsupportedMediaType && mt == "application/json":
			return warnedFor("onelogin-L5", "onelogin", "a create sent as application/json accepted: OneLogin apps without the custom header \"Content-Type: application/scim+json\" send it", "%s", refused)
		case se.Status == http.StatusBadRequest && app.Template() == onelogin.Vendor:
			return warnedFor("onelogin-L2", "onelogin", `a create from a vendor template accepted: "id": null and "active": "true" as a string (RFC 7643 lets a target refuse a string for a boolean; OneLogin then provisions nobody)`, "%s", refused)
		case se.Status == http.StatusBadRequest && app.Template() == onelogin.Core:
			return warnedFor("onelogin-L3", "onelogin", "a create declaring urn:scim:schemas:core:1.0 accepted as a User (OneLogin's core-schema template sends it)", "%s", refused)
		}
	}
	return violatedOf("rfc7644-3.3", "the target to accept OneLogin's create of "+alias, "%s", refused)
}

// noForeignSchemas checks the user's schemas against /Schemas: a URN
// OneLogin's template sent that the target does not define (the SCIM 1.1
// core) must not come back (RFC 7643 §3).
func (w *World) noForeignSchemas(ctx context.Context, alias string) error {
	body, err := w.oneloginApp().Template().Render(w.oneloginUser(alias))
	if err != nil {
		return err
	}
	var sent struct{ Schemas []string }
	if err := json.Unmarshal(body, &sent); err != nil {
		return err
	}
	o, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	held, _ := o["schemas"].([]any)
	published, err := w.publishedSchemas(ctx)
	if err != nil {
		return err
	}
	for _, v := range held {
		if urn := scim.Text(v); slices.Contains(sent.Schemas, urn) && !published[urn] {
			return violatedOf("rfc7643-3", "the user "+alias+"'s schemas to name only schemas the target defines", "schemas holds %s, which OneLogin sent and /Schemas does not define", urn)
		}
	}
	return nil
}
