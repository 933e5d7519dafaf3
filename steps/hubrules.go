package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
)

// The Hugging Face Hub's organisation rules (shared/idp-behaviour.md H4–H7,
// H19, HX3–HX6), checked through the calls of the profile's
// lifecycle.rules and resourceGroups sections.

func registerHubRules(sc stepper, w *World) {
	sc.Step(`^the target profile describes the hub rule "([^"]*)"$`, w.theProfileDescribesTheRule)
	sc.Step(`^"([^"]*)" (can|cannot) sign in with their own credentials$`, w.signsIn)
	sc.Step(`^"([^"]*)" (can|cannot) create (private content inside the organisation|public content)$`, w.createsContent)
	sc.Step(`^"([^"]*)" created private content inside the organisation$`, w.createdContent)
	sc.Step(`^the content of "([^"]*)" is (gone|kept)$`, w.theContentIs)
	sc.Step(`^"([^"]*)" cannot join another organisation$`, w.cannotJoinAnotherOrg)
	sc.Step(`^"([^"]*)" can be added as an external collaborator$`, w.canBeACollaborator)
	sc.Step(`^the profile change is refused$`, w.theProfileChangeIsRefused)

	sc.Step(`^the target has resource groups$`, w.theTargetHasResourceGroups)
	sc.Step(`^a resource group "([^"]*)"$`, w.aResourceGroup)
	sc.Step(`^a resource group "([^"]*)" with the member "([^"]*)"$`, w.aResourceGroupWithMember)
	sc.Step(`^(?:I link|the group) "([^"]*)" (?:to|is linked to) the resource group "([^"]*)"$`, w.iLink)
	sc.Step(`^linking the group "([^"]*)" to the resource group "([^"]*)" is refused$`, w.linkingIsRefused)
	sc.Step(`^I change the role of the group "([^"]*)" in the resource group "([^"]*)"$`, w.iChangeTheLinkRole)
	sc.Step(`^"([^"]*)" is in the resource group "([^"]*)" with the (first|second) role$`, w.isInTheResourceGroup)
	sc.Step(`^"([^"]*)" is not in the resource group "([^"]*)"$`, w.isNotInTheResourceGroup)
	sc.Step(`^"([^"]*)" is in none of the scenario's resource groups$`, w.isInNoResourceGroup)
	sc.Step(`^(adding|removing) "([^"]*)" (?:to|from) the resource group "([^"]*)" by hand is refused with 403$`, w.manualChangeIsRefused)
}

// rule is the profile's call for a hub rule, or nil.
func (w *World) rule(name string) *profile.Call {
	l := w.lifecycle()
	if l == nil || l.Rules == nil {
		return nil
	}
	r := l.Rules
	return map[string]*profile.Call{"login": r.Login, "orgContent": r.OrgContent, "publicContent": r.PublicContent,
		"readContent": r.ReadContent, "joinOtherOrg": r.JoinOtherOrg, "addCollaborator": r.AddCollaborator}[name]
}

func (w *World) theProfileDescribesTheRule(name string) error {
	l := w.lifecycle()
	switch {
	case l == nil || l.Rules == nil:
		return skip("the target profile has no lifecycle.rules section")
	case name == "profileReadOnly":
		if !l.Rules.ProfileReadOnly {
			return skip("the target profile does not say lifecycle.rules.profileReadOnly: SCIM may change members' profiles")
		}
	case w.rule(name) == nil:
		return skip("the target profile has no lifecycle.rules." + name)
	}
	return nil
}

// refused says whether a status is a refusal: a client error, not a
// success and not a crash.
func refused(status int) bool { return status >= 400 && status < 500 }

// allowed sends the rule's call for alias and judges its answer: 2xx when
// the rule allows it, a 4xx refusal when it does not.
func (w *World) allowed(ctx context.Context, rule, alias, what string, allow bool) error {
	c := w.rule(rule)
	if c == nil {
		return fmt.Errorf("steps: no lifecycle.rules.%s (gate the scenario on it)", rule)
	}
	resp, err := w.call(ctx, what, c, alias)
	switch {
	case err != nil:
		return err
	case allow && !statusOK(resp.Status):
		return violated(what+" allowed (2xx from lifecycle.rules."+rule+")", "%s", resp.Brief())
	case !allow && !refused(resp.Status):
		return violated(what+" refused (4xx from lifecycle.rules."+rule+")", "%s", resp.Brief())
	}
	return nil
}

func (w *World) signsIn(ctx context.Context, alias, can string) error {
	return w.allowed(ctx, "login", alias, w.userName(alias)+" signing in without SSO", can == "can")
}

