package entra

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/idpconform/idpconform/internal/scim"
)

// syncGroup brings one tenant group to the target: lookup without members
// (entra-group-read), create empty (entra-group-create), rename
// (entra-group-rename), then membership adds and removals.
func (j *Job) syncGroup(ctx context.Context, g Group) []Op {
	gl := j.groups[g.ObjectID]
	if !g.InScope {
		if gl == nil {
			return nil
		}
		_, op := j.send(ctx, "group-delete", g.DisplayName, scim.Request{Method: http.MethodDelete, Path: "/Groups/" + gl.id},
			http.StatusNoContent, http.StatusNotFound)
		if op.Err == nil {
			delete(j.groups, g.ObjectID)
		}
		return []Op{op}
	}
	var ops []Op
	if gl == nil {
		var op Op
		if gl, op = j.linkGroup(ctx, g); gl == nil {
			return []Op{op}
		}
		ops = append(ops, op)
	} else {
		// Entra reads the group, without members, before it changes it.
		_, op := j.send(ctx, "group-read", g.DisplayName,
			scim.Request{Method: http.MethodGet, Path: "/Groups/" + gl.id + "?excludedAttributes=members"}, http.StatusOK)
		ops = append(ops, op)
	}
	if gl.name != g.DisplayName {
		op := map[string]any{"op": j.d.op("replace"), "path": "displayName", "value": g.DisplayName}
		_, res := j.send(ctx, "group-rename", g.DisplayName, scim.Request{Method: http.MethodPatch, Path: "/Groups/" + gl.id, Body: patch([]any{op})}, patchOK...)
		ops = append(ops, res)
		if res.Err == nil {
			gl.name = g.DisplayName
		}
	}
	return append(ops, j.syncMembers(ctx, g, gl)...)
}

func (j *Job) linkGroup(ctx context.Context, g Group) (*groupLink, Op) {
	path := fmt.Sprintf(`/Groups?excludedAttributes=members&filter=displayName eq "%s"`, g.DisplayName)
	resp, op := j.send(ctx, "group-lookup", g.DisplayName, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	if op.Err != nil {
		return nil, op
	}
	id, err := matchedID(resp, "displayName", g.DisplayName)
	if err != nil {
		op.Err = fmt.Errorf("entra: group-lookup %s: %w", g.DisplayName, err)
		return nil, op
	}
	if id == "" {
		body := map[string]any{
			"schemas": []any{groupSchema}, "externalId": g.ObjectID, "displayName": g.DisplayName,
			"members": []any{}, "meta": map[string]any{"resourceType": "Group"},
		}
		resp, op = j.send(ctx, "group-create", g.DisplayName, scim.Request{Method: http.MethodPost, Path: "/Groups", Body: marshal(body)}, http.StatusCreated)
		if op.Err != nil {
			return nil, op
		}
		if id, err = idOf(resp); err != nil {
			op.Err = fmt.Errorf("entra: group-create %s: %w", g.DisplayName, err)
			return nil, op
		}
	}
	gl := &groupLink{id: id, name: g.DisplayName, members: map[string]bool{}}
	j.groups[g.ObjectID] = gl
	return gl, op
}

// syncMembers adds and removes members (E23, E24). Before each change it
// asks the target whether the user is a member (E22: "Requests to
// determine whether a reference attribute has a certain value are requests
// about the members attribute"), and leaves out what the target already
// holds. Members not provisioned yet wait for a later cycle.
func (j *Job) syncMembers(ctx context.Context, g Group, gl *groupLink) []Op {
	var ops []Op
	var add, addOIDs, remove, removeOIDs []string
	for _, oid := range g.Members {
		if l := j.users[oid]; l != nil && !gl.members[oid] {
			member, op := j.isMember(ctx, g, gl, l.id)
			ops = append(ops, op)
			switch {
			case op.Err != nil:
			case member:
				gl.members[oid] = true
			default:
				add, addOIDs = append(add, l.id), append(addOIDs, oid)
			}
		}
	}
	var gone []string
	for oid := range gl.members {
		if !slices.Contains(g.Members, oid) {
			gone = append(gone, oid)
		}
	}
	slices.Sort(gone)
	for _, oid := range gone {
		l := j.users[oid]
		if l == nil {
			delete(gl.members, oid) // deprovisioned: nothing to remove
			continue
		}
		member, op := j.isMember(ctx, g, gl, l.id)
		ops = append(ops, op)
		switch {
		case op.Err != nil:
		case member:
			remove, removeOIDs = append(remove, l.id), append(removeOIDs, oid)
		default:
			delete(gl.members, oid)
		}
	}
	if len(add) > 0 {
		_, op := j.send(ctx, "member-add", g.DisplayName,
			scim.Request{Method: http.MethodPatch, Path: "/Groups/" + gl.id, Body: patch([]any{j.d.memberAdd(add)})}, patchOK...)
		ops = append(ops, op)
		if op.Err == nil {
			for _, oid := range addOIDs {
				gl.members[oid] = true
			}
		}
	}
	if len(remove) > 0 {
		_, op := j.send(ctx, "member-remove", g.DisplayName,
			scim.Request{Method: http.MethodPatch, Path: "/Groups/" + gl.id, Body: patch(j.d.memberRemoval(remove))}, patchOK...)
		ops = append(ops, op)
		if op.Err == nil {
			for _, oid := range removeOIDs {
				delete(gl.members, oid)
			}
		}
	}
	return ops
}

// isMember is Entra's membership query (E22), groups read without members
// (E21): the group comes back when the user is a member, else none.
func (j *Job) isMember(ctx context.Context, g Group, gl *groupLink, userID string) (bool, Op) {
	path := fmt.Sprintf(`/Groups?excludedAttributes=members&filter=id eq "%s" and members eq "%s"`, gl.id, userID)
	resp, op := j.send(ctx, "member-query", g.DisplayName, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	if op.Err != nil {
		return false, op
	}
	found, err := scim.FindOne(resp, "id", gl.id)
	if err != nil {
		op.Err = fmt.Errorf("entra: member-query %s: %w", g.DisplayName, err)
		return false, op
	}
	return found != nil, op
}
