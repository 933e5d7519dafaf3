package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
)

const (
	userSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseSchema = optional.EnterpriseSchema
)

func registerUsers(sc stepper, w *World) {
	sc.Step(`^a user "([^"]*)" exists$`, w.aUserExists)
	sc.Step(`^the users "([^"]*)" exist$`, w.theUsersExist)
	sc.Step(`^these users exist:$`, w.theseUsersExist)
	sc.Step(`^the user "([^"]*)" is deactivated$`, w.theUserIsDeactivated)
	sc.Step(`^I create a user "([^"]*)"$`, w.iCreateAUser)
	sc.Step(`^I create a user "([^"]*)" with externalId "([^"]*)"$`, w.iCreateAUserWithExternalID)
	sc.Step(`^I create a user "([^"]*)" with a password$`, w.iCreateAUserWithAPassword)
	sc.Step(`^I create a user "([^"]*)" without active$`, w.iCreateAUserWithoutActive)
	sc.Step(`^I create a user "([^"]*)" with the userName in upper case$`, w.iCreateAUserUpperCase)
	sc.Step(`^I create a user "([^"]*)" without credentials$`, w.iCreateAUserAnonymously)
	sc.Step(`^I replace the user "([^"]*)" with the userName of "([^"]*)"$`, w.iReplaceWithTheUserNameOf)
	sc.Step(`^I replace the user "([^"]*)" setting "([^"]*)" to "([^"]*)"$`, w.iReplaceSettingString)
	sc.Step(`^I replace the user "([^"]*)" setting "([^"]*)" to (true|false)$`, w.iReplaceSettingBool)
	sc.Step(`^I replace the user "([^"]*)" setting "([^"]*)" to "([^"]*)" if it still has the remembered version$`, w.iReplaceIfVersion)
	sc.Step(`^I replace the user "([^"]*)" leaving out "([^"]*)"$`, w.iReplaceLeavingOut)
	sc.Step(`^I delete the (user|group) "([^"]*)"$`, w.iDelete)
	sc.Step(`^reading the (user|group) "([^"]*)" answers 404$`, w.readingAnswers404)
	sc.Step(`^the Location header is the URL of the created user$`, w.theLocationIsTheUser)
	sc.Step(`^the (user|group) "([^"]*)" has `+quoted+` equal to "([^"]*)" when read back$`, w.readBackEqual)
	sc.Step(`^the (user|group) "([^"]*)" has `+quoted+` equal to the (userName|id|displayName|home email|work email|okta id|object id) of "([^"]*)" when read back$`, w.readBackEqualDerived)
	sc.Step(`^the (user|group) "([^"]*)" has no `+quoted+` when read back$`, w.readBackHasNo)
	sc.Step(`^no user "([^"]*)" exists$`, w.noUserExists)
	sc.Step(`^a user "([^"]*)" exists with the userName in upper case$`, w.aUserExistsUpperCase)
	sc.Step(`^a user "([^"]*)" exists with the externalId of Entra's "([^"]*)"$`, w.aUserExistsWithObjectID)
	sc.Step(`^the target holds exactly one user "([^"]*)"$`, w.theTargetHoldsOne)
	sc.Step(`^a user "([^"]*)" exists with a password$`, w.aUserExistsWithAPassword)
	sc.Step(`^a user "([^"]*)" exists without "([^"]*)"$`, w.aUserExistsWithout)
	sc.Step(`^I replace the user "([^"]*)" with a new password$`, w.iReplaceWithANewPassword)
	sc.Step(`^I create a user "([^"]*)" sending the id "([^"]*)"$`, w.iCreateAUserSendingTheID)
	sc.Step(`^the user "([^"]*)" does not have the id "([^"]*)"$`, w.theUserDoesNotHaveTheID)
	sc.Step(`^the (?:users|groups) "([^"]*)" have different ids$`, w.haveDifferentIDs)
}

