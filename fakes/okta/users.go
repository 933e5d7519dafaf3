package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// User is an Okta app user's profile as Okta maps it to SCIM.
type User struct {
	Login       string // userName
	GivenName   string
	FamilyName  string
	Email       string
	DisplayName string
	Locale      string
	OktaID      string // externalId: Okta's user id, 00u…
	Password    string // sent only when password sync is on
}

const (
	userSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// body is Okta's create and PUT representation (okta-create): full profile,
// active true, a primary work email and an empty groups array.
func (u User) body() map[string]any {
	b := map[string]any{
		"schemas":     []any{userSchema},
		"userName":    u.Login,
		"name":        map[string]any{"givenName": u.GivenName, "familyName": u.FamilyName},
		"emails":      []any{map[string]any{"primary": true, "value": u.Email, "type": "work"}},
		"displayName": u.DisplayName,
		"locale":      u.Locale,
		"externalId":  u.OktaID,
		"groups":      []any{},
		"active":      true,
	}
	if u.Password != "" {
		b["password"] = u.Password
	}
	return b
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("okta: marshal %T: %v", v, err)) // only our own maps are marshalled
	}
	return b
}

// list GETs path and expects a ListResponse.
func (c *Client) list(ctx context.Context, op, path string) error {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return err
	}
	if err := expect(op, resp, http.StatusOK); err != nil {
		return err
	}
	o, err := resp.Object()
	if err != nil {
		return fmt.Errorf("okta: %s: %w", op, err)
	}
	if _, ok := o["totalResults"].(float64); !ok {
		return fmt.Errorf("okta: %s: the answer is not a ListResponse (no totalResults)", op)
	}
	return nil
}

// GroupsProbeError is a test connection whose /Groups request failed while
// /Users answered: Okta's documents do not say whether that fails the
// connection, so callers may treat it apart.
type GroupsProbeError struct{ Err error }

func (e *GroupsProbeError) Error() string { return e.Err.Error() }
func (e *GroupsProbeError) Unwrap() error { return e.Err }

// TestConnection is what Okta sends when the integration is saved (O1):
// "Okta makes two requests", both with constant parameters, and expects
// ListResponses.
func (c *Client) TestConnection(ctx context.Context) error {
	uerr := c.list(ctx, "test connection", "/Users?startIndex=1&count=2")
	var none *scim.NoAnswer
	if errors.As(uerr, &none) {
		return uerr
	}
	gerr := c.list(ctx, "test connection (groups)", "/Groups?startIndex=1&count=100")
	switch {
	case uerr != nil:
		return uerr
	case gerr != nil && !errors.As(gerr, &none):
		return &GroupsProbeError{gerr}
	}
	return gerr
}

// Lookup finds a user by login the way Okta does before it creates (O2):
// an exact filter, then startIndex=1&count=100, in that order. An empty
// list, or a 404 error answer, means "not found" (O3).
func (c *Client) Lookup(ctx context.Context, login string) (id string, err error) {
	path := fmt.Sprintf(`/Users?filter=userName eq "%s"&startIndex=1&count=%d`, login, c.opts.PageSize)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return "", err
	}
	if resp.Status == http.StatusNotFound {
		return "", nil
	}
	if err := expect("lookup "+login, resp, http.StatusOK); err != nil {
		return "", err
	}
	found, err := scim.FindOne(resp, "userName", login)
	if err != nil || found == nil {
		return "", wrapLookup("lookup "+login, err)
	}
	return scim.Text(found["id"]), nil
}

// wrapLookup names the operation; a filter that matched the wrong
// resources stays a *scim.FilterMismatch for errors.As.
func wrapLookup(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("okta: %s: %w", op, err)
}

// Assign provisions a user as assigning them to the app does: look up
// (O2); a user found is matched and sent the app profile (O8), and
// reactivated if the target holds it inactive (O28: Okta loops on a
// pushed user that reads back inactive); a user not found is created
// (O5). A 409 to the create is a failure that stops the job (O7): Okta
// does not look again. created says whether this call created the user.
func (c *Client) Assign(ctx context.Context, u User) (id string, created bool, err error) {
	u = c.appUser(u)
	if id, err = c.Lookup(ctx, u.Login); err != nil {
		return "", false, err
	}
	if id != "" {
		return id, false, c.update(ctx, id, "match "+u.Login, func(o scim.Object) { u.apply(o); o["active"] = true })
	}
	id, err = c.Create(ctx, u)
	return id, err == nil, err
}

// Create is the POST of a user Okta's check did not find (O5). Any answer
// but 201 or 200 is a failure; a 409 stops the job (O7).
func (c *Client) Create(ctx context.Context, u User) (id string, err error) {
	u = c.appUser(u)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPost, Path: "/Users", Body: marshal(u.body())})
	if err != nil {
		return "", err
	}
	if err := expect("create "+u.Login, resp, http.StatusCreated, http.StatusOK); err != nil {
		return "", err
	}
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		// Okta's own words for it (O6).
		return "", fmt.Errorf("okta: create %s: Create new user returned empty user", u.Login)
	}
	o, err := resp.Object()
	if err != nil {
		return "", fmt.Errorf("okta: create %s: %w", u.Login, err)
	}
	if id = scim.Text(o["id"]); id == "" {
		return "", fmt.Errorf("okta: create %s: the answer has no id", u.Login)
	}
	return id, nil
}

