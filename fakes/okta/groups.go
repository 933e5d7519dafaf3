package okta

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/idpconform/idpconform/internal/scim"
)

const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

// Member is a group member as Group Push names it: the app user's id and
// login.
type Member struct {
	ID    string
	Login string
}

func (m Member) value() map[string]any { return map[string]any{"value": m.ID, "display": m.Login} }

func values(ms []Member) []any {
	list := []any{}
	for _, m := range ms {
		list = append(list, m.value())
	}
	return list
}

// FindGroup looks a pushed group up by displayName before creating it
// (O18). An empty list or a 404 means "not found", as for users (O3).
func (c *Client) FindGroup(ctx context.Context, name string) (string, error) {
	path := fmt.Sprintf(`/Groups?filter=displayName eq "%s"&startIndex=1&count=%d`, name, c.opts.PageSize)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return "", err
	}
	if resp.Status == http.StatusNotFound {
		return "", nil
	}
	if err := expect("find group "+name, resp, http.StatusOK); err != nil {
		return "", err
	}
	found, err := scim.FindOne(resp, "displayName", name)
	if err != nil || found == nil {
		return "", wrapLookup("find group "+name, err)
	}
	return scim.Text(found["id"]), nil
}

// PushGroup links an existing group of that name, or creates it the way
// Group Push does (O17): `"members": []`, the members added after by a
// membership update.
func (c *Client) PushGroup(ctx context.Context, name string, members []Member) (id string, created bool, err error) {
	if id, err = c.FindGroup(ctx, name); err != nil || id != "" {
		return id, false, err
	}
	body := map[string]any{"schemas": []any{groupSchema}, "displayName": name, "members": []any{}}
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPost, Path: "/Groups", Body: marshal(body)})
	if err != nil {
		return "", false, err
	}
	if err := expect("create group "+name, resp, http.StatusCreated, http.StatusOK); err != nil {
		return "", false, err
	}
	o, err := resp.Object()
	if err != nil {
		return "", false, fmt.Errorf("okta: create group %s: %w", name, err)
	}
	if id = scim.Text(o["id"]); id == "" {
		return "", false, fmt.Errorf("okta: create group %s: the answer has no id", name)
	}
	if len(members) > 0 {
		err = c.UpdateMembers(ctx, id, name, members, nil)
	}
	return id, true, err
}

// RenameGroup renames: a PATCH with no path carrying id and displayName
// (O19), or in an AIW app a PUT of the group read back (O22).
func (c *Client) RenameGroup(ctx context.Context, id, name string) error {
	if c.opts.Integration == AIW {
		return c.putGroup(ctx, id, name, nil, nil, false)
	}
	return c.patchGroup(ctx, id, "rename group", rename(id, name))
}

func rename(id, name string) map[string]any {
	return map[string]any{"op": "replace", "value": map[string]any{"id": id, "displayName": name}}
}

// UpdateMembers is one membership change: in an OIN app one PATCH removing
// (members[value eq "…"]) and adding together (O21), then a GET of the
// group and the rename sent again, as Okta does after every membership
// change (O20); in an AIW app a PUT of the group read back with the
// members changed (O22).
func (c *Client) UpdateMembers(ctx context.Context, id, name string, add []Member, remove []string) error {
	if c.opts.Integration == AIW {
		return c.putGroup(ctx, id, name, add, remove, false)
	}
	var ops []any
	for _, r := range remove {
		ops = append(ops, map[string]any{"op": "remove", "path": fmt.Sprintf(`members[value eq "%s"]`, r)})
	}
	if len(add) > 0 {
		ops = append(ops, map[string]any{"op": "add", "path": "members", "value": values(add)})
	}
	if err := c.patchGroup(ctx, id, "update members", ops...); err != nil {
		return err
	}
	return c.renameAgain(ctx, id, name)
}

// ReplaceMembers sets the whole membership: a replace of members in an
// OIN app (O21), a PUT in an AIW app (O22).
func (c *Client) ReplaceMembers(ctx context.Context, id, name string, members []Member) error {
	if c.opts.Integration == AIW {
		return c.putGroup(ctx, id, name, members, nil, true)
	}
	op := map[string]any{"op": "replace", "path": "members", "value": values(members)}
	if err := c.patchGroup(ctx, id, "replace members", op); err != nil {
		return err
	}
	return c.renameAgain(ctx, id, name)
}

// renameAgain is what follows each membership PATCH (O20): "Okta then does
// a get on the group, followed by this patch" of the name.
func (c *Client) renameAgain(ctx context.Context, id, name string) error {
	if _, err := c.get(ctx, "/Groups/"+id); err != nil {
		return err
	}
	return c.patchGroup(ctx, id, "rename group", rename(id, name))
}

// putGroup is an AIW app's group update (O22): the group read back, with
// its name and members changed, PUT whole.
func (c *Client) putGroup(ctx context.Context, id, name string, add []Member, remove []string, replace bool) error {
	o, err := c.get(ctx, "/Groups/"+id)
	if err != nil {
		return err
	}
	var members []any
	if !replace {
		old, _ := o["members"].([]any)
		for _, m := range old {
			if mm, ok := m.(map[string]any); ok && !slices.Contains(remove, scim.Text(mm["value"])) {
				kept := map[string]any{"value": mm["value"]}
				if d, ok := mm["display"]; ok {
					kept["display"] = d
				}
				members = append(members, kept)
			}
		}
	}
	members = append(members, values(add)...)
	if members == nil {
		members = []any{}
	}
	o = scim.Object{"schemas": o["schemas"], "id": o["id"], "externalId": o["externalId"], "meta": o["meta"]}
	for k, v := range o {
		if v == nil {
			delete(o, k) // what the target did not send, Okta does not either
		}
	}
	o["displayName"], o["members"] = name, members
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPut, Path: "/Groups/" + id, Body: marshal(o)})
	if err != nil {
		return err
	}
	return expect("update group", resp, http.StatusOK, http.StatusNoContent)
}

// DeleteGroup is sent when a push is unlinked with "delete the group"
// (O23).
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	resp, err := c.send(ctx, scim.Request{Method: http.MethodDelete, Path: "/Groups/" + id})
	if err != nil {
		return err
	}
	return expect("delete group", resp, http.StatusNoContent)
}

func (c *Client) patchGroup(ctx context.Context, id, what string, ops ...any) error {
	body := map[string]any{"schemas": []any{patchSchema}, "Operations": ops}
	resp, err := c.send(ctx, scim.Request{Method: http.MethodPatch, Path: "/Groups/" + id, Body: marshal(body)})
	if err != nil {
		return err
	}
	return expect(what, resp, http.StatusOK, http.StatusNoContent)
}
