package entra

import (
	"context"
	"fmt"
	"net/http"

	"github.com/idpconform/idpconform/internal/scim"
)

// syncUser brings one tenant user's state to the target.
func (j *Job) syncUser(ctx context.Context, oid string) []Op {
	u, exists := j.tenant.users[oid]
	l := j.users[oid]
	if !exists { // hard-deleted in the tenant
		if l == nil || !j.tenant.gone[oid] {
			return nil
		}
		_, op := j.send(ctx, "delete", l.sent.UPN, scim.Request{Method: http.MethodDelete, Path: "/Users/" + l.id},
			http.StatusNoContent, http.StatusNotFound)
		if op.Err == nil {
			delete(j.users, oid)
		}
		return []Op{op}
	}
	wantActive := u.Enabled && u.InScope && !u.SoftDeleted
	if l == nil {
		if !u.InScope || u.SoftDeleted {
			return nil // never provisioned, nothing to deprovision
		}
		return j.provision(ctx, u, wantActive)
	}
	var ops []Op
	if body := j.d.userOps(l.sent, u, j.opts.NoPath); len(body) > 0 {
		_, op := j.send(ctx, "update", u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch(body)}, patchOK...)
		ops = append(ops, op)
		if op.Err == nil {
			manager := l.sent.Manager
			l.sent = u
			l.sent.Manager = manager
		}
	}
	if u.Manager != l.sent.Manager {
		ops = append(ops, j.syncManager(ctx, l, u))
	}
	if wantActive != l.active {
		action := "disable"
		if wantActive {
			action = "enable"
		}
		op := map[string]any{"op": j.d.op("replace"), "path": "active", "value": j.d.boolean(wantActive)}
		_, res := j.send(ctx, action, u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch([]any{op})}, patchOK...)
		ops = append(ops, res)
		if res.Err == nil {
			l.active = wantActive
		}
	}
	return ops
}

// provision matches an existing user (entra-lookup) or creates one
// (entra-create); a matched user is then updated to the tenant's values.
func (j *Job) provision(ctx context.Context, u User, active bool) []Op {
	value := u.UPN
	if j.opts.MatchOn == "externalId" {
		value = u.ObjectID
	}
	path := fmt.Sprintf(`/Users?filter=%s eq "%s"`, j.opts.MatchOn, value)
	resp, op := j.send(ctx, "lookup", u.UPN, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	ops := []Op{op}
	if op.Err != nil {
		return ops
	}
	id, err := matchedID(resp, j.opts.MatchOn, value)
	if err != nil {
		ops[0].Err = fmt.Errorf("entra: lookup %s: %w", u.UPN, err)
		return ops
	}
	if id != "" {
		// Matched: link, and let the next pass send every mapped attribute.
		j.users[u.ObjectID] = &link{id: id, active: !active}
		return append(ops, j.syncUser(ctx, u.ObjectID)...)
	}
	resp, op = j.send(ctx, "create", u.UPN, scim.Request{Method: http.MethodPost, Path: "/Users", Body: marshal(createBody(u, active))}, http.StatusCreated)
	if op.Err == nil {
		if id, op.Err = idOf(resp); op.Err != nil {
			op.Err = fmt.Errorf("entra: create %s: %w", u.UPN, op.Err)
		}
	}
	ops = append(ops, op)
	if op.Err != nil {
		return ops
	}
	sent := u
	sent.Manager = ""
	j.users[u.ObjectID] = &link{id: id, sent: sent, active: active}
	if u.Manager != "" {
		ops = append(ops, j.syncManager(ctx, j.users[u.ObjectID], u))
	}
	return ops
}

// syncManager sets or removes the enterprise manager (entra-manager). The
// manager must be provisioned first; until then the change waits.
func (j *Job) syncManager(ctx context.Context, l *link, u User) Op {
	path := enterpriseSchema + ":manager"
	var op map[string]any
	if u.Manager == "" {
		op = map[string]any{"op": j.d.op("remove"), "path": path}
	} else {
		m := j.users[u.Manager]
		if m == nil {
			return Op{Action: "manager", Object: u.UPN, Err: fmt.Errorf("entra: manager %s of %s is not provisioned yet", u.Manager, u.UPN)}
		}
		op = map[string]any{"op": j.d.op("add"), "path": path, "value": j.d.manager(m.id)}
	}
	_, res := j.send(ctx, "manager", u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch([]any{op})}, patchOK...)
	if res.Err == nil {
		l.sent.Manager = u.Manager
	}
	return res
}
