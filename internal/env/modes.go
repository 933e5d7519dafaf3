package env

import (
	"cmp"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/username"
)

// InvitationTag routes scenarios to the reference target's invitation-mode
// instance: one organisation cannot own its accounts and invite personal
// ones at once, so the built-in run starts one instance per account model.
const InvitationTag = "invitation"

// HubSections describe the reference target's lifecycle and role mapping
// (internal/reference/target lifecycle.go, roles.go) as a vendor's profile would.
// Membership is read through the HTTP probe, which also sees a membership
// left without a SCIM user (a cancelled invitation still acceptable);
// TestMembershipByAttribute covers the attribute way.
func HubSections(base, token, mode string) (*profile.Lifecycle, *profile.Roles) {
	call := func(method, path, body string) *profile.Call {
		return &profile.Call{Method: method, URL: base + path, Body: body,
			Headers: map[string]string{"Authorization": "Bearer " + token}}
	}
	// Both models sign up personal accounts: members in the invitation
	// model, external collaborators beside a managed organisation.
	l := &profile.Lifecycle{Mode: mode, Accounts: profile.Accounts{
		Read:   call("GET", target.HubAccountsPath+"/{{userName}}", ""),
		Create: call("POST", target.HubAccountsPath, `{"userName": "{{userName}}", "email": "{{email}}"}`),
		Delete: call("DELETE", target.HubAccountsPath+"/{{userName}}", ""),
	}, Rules: &profile.Rules{
		ProfileReadOnly: mode == target.ModeInvitation,
		Login:           call("POST", target.HubLoginPath, `{"userName": "{{userName}}"}`),
		OrgContent:      call("POST", target.HubReposPath, `{"owner": "{{userName}}", "name": "{{userName}}-model", "private": true}`),
		PublicContent:   call("POST", target.HubReposPath, `{"owner": "{{userName}}", "name": "{{userName}}-public", "private": false}`),
		ReadContent:     call("GET", target.HubReposPath+"/{{userName}}-model", ""),
		JoinOtherOrg:    call("POST", target.HubOrgsPath+"/another-org/members", `{"userName": "{{userName}}"}`),
		AddCollaborator: call("POST", target.HubCollaboratorsPath, `{"userName": "{{userName}}"}`),
	}}
	if mode == target.ModeInvitation {
		l.Accept = &profile.Accept{Call: *call("POST", target.HubInvitationsPath+"/{{userName}}/accept", "")}
		l.Membership = profile.Membership{Probe: call("GET", target.HubMembersPath+"/{{userName}}", "")}
	}
	roles := &profile.Roles{
		Precedence:  target.RolePrecedence(),
		DefaultRole: target.DefaultRole,
		Probe:       *call("GET", target.HubMembersPath+"/{{userName}}", ""),
	}
	for _, m := range target.RoleMappings() {
		roles.Mappings = append(roles.Mappings, profile.RoleMapping{Group: m.Group, Role: m.Role, ResourceGroup: m.ResourceGroup})
	}
	return l, roles
}

// HubRuleTag routes the scenarios of the hub's userName character rule
// (shared/idp-behaviour.md HX1) to an instance under that rule when the
// run's reference target has none, so the default run checks it too.
const HubRuleTag = "hub-HX1"

// HubResourceGroups describes the reference target's resource groups
// (internal/reference/target resourcegroups.go) as a vendor's profile would.
func HubResourceGroups(base, token string) *profile.ResourceGroups {
	call := func(method, path, body string) profile.Call {
		return profile.Call{Method: method, URL: base + target.HubResourceGroupsPath + path, Body: body,
			Headers: map[string]string{"Authorization": "Bearer " + token}}
	}
	return &profile.ResourceGroups{
		Create:  call("POST", "", `{"name": "{{group}}"}`),
		Delete:  call("DELETE", "/{{group}}", ""),
		Members: call("GET", "/{{group}}/members", ""),
		Add:     call("POST", "/{{group}}/members", `{"userName": "{{userName}}", "role": "{{role}}"}`),
		Remove:  call("DELETE", "/{{group}}/members/{{userName}}", ""),
		Link:    call("PUT", "/{{group}}/link", `{"scimGroup": "{{groupId}}", "role": "{{role}}"}`),
		SetRole: call("PATCH", "/{{group}}/link", `{"role": "{{role}}"}`),
		Roles:   []string{"read", "write"},
	}
}

// startInvitation runs the invitation-mode instance, without SSO.
func (r *Reference) startInvitation(opts target.Options) (*target.Server, profile.Profile, error) {
	opts.Mode = target.ModeInvitation
	return r.startSCIMOnly(opts, "idpconform reference target (invitations)")
}

// startHubRule runs a managed instance, without SSO, under the hub's
// userName rule.
func (r *Reference) startHubRule(opts target.Options) (profile.Profile, error) {
	opts.Usernames = username.Hub
	_, p, err := r.startSCIMOnly(opts, "idpconform reference target (hub userName rule)")
	return p, err
}

// startSCIMOnly runs an instance without SSO in opts.Mode and the profile
// describing it.
func (r *Reference) startSCIMOnly(opts target.Options, name string) (*target.Server, profile.Profile, error) {
	opts.SSO = nil
	srv, running, err := r.listen(opts)
	if err != nil {
		return nil, profile.Profile{}, err
	}
	life, roles := HubSections(running.Base(), opts.Token, cmp.Or(opts.Mode, target.ModeManaged))
	p, err := profile.Complete(profile.Profile{
		Name:           name,
		SCIM:           profile.SCIM{URL: running.URL(), Auth: profile.Auth{Type: "bearer", Token: opts.Token}},
		Usernames:      usernamesOf(opts),
		Lifecycle:      life,
		Roles:          roles,
		ResourceGroups: HubResourceGroups(running.Base(), opts.Token),
	})
	return srv, p, err
}

// usernamesOf is the reference target's userName policy under opts.
func usernamesOf(opts target.Options) profile.Usernames {
	return profile.Usernames{MinLength: target.MinUserName, MaxLength: target.MaxUserName, Rule: opts.Usernames}
}