// userBody is the representation the harness creates a user from: every
// commonly mapped attribute, so later checks have something to compare.
// Each key of set replaces an attribute (dotted paths reach sub-attributes
// and the enterprise extension); an empty value removes it.
func (w *World) userBody(alias string, set map[string]any) map[string]any {
	p := w.person(alias)
	u := map[string]any{
		"schemas":     []any{userSchema, enterpriseSchema},
		"userName":    p.UserName,
		"externalId":  w.externalID(alias),
		"name":        map[string]any{"givenName": p.Given, "familyName": p.Family, "formatted": p.DisplayName()},
		"displayName": p.DisplayName(),
		"nickName":    alias,
		"active":      true,
		"emails": []any{
			map[string]any{"value": p.Email, "type": "work", "primary": true},
			map[string]any{"value": w.homeEmail(alias), "type": "home"},
		},
		enterpriseSchema: map[string]any{"department": "Research"},
	}
	for k, v := range set {
		node, key := u, k
		if k == "department" {
			node, key = u[enterpriseSchema].(map[string]any), "department"
		} else if parent, sub, ok := strings.Cut(k, "."); ok {
			node, key = u[parent].(map[string]any), sub
		}
		if v == "" || v == nil {
			delete(node, key)
		} else {
			node[key] = v
		}
	}
	return u
}

// create POSTs a user and tracks it for cleanup whatever the status, as long
// as the target gave it an id.
func (w *World) create(ctx context.Context, alias string, body map[string]any, req scim.Request) (*scim.Response, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req.Method, req.Path, req.Body = http.MethodPost, "/Users", raw
	resp, err := w.do(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp, w.trackCreated("Users", alias, resp)
}

// trackCreated tracks a created resource by the id the target gave it. A
// success without an id breaks RFC 7643 §3.1 (id is assigned by the
// service provider and always returned), whatever the scenario checks.
func (w *World) trackCreated(kind, alias string, resp *scim.Response) error {
	o, err := resp.Object()
	if err != nil || !statusOK(resp.Status) {
		return nil // the status and body are what the create scenarios check
	}
	id, _ := o["id"].(string)
	if id == "" {
		return violatedOf("rfc7643-3.1", "a server-assigned id in the answer to creating "+alias, "%s", resp.Brief())
	}
	w.track(kind, alias, id)
	return nil
}

func statusOK(status int) bool { return status >= 200 && status < 300 }

// given creates a user as a precondition. It needs a success with an id;
// the exact status is what the create scenarios (@rfc7644-3.3) check, so a
// failure here means the scenario could not be checked.
func (w *World) given(ctx context.Context, alias string, set map[string]any) error {
	if set == nil && w.usersFrom() != profile.UsersSCIM {
		return w.ssoUserExists(ctx, alias)
	}
	resp, err := w.create(ctx, alias, w.userBody(alias, set), scim.Request{})
	if err == nil && (!statusOK(resp.Status) || w.byAlias["Users/"+alias] == nil) {
		err = violated("the user "+alias+" created, with an id", "%s", resp.Brief())
	}
	return precondition("rfc7644-3.3", "create the user "+alias, err)
}

func (w *World) aUserExists(ctx context.Context, alias string) error { return w.given(ctx, alias, nil) }

func (w *World) theUsersExist(ctx context.Context, list string) error {
	for _, alias := range splitList(list) {
		if err := w.given(ctx, alias, nil); err != nil {
			return err
		}
	}
	return nil
}

// theseUsersExist reads a table whose first column is the alias and whose
// other columns are attributes ("title", "nickName", "department").
func (w *World) theseUsersExist(ctx context.Context, table *godog.Table) error {
	if len(table.Rows) < 2 {
		return fmt.Errorf("steps: the users table has no rows")
	}
	head := table.Rows[0].Cells
	for _, row := range table.Rows[1:] {
		set := map[string]any{}
		for i := 1; i < len(row.Cells); i++ {
			set[head[i].Value] = row.Cells[i].Value
		}
		if err := w.given(ctx, row.Cells[0].Value, set); err != nil {
			return err
		}
	}
	return nil
}

func (w *World) theUserIsDeactivated(ctx context.Context, alias string) error {
	if err := w.iReplaceSettingBool(ctx, alias, "active", "false"); err != nil {
		return err
	}
	return w.theResponseStatusIs(http.StatusOK)
}

func (w *World) iCreateAUser(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, nil), scim.Request{})
	return err
}

func (w *World) iCreateAUserWithExternalID(ctx context.Context, alias, ext string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, map[string]any{"externalId": ext}), scim.Request{})
	return err
}