// apply writes the profile into an object read from the target, leaving
// what Okta does not map as the target sent it (O9).
func (u User) apply(o scim.Object) {
	for k, v := range u.body() {
		switch k {
		case "schemas", "groups", "active", "password":
		case "name":
			name, _ := o["name"].(map[string]any)
			if name == nil {
				name = map[string]any{}
			}
			name["givenName"], name["familyName"] = u.GivenName, u.FamilyName
			o["name"] = name
		default:
			o[k] = v
		}
	}
}

// Push sends a profile change, in either integration (O9, O10): Okta
// "first makes a GET method request to /Users/${userID}", then "modifies
// the attributes that were changed and runs a PUT" with that object.
func (c *Client) Push(ctx context.Context, id string, u User) error {
	u = c.appUser(u)
	return c.update(ctx, id, "push profile of "+u.Login, u.apply)
}

// appUser is u with the app username an admin edited to the target's rule.
func (c *Client) appUser(u User) User {
	u.Login = username.Edit(c.opts.Usernames, u.Login)
	return u
}

// update is Okta's read-modify-PUT (O9). A matched user read back inactive
// is reactivated: by the PUT itself in an AIW app, by the PATCH that OIN
// apps use for activation after it (O10, O13).
func (c *Client) update(ctx context.Context, id, op string, change func(scim.Object)) (err error) {
	o, err := c.Get(ctx, id)
	if err != nil {
		return err
	}
	wasActive := o["active"] != false
	o = known(o)
	change(o)
	if c.opts.Integration == OIN {
		if active, _ := o["active"].(bool); active && !wasActive {
			o["active"] = false // OIN apps activate by PATCH, below
			defer func() {
				if err == nil {
					err = c.SetActive(ctx, id, true)
				}
			}()
		}
	}
	return c.put(ctx, id, op, o)
}

// userAttributes are the User attributes of RFC 7643 §4.1 and the common
// ones of §3.1: what Okta's client reads back and sends again.
var userAttributes = map[string]bool{
	"schemas": true, "id": true, "externalId": true, "meta": true, "userName": true, "name": true, "displayName": true,
	"nickName": true, "profileUrl": true, "title": true, "userType": true, "preferredLanguage": true, "locale": true,
	"timezone": true, "active": true, "emails": true, "phoneNumbers": true, "ims": true, "photos": true, "addresses": true,
	"groups": true, "entitlements": true, "roles": true, "x509Certificates": true,
}

// known keeps what Okta knows of a user read back: the schema's
// attributes and extensions (urn:…), not whatever else a target added.
func known(o scim.Object) scim.Object {
	out := scim.Object{}
	for k, v := range o {
		if userAttributes[k] || strings.HasPrefix(k, "urn:") {
			out[k] = v
		}
	}
	return out
}

func (c *Client) put(ctx context.Context, id, op string, o scim.Object) error {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPut, Path: "/Users/" + id, Body: marshal(o)})
	if err != nil {
		return err
	}
	// The answer "needs to be the updated User object" (O9).
	return expect(op, resp, http.StatusOK)
}

// SetActive deactivates or reactivates. OIN apps send a PATCH with no path
// and an object value (O11, O13); AIW apps PUT the user read back with
// active changed (O12). Okta never deletes users (O15).
func (c *Client) SetActive(ctx context.Context, id string, active bool) error {
	op := "set active=" + strconv.FormatBool(active)
	if c.opts.Integration == AIW {
		return c.update(ctx, id, op, func(o scim.Object) { o["active"] = active })
	}
	return c.patchNoPath(ctx, id, map[string]any{"active": active}, op)
}

// SetPassword syncs a password: the same no-path PATCH in OIN apps, a PUT
// in AIW apps (O14).
func (c *Client) SetPassword(ctx context.Context, id, password string) error {
	if c.opts.Integration == AIW {
		return c.update(ctx, id, "set password", func(o scim.Object) { o["password"] = password })
	}
	return c.patchNoPath(ctx, id, map[string]any{"password": password}, "set password")
}

func (c *Client) patchNoPath(ctx context.Context, id string, value map[string]any, op string) error {
	body := map[string]any{"schemas": []any{patchSchema}, "Operations": []any{map[string]any{"op": "replace", "value": value}}}
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPatch, Path: "/Users/" + id, Body: marshal(body)})
	if err != nil {
		return err
	}
	// "200 with body or 204" (O11).
	return expect(op, resp, http.StatusOK, http.StatusNoContent)
}

// Get reads a user back. A deactivated user must still answer 200
// (okta-deactivated-readable).
func (c *Client) Get(ctx context.Context, id string) (scim.Object, error) {
	return c.get(ctx, "/Users/"+id)
}

func (c *Client) get(ctx context.Context, path string) (scim.Object, error) {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return nil, err
	}
	if err := expect("get "+path, resp, http.StatusOK); err != nil {
		return nil, err
	}
	o, err := resp.Object()
	if err != nil {
		return nil, fmt.Errorf("okta: get %s: %w", path, err)
	}
	return o, nil
}
