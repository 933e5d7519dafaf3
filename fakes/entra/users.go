package entra

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// syncUser brings one tenant user's state to the target. initial is an
// initial cycle (or on-demand): linked users are then updated whether or
// not they changed since the watermark.
func (j *Job) syncUser(ctx context.Context, oid string, u User, exists, initial bool) []Op {
	u = j.mapped(u)
	l := j.link(oid)
	if !exists { // hard-deleted in the tenant (E14)
		if l == nil || !j.tenant.gone[oid] {
			return nil
		}
		_, op := j.send(ctx, "delete", l.sent.User().UPN, scim.Request{Method: http.MethodDelete, Path: "/Users/" + l.id},
			http.StatusNoContent, http.StatusNotFound)
		if op.Err == nil {
			j.setLink(oid, nil)
		}
		return []Op{op}
	}
	wantActive := u.Enabled && u.InScope && !u.SoftDeleted
	if l == nil {
		// Never provisioned: out of scope, soft-deleted or disabled users
		// are not provisioned (E16).
		if !wantActive {
			return nil
		}
		return j.provision(ctx, u, wantActive)
	}
	defer func() { l.looked = false }()
	var ops []Op
	body := j.d.userOps(l.sent.User(), u, j.opts.NoPath)
	refresh := j.opts.RefreshActive && wantActive && l.active && !initial
	if (initial || len(body) > 0 || refresh || wantActive != l.active) && !l.looked {
		// E4: before it changes a user, and for every user of an initial
		// cycle, Entra queries the target for it by the matching
		// attribute, as the target holds it now.
		op := j.lookupLinked(ctx, l)
		ops = append(ops, op)
		if op.Err != nil {
			return ops
		}
	}
	if len(body) > 0 {
		_, op := j.send(ctx, "update", u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch(body)}, patchOK...)
		ops = append(ops, op)
		if op.Err == nil {
			l.sent = markOf(u).with(l.sent.User().Manager)
		}
	}
	if wantActive != l.active || refresh {
		action := "disable"
		switch {
		case refresh && wantActive == l.active:
			action = "refresh"
		case wantActive:
			action = "enable"
		}
		_, res := j.send(ctx, action, u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch([]any{j.d.activeOp(wantActive)})}, patchOK...)
		ops = append(ops, res)
		if res.Err == nil {
			l.active = wantActive
			if !u.InScope {
				// E15: after the disable sent on unassignment, the service
				// no longer manages the user: no delete follows.
				j.setLink(oid, nil)
			}
		}
	}
	return ops
}

// lookupLinked queries a linked user by the matching attribute (E4) and
// expects to find it under its id.
func (j *Job) lookupLinked(ctx context.Context, l *link) Op {
	sent := l.sent.User()
	value := sent.UPN
	if j.opts.MatchOn == "externalId" {
		value = sent.ObjectID
	}
	path := fmt.Sprintf(`/Users?filter=%s eq "%s"`, j.opts.MatchOn, value)
	resp, op := j.send(ctx, "lookup", value, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	if op.Err != nil {
		return op
	}
	if id, err := matchedID(resp, j.opts.MatchOn, value); err != nil || id != l.id {
		op.Err = fmt.Errorf("entra: lookup %s: expected the user %s, but the target answered %s", value, l.id, resp.Brief())
	}
	return op
}

// provision matches an existing user (E2, E3) or creates one (E5); a
// matched user is then updated to the tenant's values (E39).
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
		// The target holds the matching value; everything else is sent.
		var held User
		if j.opts.MatchOn == "externalId" {
			held.ObjectID = value
		} else {
			held.UPN = value
		}
		l := &link{id: id, sent: markOf(held), active: !active, looked: true}
		j.setLink(u.ObjectID, l)
		return append(ops, j.syncUser(ctx, u.ObjectID, u, true, true)...)
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
	j.setLink(u.ObjectID, &link{id: id, sent: markOf(u).with(""), active: active})
	return ops
}

// mapped is a tenant user as the job's attribute mapping sees it: its UPN
// edited to the target's userName rule.
func (j *Job) mapped(u User) User {
	u.UPN = username.Edit(j.opts.Usernames, u.UPN)
	return u
}

// syncManagerOf sends a user's changed manager once every user of the
// cycle is provisioned: reference attributes come after users (E28).
func (j *Job) syncManagerOf(ctx context.Context, oid string, u User, exists bool) []Op {
	u = j.mapped(u)
	l := j.link(oid)
	if !exists || l == nil || u.Manager == l.sent.User().Manager || l.managerHeld {
		return nil
	}
	if op, sent := j.syncManager(ctx, l, u); sent {
		return []Op{op}
	}
	return nil
}

// syncManager sets or removes the manager (E17): a query whether the
// target already holds that manager (ENTRA-TUT: "the only attribute of
// which the current value is queried in this way is the manager
// attribute"), then an Add on path "manager" with $ref, or a Replace with
// an empty value to remove it. A manager not provisioned yet is held until
// the job restarts (E18): sent reports whether anything was sent.
func (j *Job) syncManager(ctx context.Context, l *link, u User) (op Op, sent bool) {
	if u.Manager == "" {
		body := patch([]any{j.d.managerRemoval()})
		_, res := j.send(ctx, "manager", u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: body}, patchOK...)
		if res.Err == nil {
			l.sent = l.sent.with("")
		}
		return res, true
	}
	m := j.link(u.Manager)
	if m == nil {
		l.managerHeld = true
		return Op{}, false
	}
	path := fmt.Sprintf(`/Users?filter=id eq "%s" and manager eq "%s"&attributes=id`, l.id, m.id)
	resp, q := j.send(ctx, "manager-query", u.UPN, scim.Request{Method: http.MethodGet, Path: path}, http.StatusOK)
	if q.Err != nil {
		return q, true
	}
	found, err := scim.FindOne(resp, "id", l.id)
	if err != nil {
		q.Err = fmt.Errorf("entra: manager-query %s: %w", u.UPN, err)
		return q, true
	}
	if found != nil {
		l.sent = l.sent.with(u.Manager) // the target holds it already
		return q, true
	}
	base := strings.TrimRight(j.scim.Config().BaseURL, "/")
	_, res := j.send(ctx, "manager", u.UPN, scim.Request{Method: http.MethodPatch, Path: "/Users/" + l.id, Body: patch([]any{j.d.managerAdd(base, m.id)})}, patchOK...)
	if res.Err == nil {
		l.sent = l.sent.with(u.Manager)
	}
	return res, true
}
