package entra

import (
	"strings"
)

const (
	userSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	groupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// dialect is how this job words a PATCH. Legacy is the default; the
// aadOptscim062020 flag switches to compliant (entra-flag).
type dialect struct{ compliant bool }

// op names an operation: "Replace" in legacy (entra-patch-op-case).
func (d dialect) op(name string) string {
	if d.compliant {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// boolean is a JSON boolean, or in legacy the string "True"/"False"
// (entra-string-bool).
func (d dialect) boolean(b bool) any {
	if d.compliant {
		return b
	}
	if b {
		return "True"
	}
	return "False"
}

// manager is the value of a manager add (entra-manager): an object, or in
// legacy an array of one.
func (d dialect) manager(id string) any {
	if d.compliant {
		return map[string]any{"value": id}
	}
	return []any{map[string]any{"value": id}}
}

// memberRemoval removes members (entra-member-remove): a value array on
// path members in legacy, a value filter per member when compliant.
func (d dialect) memberRemoval(ids []string) []any {
	if !d.compliant {
		vals := make([]any, len(ids))
		for i, id := range ids {
			vals[i] = map[string]any{"value": id}
		}
		return []any{map[string]any{"op": d.op("remove"), "path": "members", "value": vals}}
	}
	ops := make([]any, len(ids))
	for i, id := range ids {
		ops[i] = map[string]any{"op": "remove", "path": `members[value eq "` + id + `"]`}
	}
	return ops
}

// memberAdd adds members the way Entra does, "$ref": null included
// (entra-member-add).
func (d dialect) memberAdd(ids []string) map[string]any {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = map[string]any{"$ref": nil, "value": id}
	}
	return map[string]any{"op": d.op("add"), "path": "members", "value": vals}
}

// attribute is one mapped attribute: its SCIM path (entra-valuepath,
// entra-ext-path) and how to read it from a tenant user.
type attribute struct {
	path string
	get  func(User) string
}

// mapped are the default attribute mappings of the Entra SCIM app.
var mapped = []attribute{
	{"userName", func(u User) string { return u.UPN }},
	{"externalId", func(u User) string { return u.ObjectID }},
	{"displayName", func(u User) string { return u.DisplayName }},
	{"name.givenName", func(u User) string { return u.GivenName }},
	{"name.familyName", func(u User) string { return u.Surname }},
	{`emails[type eq "work"].value`, func(u User) string { return u.Mail }},
	{enterpriseSchema + ":department", func(u User) string { return u.Department }},
}

// userOps returns the operations that bring what was last sent (before) to
// u: Add for an attribute that had no value, Replace otherwise
// (entra-add-vs-replace); with noPath, one path-less Replace carrying an
// object of the changed attributes (entra-nopath-object).
func (d dialect) userOps(before, u User, noPath bool) []any {
	var ops []any
	object := map[string]any{}
	for _, a := range mapped {
		old, now := a.get(before), a.get(u)
		if old == now || now == "" {
			continue
		}
		if noPath && !strings.Contains(a.path, "[") {
			object[a.path] = now
			continue
		}
		name := "replace"
		if old == "" {
			name = "add"
		}
		ops = append(ops, map[string]any{"op": d.op(name), "path": a.path, "value": now})
	}
	if len(object) > 0 {
		ops = append(ops, map[string]any{"op": d.op("replace"), "value": object})
	}
	return ops
}

// createBody is Entra's POST /Users (entra-create).
func createBody(u User, active bool) map[string]any {
	b := map[string]any{
		"schemas":     []any{userSchema, enterpriseSchema},
		"externalId":  u.ObjectID,
		"userName":    u.UPN,
		"active":      active,
		"displayName": u.DisplayName,
		"emails":      []any{map[string]any{"primary": true, "type": "work", "value": u.Mail}},
		"meta":        map[string]any{"resourceType": "User"},
		"name": map[string]any{
			"formatted": strings.TrimSpace(u.GivenName + " " + u.Surname), "familyName": u.Surname, "givenName": u.GivenName,
		},
		"roles": []any{},
	}
	if u.Department != "" {
		b[enterpriseSchema] = map[string]any{"department": u.Department}
	}
	return b
}