// password makes up a user's password that no report will show.
func (w *World) password(prefix string) string {
	pw := prefix + "-" + randomLetters(8) + "-pw1!"
	w.log.Hide(pw)
	return pw
}

func (w *World) iCreateAUserWithAPassword(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, map[string]any{"password": w.password("Idpc")}), scim.Request{})
	return err
}

// iCreateAUserSendingTheID sends an id, which RFC 7643 §3.1 says the
// client must not choose and RFC 7644 §3.3 says the server ignores.
func (w *World) iCreateAUserSendingTheID(ctx context.Context, alias, id string) error {
	id, err := w.expand(id)
	if err != nil {
		return err
	}
	_, err = w.create(ctx, alias, w.userBody(alias, map[string]any{"id": id}), scim.Request{})
	return err
}

func (w *World) theUserDoesNotHaveTheID(alias, id string) error {
	id, err := w.expand(id)
	if err != nil {
		return err
	}
	r := w.byAlias["Users/"+alias]
	if r == nil {
		return violated("the user "+alias+" created, with an id", "%s", w.last.Brief())
	}
	if r.id == id {
		return violated("an id issued by the target, not the one the client sent", "id %q", r.id)
	}
	return nil
}

// haveDifferentIDs checks RFC 7643 §3.1: ids are unique and never
// reassigned, so no two resources of the scenario share one, even when
// one of them was deleted before the other was created.
func (w *World) haveDifferentIDs(list string) error {
	seen := map[string]string{}
	for _, alias := range splitList(list) {
		r := w.find(alias)
		if r == nil {
			return fmt.Errorf("steps: no resource %q was created in this scenario", alias)
		}
		if other, dup := seen[r.id]; dup {
			return violated("a different id for each resource, never reassigned", "%s and %s both have the id %q", other, alias, r.id)
		}
		seen[r.id] = alias
	}
	return nil
}

func (w *World) aUserExistsWithAPassword(ctx context.Context, alias string) error {
	return w.given(ctx, alias, map[string]any{"password": w.password("Idpc")})
}

// aUserExistsWithout creates a user lacking one attribute of userBody
// ("emails", "department" drops the enterprise extension with it).
func (w *World) aUserExistsWithout(ctx context.Context, alias, attr string) error {
	return w.given(ctx, alias, map[string]any{attr: ""})
}

func (w *World) iReplaceWithANewPassword(ctx context.Context, alias string) error {
	return w.replace(ctx, alias, map[string]any{"password": w.password("Idpc")}, nil)
}

func (w *World) iCreateAUserWithoutActive(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, map[string]any{"active": ""}), scim.Request{})
	return err
}

func (w *World) iCreateAUserUpperCase(ctx context.Context, alias string) error {
	body := w.userBody(alias, map[string]any{"userName": strings.ToUpper(w.userName(alias))})
	_, err := w.create(ctx, alias+"#upper", body, scim.Request{})
	return err
}

func (w *World) iCreateAUserAnonymously(ctx context.Context, alias string) error {
	_, err := w.create(ctx, alias, w.userBody(alias, nil), scim.Request{Anonymous: true})
	return err
}

// replace PUTs the user's full representation with set applied.
func (w *World) replace(ctx context.Context, alias string, set map[string]any, header http.Header) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	body := w.userBody(alias, set)
	body["id"] = r.id
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodPut, Path: "/Users/" + r.id, Body: raw, Header: header})
	if err != nil || w.checking {
		return err
	}
	return setUp("rfc7644-3.5.1", "replace the user "+alias, resp)
}

func (w *World) iReplaceWithTheUserNameOf(ctx context.Context, alias, other string) error {
	return w.replace(ctx, alias, map[string]any{"userName": w.userName(other)}, nil)
}

func (w *World) iReplaceSettingString(ctx context.Context, alias, attr, v string) error {
	return w.replace(ctx, alias, map[string]any{attr: v}, nil)
}

func (w *World) iReplaceSettingBool(ctx context.Context, alias, attr, v string) error {
	return w.replace(ctx, alias, map[string]any{attr: v == "true"}, nil)
}

func (w *World) iReplaceIfVersion(ctx context.Context, alias, attr, v string) error {
	return w.replace(ctx, alias, map[string]any{attr: v}, http.Header{"If-Match": {w.remember}})
}