func (w *World) createsContent(ctx context.Context, alias, can, kind string) error {
	rule := map[string]string{"public content": "publicContent"}[kind]
	if rule == "" {
		rule = "orgContent"
	}
	return w.allowed(ctx, rule, alias, w.userName(alias)+" creating "+kind, can == "can")
}

func (w *World) createdContent(ctx context.Context, alias string) error {
	return w.createsContent(ctx, alias, "can", "private content inside the organisation")
}

func (w *World) theContentIs(ctx context.Context, alias, state string) error {
	c := w.rule("readContent")
	if c == nil {
		return skip("the target profile has no lifecycle.rules.readContent to read content back")
	}
	resp, err := w.call(ctx, "reading the content of "+w.userName(alias), c, alias)
	switch {
	case err != nil:
		return err
	case state == "gone" && resp.Status != 404:
		return violated("the content "+w.userName(alias)+" created gone with the account (404 from lifecycle.rules.readContent)", "%s", resp.Brief())
	case state == "kept" && !statusOK(resp.Status):
		return violated("the content "+w.userName(alias)+" created kept while the account is only deactivated (2xx from lifecycle.rules.readContent)", "%s", resp.Brief())
	}
	return nil
}

func (w *World) cannotJoinAnotherOrg(ctx context.Context, alias string) error {
	return w.allowed(ctx, "joinOtherOrg", alias, w.userName(alias)+" joining another organisation", false)
}

func (w *World) canBeACollaborator(ctx context.Context, alias string) error {
	return w.allowed(ctx, "addCollaborator", alias, w.userName(alias)+" added as an external collaborator", true)
}

// theProfileChangeIsRefused: SCIM "cannot modify" an invited member's
// name, email or username (HF-SCIM), so the write is refused with a 4xx
// SCIM error (the reference target: 400 mutability, RFC 7644 §3.12) rather
// than answered as if it had been made.
func (w *World) theProfileChangeIsRefused() error {
	switch {
	case w.last == nil:
		return fmt.Errorf("steps: no change was sent")
	case refused(w.last.Status):
		// The error's form is RFC 7644 §3.12's, not the rule's.
		return under("rfc7644-3.12", w.theSCIMErrorHas(fmt.Sprint(w.last.Status), ""))
	}
	return violated("the change to the member's own profile refused with a 4xx SCIM error (400 mutability)", "%s", w.last.Brief())
}

func (w *World) theTargetHasResourceGroups() error {
	if w.deps.ResourceGroups == nil {
		return skip("the target profile has no resourceGroups section")
	}
	return nil
}

// rgName is the target's name of the scenario's resource group alias.
func (w *World) rgName(alias string) string { return w.prefix + alias }

// rgVars are the values of a resource-group call about user (may be "")
// in the resource group rg, with the SCIM group group (may be "") and role.
func (w *World) rgVars(user, rg, group, role string) (profile.Vars, error) {
	v := profile.Vars{Group: w.rgName(rg), Role: role}
	if user != "" {
		v = w.vars(user)
		v.Group, v.Role = w.rgName(rg), role
	}
	if group != "" {
		g, err := w.resource("group", group)
		if err != nil {
			return v, err
		}
		v.GroupID = g.id
	}
	return v, nil
}

// rgCall sends a resource-group call and answers its status.
func (w *World) rgCall(ctx context.Context, what string, c *profile.Call, user, rg, group, role string) (*scim.Response, error) {
	v, err := w.rgVars(user, rg, group, role)
	if err != nil {
		return nil, err
	}
	return w.callWith(ctx, what, c, v)
}

// rgMust is a resource-group call that must succeed.
func (w *World) rgMust(ctx context.Context, what string, c *profile.Call, user, rg, group, role string) error {
	resp, err := w.rgCall(ctx, what, c, user, rg, group, role)
	if err == nil && !statusOK(resp.Status) {
		return violated(what+" (2xx)", "%s", resp.Brief())
	}
	return err
}

func (w *World) aResourceGroup(ctx context.Context, alias string) error {
	g := w.deps.ResourceGroups
	if err := w.rgMust(ctx, "creating the resource group "+w.rgName(alias), &g.Create, "", alias, "", ""); err != nil {
		return err
	}
	st := w.lifeState()
	st.rgroups = append(st.rgroups, alias)
	return nil
}

