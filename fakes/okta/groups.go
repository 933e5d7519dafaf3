package okta

import (
	"context"
	"fmt"
	"net/http"

	"github.com/idpconform/idpconform/internal/scim"
)

const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"

// Member is a group member as Group Push names it: the app user's id and
// login (okta-group-push).
type Member struct {
	ID    string
	Login string
}

func (m Member) value() map[string]any { return map[string]any{"value": m.ID, "display": m.Login} }

// FindGroup looks a pushed group up by displayName before creating it.
func (c *Client) FindGroup(ctx context.Context, name string) (string, error) {
	path := fmt.Sprintf(`/Groups?filter=displayName eq "%s"&startIndex=1&count=%d`, name, c.opts.PageSize)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return "", err
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

// PushGroup links an existing group of that name or creates it with its
// members, as Group Push does.
func (c *Client) PushGroup(ctx context.Context, name string, members []Member) (id string, created bool, err error) {
	if id, err = c.FindGroup(ctx, name); err != nil || id != "" {
		return id, false, err
	}
	list := []any{}
	for _, m := range members {
		list = append(list, m.value())
	}
	body := map[string]any{"schemas": []any{groupSchema}, "displayName": name, "members": list}
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
	return id, true, nil
}

// RenameGroup sends Okta's rename: a no-path replace carrying id and
// displayName.
func (c *Client) RenameGroup(ctx context.Context, id, name string) error {
	op := map[string]any{"op": "replace", "value": map[string]any{"id": id, "displayName": name}}
	return c.patchGroup(ctx, id, "rename group", op)
}

// AddMembers adds members with an add on path members.
func (c *Client) AddMembers(ctx context.Context, id string, members ...Member) error {
	list := []any{}
	for _, m := range members {
		list = append(list, m.value())
	}
	return c.patchGroup(ctx, id, "add members", map[string]any{"op": "add", "path": "members", "value": list})
}

// RemoveMember removes one member with a value-filter path.
func (c *Client) RemoveMember(ctx context.Context, id, userID string) error {
	op := map[string]any{"op": "remove", "path": fmt.Sprintf(`members[value eq "%s"]`, userID)}
	return c.patchGroup(ctx, id, "remove member", op)
}

// DeleteGroup is sent when a push is unlinked with "delete the group".
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