func (w *World) iReplaceLeavingOut(ctx context.Context, alias, attr string) error {
	return w.replace(ctx, alias, map[string]any{attr: ""}, nil)
}

func (w *World) iDelete(ctx context.Context, kind, alias string) error {
	r, err := w.resource(kind, alias)
	if err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodDelete, Path: "/" + r.kind + "/" + r.id})
	if err != nil || w.checking {
		return err
	}
	return setUp("rfc7644-3.6", "delete the "+kind+" "+alias, resp)
}

func (w *World) readingAnswers404(ctx context.Context, kind, alias string) error {
	r, err := w.resource(kind, alias)
	if err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/" + r.kind + "/" + r.id})
	if err != nil {
		return err
	}
	if resp.Status != http.StatusNotFound {
		return violated("404 Not Found reading the deleted "+kind+" "+alias, "%s", resp.Brief())
	}
	return nil // the error body is what the protocol scenarios check
}

// theLocationIsTheUser checks RFC 7644 §3.3: Location is the new resource's URI.
func (w *World) theLocationIsTheUser() error {
	if w.last == nil || w.lastAlias == "" {
		return violated("a created user", "none was created")
	}
	r := w.byAlias["Users/"+w.lastAlias]
	loc := w.last.Header.Get("Location")
	if loc == "" || !strings.HasSuffix(strings.TrimRight(loc, "/"), "/Users/"+r.id) {
		return violated("a Location header ending in /Users/"+r.id, "Location %q", loc)
	}
	return nil
}

// readBack GETs the resource so checks see what the target stored, not what
// it answered to the write.
func (w *World) readBack(ctx context.Context, kind, alias string) (scim.Object, error) {
	r, err := w.resource(kind, alias)
	if err != nil {
		return nil, err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/" + r.kind + "/" + r.id})
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, violated("200 OK reading back the "+kind+" "+alias, "%s", resp.Brief())
	}
	return w.lastObject()
}

func (w *World) readBackEqual(ctx context.Context, kind, alias, path, want string) error {
	want, err := w.expand(want)
	if err != nil {
		return err
	}
	o, err := w.readBack(ctx, kind, alias)
	if err != nil {
		return err
	}
	return equal(o, "the "+kind+" "+alias+" as read back", unquote(path), want)
}

func (w *World) readBackEqualDerived(ctx context.Context, kind, alias, path, what, of string) error {
	want, err := w.derived(what, of)
	if err != nil {
		return err
	}
	return w.readBackEqual(ctx, kind, alias, path, want)
}

func (w *World) readBackHasNo(ctx context.Context, kind, alias, path string) error {
	o, err := w.readBack(ctx, kind, alias)
	if err != nil {
		return err
	}
	if v, ok := o.Lookup(unquote(path)); assigned(v, ok) {
		return violated(fmt.Sprintf("no %s on the %s %s as read back", unquote(path), kind, alias), "%s = %s", unquote(path), scim.Text(v))
	}
	return nil
}

func (w *World) noUserExists(ctx context.Context, alias string) error {
	return w.countUsersNamed(ctx, alias, 0)
}

// countUsersNamed filters by the alias's exact userName and counts the
// listed users (not totalResults, which has its own scenarios).
func (w *World) countUsersNamed(ctx context.Context, alias string, want int) error {
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: `/Users?filter=userName eq "` + w.userName(alias) + `"`})
	if err != nil {
		return err
	}
	o, err := w.listResponse()
	if err != nil {
		return err
	}
	if n := len(resources(o)); n != want {
		return violated(fmt.Sprintf("%d users named %s in the target", want, w.userName(alias)), "%d: %s", n, resp.Brief())
	}
	return nil
}

func (w *World) aUserExistsUpperCase(ctx context.Context, alias string) error {
	return w.given(ctx, alias, map[string]any{"userName": strings.ToUpper(w.userName(alias))})
}

func (w *World) aUserExistsWithObjectID(ctx context.Context, alias, of string) error {
	return w.given(ctx, alias, map[string]any{"externalId": w.objectID(of)})
}

// theTargetHoldsOne counts the users with the alias's userName: an IdP
// that failed to match would have created a second one.
func (w *World) theTargetHoldsOne(ctx context.Context, alias string) error {
	return w.countUsersNamed(ctx, alias, 1)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
