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

// Ways of sending active besides the dialect's own (E13), as
// Options.Active names them.
const (
	ActiveAdd    = "add"    // {"op":"Add","path":"active",…} (rancher/rancher#54025)
	ActiveLower  = "lower"  // the strings "true"/"false" (scimmyjs/scimmy#86)
	ActiveSwitch = "switch" // a Switch() mapping: "True"/"False" strings even with the flag (HF-ENTRA)
)

// dialect is how this job words a PATCH. Legacy is the default; the
// aadOptscim062020 flag switches to compliant (E9–E12, entra-flag).
type dialect struct {
	compliant bool
	active    string // "" or one of ActiveAdd, ActiveLower, ActiveSwitch
}

// op names an operation: "Replace" in legacy (E11, entra-patch-op-case).
func (d dialect) op(name string) string {
	if d.compliant {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// activeOp is the operation that sets active (E12, E13): "False" in
// legacy, false with the flag, or the variant the job's mapping makes.
func (d dialect) activeOp(b bool) map[string]any {
	name := "replace"
	if d.active == ActiveAdd {
		name = "add"
	}
	var v any = b
	switch {
	case d.active == ActiveLower:
		v = strings.ToLower(titleBool(b))
	case d.active == ActiveSwitch, !d.compliant:
		v = titleBool(b)
	}
	return map[string]any{"op": d.op(name), "path": "active", "value": v}
}

func titleBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// managerAdd sets the manager as ENTRA-TUT's example 5 does, in either
// dialect (E17): path "manager", an array of one with $ref.
func (d dialect) managerAdd(base, id string) map[string]any {
	return map[string]any{"op": d.op("add"), "path": "manager",
		"value": []any{map[string]any{"$ref": base + "/Users/" + id, "value": id}}}
}

// managerRemoval is the gallery test's "Replace with empty" (E17, ENTRA-LA).
func (d dialect) managerRemoval() map[string]any {
	return map[string]any{"op": d.op("replace"), "path": "manager", "value": ""}
}

// memberRemoval removes members (E24): a value array on path members in
// legacy, a value filter per member when compliant.
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

// memberAdd adds members the way Entra does, "$ref": null included (E23).
func (d dialect) memberAdd(ids []string) map[string]any {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = map[string]any{"$ref": nil, "value": id}
	}
	return map[string]any{"op": d.op("add"), "path": "members", "value": vals}
}

// attribute is one mapped attribute: its SCIM path (E7, E8) and how to read
// it from a tenant user.
type attribute struct {
	path string
	get  func(User) string
}

// mapped are the default attribute mappings of the Entra SCIM app (E7,
// ENTRA-TUT's mapping table), in the order Entra lists them.
var mapped = []attribute{
	{"userName", func(u User) string { return u.UPN }},
	{"externalId", func(u User) string { return u.ObjectID }},
	{"displayName", func(u User) string { return u.DisplayName }},
	{"title", func(u User) string { return u.Title }},
	{"name.givenName", func(u User) string { return u.GivenName }},
	{"name.familyName", func(u User) string { return u.Surname }},
	{`emails[type eq "work"].value`, func(u User) string { return u.Mail }},
	{`phoneNumbers[type eq "work"].value`, func(u User) string { return u.Phone }},
	{`phoneNumbers[type eq "mobile"].value`, func(u User) string { return u.Mobile }},
	{`phoneNumbers[type eq "fax"].value`, func(u User) string { return u.Fax }},
	{`addresses[type eq "work"].streetAddress`, func(u User) string { return u.StreetAddress }},
	{`addresses[type eq "work"].postalCode`, func(u User) string { return u.PostalCode }},
	{enterpriseSchema + ":employeeNumber", func(u User) string { return u.EmployeeNumber }},
	{enterpriseSchema + ":department", func(u User) string { return u.Department }},
}

// userOps returns the operations that bring what was last sent (before) to
// u: Add for an attribute that had no value, Replace otherwise (E10). With
// noPath (legacy), or with the flag (E9), the replaced attributes without a
// value filter are folded into one path-less replace whose value has dotted
// keys; value-filter paths keep their own operation.
func (d dialect) userOps(before, u User, noPath bool) []any {
	var ops []any
	object := map[string]any{}
	for _, a := range mapped {
		old, now := a.get(before), a.get(u)
		if old == now || now == "" {
			continue
		}
		name := "replace"
		if old == "" {
			name = "add"
		}
		if !strings.Contains(a.path, "[") && (noPath || d.compliant && name == "replace") {
			object[a.path] = now
			continue
		}
		ops = append(ops, map[string]any{"op": d.op(name), "path": a.path, "value": now})
	}
	if len(object) > 0 {
		ops = append(ops, map[string]any{"op": d.op("replace"), "value": object})
	}
	return ops
}

// createBody is Entra's POST /Users (E5): attributes without a value are
// left out (E6, ENTRA-KI).
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
	if u.Title != "" {
		b["title"] = u.Title
	}
	var phones []any
	for _, p := range [][2]string{{"work", u.Phone}, {"mobile", u.Mobile}, {"fax", u.Fax}} {
		if p[1] != "" {
			phones = append(phones, map[string]any{"type": p[0], "value": p[1]})
		}
	}
	if phones != nil {
		b["phoneNumbers"] = phones
	}
	if u.StreetAddress != "" || u.PostalCode != "" {
		a := map[string]any{"type": "work"}
		if u.StreetAddress != "" {
			a["streetAddress"] = u.StreetAddress
		}
		if u.PostalCode != "" {
			a["postalCode"] = u.PostalCode
		}
		b["addresses"] = []any{a}
	}
	ext := map[string]any{}
	if u.Department != "" {
		ext["department"] = u.Department
	}
	if u.EmployeeNumber != "" {
		ext["employeeNumber"] = u.EmployeeNumber
	}
	if len(ext) > 0 {
		b[enterpriseSchema] = ext
	}
	return b
}
