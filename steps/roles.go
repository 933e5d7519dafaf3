package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
)

// patchSchema is the schema of PATCH bodies (RFC 7644 §3.5.2).
const patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

func registerRoles(sc stepper, w *World) {
	sc.Step(`^the target maps groups to roles$`, w.theTargetMapsGroups)
	sc.Step(`^an organisation member "([^"]*)"$`, w.isAMember)
	sc.Step(`^a group "([^"]*)" mapped to (the highest role|a lower role|a resource group) with the members "([^"]*)"$`, w.aMappedGroup)
	sc.Step(`^a group "([^"]*)" mapped like "([^"]*)" with the members "([^"]*)"$`, w.aGroupMappedLike)
	sc.Step(`^I (add|remove) "([^"]*)" (?:to|from) the group "([^"]*)"$`, w.iChangeMembership)
	sc.Step(`^I rename the group "([^"]*)" to a name no mapping matches$`, w.iRenameUnmapped)
	sc.Step(`^the effective role of "([^"]*)" is the role of "([^"]*)"$`, w.theRoleIsOf)
	sc.Step(`^the effective role of "([^"]*)" is the default role$`, w.theRoleIsDefault)
	sc.Step(`^"([^"]*)" (has|does not have) the resource group of "([^"]*)"$`, w.theResourceGroup)
}

func (w *World) theTargetMapsGroups() error {
	if w.deps.Roles == nil {
		return skip("the target profile has no roles section (group → role mappings and a probe)")
	}
	return nil
}

// mappedBy remembers which mapping each group of the scenario was named for.
func (w *World) mappedBy() map[string]profile.RoleMapping {
	st := w.lifeState()
	if st.mapped == nil {
		st.mapped = map[string]profile.RoleMapping{}
	}
	return st.mapped
}

// pickMapping chooses the profile's mapping for a kind of group: the one
// whose role ranks highest, one whose role ranks lower (with a resource
// group if there is one), or one with a resource group.
func (w *World) pickMapping(which string) (profile.RoleMapping, bool) {
	r := w.deps.Roles
	ms := slices.Clone(r.Mappings)
	slices.SortStableFunc(ms, func(a, b profile.RoleMapping) int { return r.Rank(a.Role) - r.Rank(b.Role) })
	switch which {
	case "the highest role":
		return ms[0], true
	case "a lower role":
		var lower []profile.RoleMapping
		for _, m := range ms {
			if r.Rank(m.Role) > r.Rank(ms[0].Role) {
				lower = append(lower, m)
			}
		}
		if i := slices.IndexFunc(lower, func(m profile.RoleMapping) bool { return m.ResourceGroup != "" }); i >= 0 {
			return lower[i], true
		}
		if len(lower) > 0 {
			return lower[0], true
		}
	default:
		if i := slices.IndexFunc(ms, func(m profile.RoleMapping) bool { return m.ResourceGroup != "" }); i >= 0 {
			return ms[i], true
		}
	}
	return profile.RoleMapping{}, false
}

// groupName is the displayName that makes a mapping apply to the
// scenario's group: the * filled with the scenario's prefix and the alias.
func (w *World) groupName(alias string, m profile.RoleMapping) (string, error) {
	if !strings.Contains(m.Group, "*") {
		return "", fmt.Errorf("steps: roles mapping %q has no *: the scenario cannot name a group of its own (use a pattern like \"*%s\")", m.Group, m.Group)
	}
	return strings.Replace(m.Group, "*", w.prefix+alias+"-", 1), nil
}

func (w *World) aMappedGroup(ctx context.Context, alias, which, members string) error {
	m, ok := w.pickMapping(which)
	if !ok {
		return skip("the target profile's roles.mappings have no mapping to " + which)
	}
	return w.createMappedGroup(ctx, alias, m, members)
}

func (w *World) aGroupMappedLike(ctx context.Context, alias, like, members string) error {
	m, ok := w.mappedBy()[like]
	if !ok {
		return fmt.Errorf("steps: the group %q was not created from a mapping", like)
	}
	return w.createMappedGroup(ctx, alias, m, members)
}