func (w *World) aResourceGroupWithMember(ctx context.Context, alias, user string) error {
	if err := w.aResourceGroup(ctx, alias); err != nil {
		return err
	}
	g := w.deps.ResourceGroups
	return w.rgMust(ctx, "adding "+user+" to the resource group "+w.rgName(alias)+" by hand", &g.Add, user, alias, "", g.Roles[0])
}

func (w *World) iLink(ctx context.Context, group, rg string) error {
	g := w.deps.ResourceGroups
	return w.rgMust(ctx, "linking the group "+group+" to the resource group "+w.rgName(rg)+" with the role "+g.Roles[0], &g.Link, "", rg, group, g.Roles[0])
}

// linkingIsRefused: a resource group linked to a SCIM group must be empty
// (HF-SCIM), so linking one that has members is refused.
func (w *World) linkingIsRefused(ctx context.Context, group, rg string) error {
	g := w.deps.ResourceGroups
	resp, err := w.rgCall(ctx, "linking", &g.Link, "", rg, group, g.Roles[0])
	if err == nil && !refused(resp.Status) {
		return violated("linking the group "+group+" to the resource group "+w.rgName(rg)+", which has members, refused (4xx)", "%s", resp.Brief())
	}
	return err
}

func (w *World) iChangeTheLinkRole(ctx context.Context, group, rg string) error {
	g := w.deps.ResourceGroups
	return w.rgMust(ctx, "changing the role of the group "+group+" in the resource group "+w.rgName(rg)+" to "+g.Roles[1], &g.SetRole, "", rg, group, g.Roles[1])
}

// rgMembers reads a resource group's members: folded userName → role.
func (w *World) rgMembers(ctx context.Context, rg string) (map[string]string, error) {
	g := w.deps.ResourceGroups
	resp, err := w.rgCall(ctx, "listing the members of the resource group "+w.rgName(rg), &g.Members, "", rg, "", "")
	if err != nil {
		return nil, err
	}
	o, err := resp.Object()
	if err != nil || !statusOK(resp.Status) {
		return nil, violated("the resource group's members (2xx with JSON from resourceGroups.members)", "%s", resp.Brief())
	}
	out := map[string]string{}
	list, _ := value(o, g.MembersField).([]any)
	for _, el := range list {
		name, role := scim.Text(el), ""
		if m, ok := el.(map[string]any); ok {
			name, role = scim.Text(value(m, g.UserNameField)), scim.Text(value(m, g.RoleField))
		}
		out[strings.ToLower(name)] = role
	}
	return out, nil
}

func (w *World) isInTheResourceGroup(ctx context.Context, user, rg, which string) error {
	g := w.deps.ResourceGroups
	want := g.Roles[0]
	if which == "second" {
		want = g.Roles[1]
	}
	members, err := w.rgMembers(ctx, rg)
	if err != nil {
		return err
	}
	role, in := members[strings.ToLower(w.userName(user))]
	if !in || role != want {
		return violated(fmt.Sprintf("%s in the resource group %s with the role %s", user, w.rgName(rg), want), "members %v", members)
	}
	return nil
}

func (w *World) isNotInTheResourceGroup(ctx context.Context, user, rg string) error {
	members, err := w.rgMembers(ctx, rg)
	if err != nil {
		return err
	}
	if _, in := members[strings.ToLower(w.userName(user))]; in {
		return violated(fmt.Sprintf("%s not in the resource group %s", user, w.rgName(rg)), "members %v", members)
	}
	return nil
}

func (w *World) isInNoResourceGroup(ctx context.Context, user string) error {
	for _, rg := range w.lifeState().rgroups {
		if err := w.isNotInTheResourceGroup(ctx, user, rg); err != nil {
			return err
		}
	}
	return nil
}

// manualChangeIsRefused: a membership a linked SCIM group manages cannot
// be changed by hand; HF-SCIM says the hub answers 403. Another 4xx keeps
// the rule but not the hub's answer: a warning.
func (w *World) manualChangeIsRefused(ctx context.Context, change, user, rg string) error {
	g := w.deps.ResourceGroups
	c := &g.Add
	if change == "removing" {
		c = &g.Remove
	}
	what := fmt.Sprintf("%s %s by hand in the resource group %s, which a SCIM group manages", change, user, w.rgName(rg))
	resp, err := w.rgCall(ctx, what, c, user, rg, "", g.Roles[1])
	switch {
	case err != nil:
		return err
	case resp.Status == 403:
	case refused(resp.Status):
		return warned("", what+" answered 403, as the hub does", "%s", resp.Brief())
	default:
		return violated(what+" refused with 403", "%s", resp.Brief())
	}
	return nil
}
