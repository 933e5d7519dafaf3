package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/idpconform/idpconform/internal/scim"
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
func (u User) body(active bool) map[string]any {
	b := map[string]any{
		"schemas":     []any{userSchema},
		"userName":    u.Login,
		"name":        map[string]any{"givenName": u.GivenName, "familyName": u.FamilyName},
		"emails":      []any{map[string]any{"primary": true, "value": u.Email, "type": "work"}},
		"displayName": u.DisplayName,
		"locale":      u.Locale,
		"externalId":  u.OktaID,
		"groups":      []any{},
		"active":      active,
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

// TestConnection is what Okta sends when the integration is saved
// (okta-test-connection): a small first page that must be a ListResponse.
func (c *Client) TestConnection(ctx context.Context) error {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: "/Users?startIndex=1&count=2"})
	if err != nil {
		return err
	}
	if err := expect("test connection", resp, http.StatusOK); err != nil {
		return err
	}
	o, err := resp.Object()
	if err != nil {
		return fmt.Errorf("okta: test connection: %w", err)
	}
	if _, ok := o["totalResults"].(float64); !ok {
		return fmt.Errorf("okta: test connection: the answer is not a ListResponse (no totalResults)")
	}
	return nil
}

// Lookup finds a user by login the way Okta does before it creates
// (okta-lookup): an exact filter with explicit paging.
func (c *Client) Lookup(ctx context.Context, login string) (id string, err error) {
	path := fmt.Sprintf(`/Users?filter=userName eq "%s"&startIndex=1&count=%d`, login, c.opts.PageSize)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return "", err
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

// Assign provisions a user as assigning them to the app does: look up,
// create if absent, and on a 409 (okta-duplicate) look up again and link.
// created says whether this call created the user.
func (c *Client) Assign(ctx context.Context, u User) (id string, created bool, err error) {
	if id, err = c.Lookup(ctx, u.Login); err != nil || id != "" {
		return id, false, err
	}
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPost, Path: "/Users", Body: marshal(u.body(true))})
	if err != nil {
		return "", false, err
	}
	if resp.Status == http.StatusConflict {
		id, err = c.Lookup(ctx, u.Login)
		if err == nil && id == "" {
			err = fmt.Errorf("okta: create %s answered 409, but the lookup finds no such user", u.Login)
		}
		return id, false, err
	}
	if err := expect("create "+u.Login, resp, http.StatusCreated, http.StatusOK); err != nil {
		return "", false, err
	}
	o, err := resp.Object()
	if err != nil {
		return "", false, fmt.Errorf("okta: create %s: %w", u.Login, err)
	}
	if id = scim.Text(o["id"]); id == "" {
		return "", false, fmt.Errorf("okta: create %s: the answer has no id", u.Login)
	}
	return id, true, nil
}

// Push sends a profile change: PUT of the whole user with its id, active
// kept true (okta-put-profile), or a PATCH of the changed attributes for
// OIN-template apps (okta-aiw-vs-oin).
func (c *Client) Push(ctx context.Context, id string, u User, changed map[string]any) error {
	req := scim.Request{Method: http.MethodPut, Path: "/Users/" + id}
	if c.opts.Update == UpdatePatch {
		var ops []any
		for path, v := range changed {
			ops = append(ops, map[string]any{"op": "replace", "path": path, "value": v})
		}
		req.Method = http.MethodPatch
		req.Body = marshal(map[string]any{"schemas": []any{patchSchema}, "Operations": ops})
	} else {
		b := u.body(true)
		b["id"] = id
		req.Body = marshal(b)
	}
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	return expect("push profile of "+u.Login, resp, http.StatusOK, http.StatusNoContent)
}

// SetActive deactivates or reactivates: a PATCH with no path and an object
// value (okta-patch-active). Okta never deletes users (okta-no-delete).
func (c *Client) SetActive(ctx context.Context, id string, active bool) error {
	return c.patchNoPath(ctx, id, map[string]any{"active": active}, "set active="+strconv.FormatBool(active))
}

// SetPassword syncs a password the same no-path way (okta-patch-password).
func (c *Client) SetPassword(ctx context.Context, id, password string) error {
	return c.patchNoPath(ctx, id, map[string]any{"password": password}, "set password")
}

func (c *Client) patchNoPath(ctx context.Context, id string, value map[string]any, op string) error {
	body := map[string]any{"schemas": []any{patchSchema}, "Operations": []any{map[string]any{"op": "replace", "value": value}}}
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPatch, Path: "/Users/" + id, Body: marshal(body)})
	if err != nil {
		return err
	}
	return expect(op, resp, http.StatusOK, http.StatusNoContent)
}

// Get reads a user back (okta-get). A deactivated user must still answer
// 200 (okta-deactivated-readable).
func (c *Client) Get(ctx context.Context, id string) (scim.Object, error) {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: "/Users/" + id})
	if err != nil {
		return nil, err
	}
	if err := expect("get "+id, resp, http.StatusOK); err != nil {
		return nil, err
	}
	return resp.Object()
}

// maxImportPages bounds an import against a target that never ends its list.
const maxImportPages = 1000

// Import pages through /Users as Okta's import does (okta-paging): 1-based
// startIndex, advancing by what each page held, until totalResults.
func (c *Client) Import(ctx context.Context, filter string) ([]scim.Object, error) {
	var all []scim.Object
	start := 1
	for range maxImportPages {
		path := fmt.Sprintf("/Users?startIndex=%d&count=%d", start, c.opts.PageSize)
		if filter != "" {
			path += "&filter=" + filter
		}
		resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
		if err != nil {
			return all, err
		}
		if err := expect("import page at "+strconv.Itoa(start), resp, http.StatusOK); err != nil {
			return all, err
		}
		o, err := resp.Object()
		if err != nil {
			return all, fmt.Errorf("okta: import: %w", err)
		}
		list, _ := o["Resources"].([]any)
		for _, r := range list {
			if m, ok := r.(map[string]any); ok {
				all = append(all, m)
			}
		}
		total, _ := o["totalResults"].(float64)
		if len(list) == 0 || start+len(list) > int(total) {
			return all, nil
		}
		start += len(list)
	}
	return all, fmt.Errorf("okta: import: the list did not end within %d pages", maxImportPages)
}