func (w *World) createMappedGroup(ctx context.Context, alias string, m profile.RoleMapping, members string) error {
	name, err := w.groupName(alias, m)
	if err != nil {
		return err
	}
	list := []any{}
	for _, u := range splitList(members) {
		r, err := w.resource("user", u)
		if err != nil {
			return err
		}
		list = append(list, map[string]any{"value": r.id})
	}
	raw, err := json.Marshal(map[string]any{"schemas": []any{groupSchema}, "displayName": name, "members": list})
	if err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodPost, Path: "/Groups", Body: raw})
	if err != nil {
		return err
	}
	if o, err := resp.Object(); err == nil && statusOK(resp.Status) {
		if id, _ := o["id"].(string); id != "" {
			w.track("Groups", alias, id)
		}
	}
	if w.byAlias["Groups/"+alias] == nil {
		return violated("the group "+name+" created, with an id", "%s", resp.Brief())
	}
	w.mappedBy()[alias] = m
	return nil
}

func (w *World) iChangeMembership(ctx context.Context, change, user, group string) error {
	g, err := w.resource("group", group)
	if err != nil {
		return err
	}
	u, err := w.resource("user", user)
	if err != nil {
		return err
	}
	op := map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": u.id}}}
	if change == "remove" {
		op = map[string]any{"op": "remove", "path": `members[value eq "` + u.id + `"]`}
	}
	return w.patchGroup(ctx, g, op, fmt.Sprintf("%s %s %s the group %s", change, user, map[string]string{"add": "to", "remove": "from"}[change], group))
}

func (w *World) patchGroup(ctx context.Context, g *resource, op map[string]any, what string) error {
	raw, err := json.Marshal(map[string]any{"schemas": []any{patchSchema}, "Operations": []any{op}})
	if err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodPatch, Path: "/Groups/" + g.id, Body: raw})
	if err != nil {
		return err
	}
	if !statusOK(resp.Status) {
		return violated(what+" to succeed", "%s", resp.Brief())
	}
	return nil
}

func (w *World) iRenameUnmapped(ctx context.Context, group string) error {
	g, err := w.resource("group", group)
	if err != nil {
		return err
	}
	name := w.prefix + group + "-unmapped"
	for _, m := range w.deps.Roles.Mappings {
		if m.Matches(name) {
			return fmt.Errorf("steps: the mapping %q matches %q; no unmapped name is left", m.Group, name)
		}
	}
	return w.patchGroup(ctx, g, map[string]any{"op": "replace", "path": "displayName", "value": name}, "renaming the group "+group)
}

// effective reads alias's role and resource groups through the profile's probe.
func (w *World) effective(ctx context.Context, alias string) (string, []string, error) {
	r := w.deps.Roles
	resp, err := w.call(ctx, "the role probe", &r.Probe, alias)
	if err != nil {
		return "", nil, err
	}
	o, err := resp.Object()
	if err != nil || !statusOK(resp.Status) {
		return "", nil, violated("the role probe to answer 2xx with a JSON object for the member "+alias, "%s", resp.Brief())
	}
	role := ""
	if v := value(o, r.RoleField); v != nil {
		role = scim.Text(v)
	}
	var groups []string
	list, _ := value(o, r.ResourceGroupsField).([]any)
	for _, g := range list {
		if m, ok := g.(map[string]any); ok {
			g = m["value"]
		}
		groups = append(groups, scim.Text(g))
	}
	return role, groups, nil
}

func (w *World) theRoleIsOf(ctx context.Context, alias, group string) error {
	m, ok := w.mappedBy()[group]
	if !ok {
		return fmt.Errorf("steps: the group %q was not created from a mapping", group)
	}
	return w.theRoleIs(ctx, alias, m.Role, "the role "+m.Role+" of the group "+group)
}

func (w *World) theRoleIsDefault(ctx context.Context, alias string) error {
	want := w.deps.Roles.DefaultRole
	what := "the default role " + want
	if want == "" {
		what = "no role"
	}
	return w.theRoleIs(ctx, alias, want, what)
}

func (w *World) theRoleIs(ctx context.Context, alias, want, what string) error {
	got, _, err := w.effective(ctx, alias)
	if err != nil {
		return err
	}
	if got != want {
		return violatedOf("hub-roles", fmt.Sprintf("%s as the effective role of %s", what, alias), "%s %q", w.deps.Roles.RoleField, got)
	}
	return nil
}

func (w *World) theResourceGroup(ctx context.Context, alias, has, group string) error {
	m, ok := w.mappedBy()[group]
	if !ok || m.ResourceGroup == "" {
		return fmt.Errorf("steps: the group %q was not created from a mapping with a resource group", group)
	}
	_, groups, err := w.effective(ctx, alias)
	if err != nil {
		return err
	}
	if slices.Contains(groups, m.ResourceGroup) != (has == "has") {
		return violatedOf("hub-roles", fmt.Sprintf("%s %s the resource group %s", alias, has, m.ResourceGroup), "resource groups %v", groups)
	}
	return nil
}
