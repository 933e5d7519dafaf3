package profile

import (
	"errors"
	"fmt"
	"slices"
)

// Rules are the Hugging Face Hub's organisation rules a target follows
// (shared/idp-behaviour.md H4–H7, H19, HX3, HX5) and the calls of the
// target's own API that show them. A rule without its call is skipped.
type Rules struct {
	// ProfileReadOnly: SCIM may change only active and externalId of an
	// invited member; name, email and userName stay the person's (HX3,
	// invitation model).
	ProfileReadOnly bool `yaml:"profileReadOnly"`
	// Login signs in as {{userName}} without SSO (the account's own
	// password): 2xx when allowed, 4xx when refused. A personal account
	// keeps it (H5); a managed one has only the IdP (H4).
	Login *Call `yaml:"login"`
	// OrgContent creates private content inside the organisation as the
	// member, PublicContent public content (H6: refused for a managed
	// user), ReadContent reads what OrgContent made (2xx, 404 once gone:
	// HX5).
	OrgContent    *Call `yaml:"orgContent"`
	PublicContent *Call `yaml:"publicContent"`
	ReadContent   *Call `yaml:"readContent"`
	// JoinOtherOrg makes the member join another organisation (H7:
	// refused for a managed user).
	JoinOtherOrg *Call `yaml:"joinOtherOrg"`
	// AddCollaborator adds the personal account {{userName}} as an
	// external collaborator on the organisation's resources (H19: allowed
	// in both models).
	AddCollaborator *Call `yaml:"addCollaborator"`
}

func (r *Rules) validate() error {
	var errs []error
	for _, c := range []struct {
		field string
		call  *Call
	}{{"login", r.Login}, {"orgContent", r.OrgContent}, {"publicContent", r.PublicContent},
		{"readContent", r.ReadContent}, {"joinOtherOrg", r.JoinOtherOrg}, {"addCollaborator", r.AddCollaborator}} {
		if c.call != nil {
			errs = append(errs, c.call.check("lifecycle.rules."+c.field))
		}
	}
	if r.ReadContent != nil && r.OrgContent == nil {
		errs = append(errs, errors.New("lifecycle.rules.readContent needs orgContent: it reads what orgContent made"))
	}
	return errors.Join(errs...)
}

// ResourceGroups is how the harness reaches the target's resource groups
// (HX4, HX6): a scenario makes its own empty one named {{group}}, links a
// SCIM group ({{groupId}}) to it with a role ({{role}}), and lists its
// members.
type ResourceGroups struct {
	Create Call `yaml:"create"` // an empty resource group {{group}}, without auto-join
	Delete Call `yaml:"delete"` // removes it after the scenario
	// Members answers 2xx + JSON whose MembersField lists the members:
	// objects with UserNameField and RoleField, or plain userNames.
	Members       Call   `yaml:"members"`
	MembersField  string `yaml:"membersField"`  // default members
	UserNameField string `yaml:"userNameField"` // default userName
	RoleField     string `yaml:"roleField"`     // default role
	Add           Call   `yaml:"add"`           // a manual change: adds {{userName}} with {{role}}
	Remove        Call   `yaml:"remove"`        // a manual change: removes {{userName}}
	Link          Call   `yaml:"link"`          // links the SCIM group {{groupId}} with {{role}}
	SetRole       Call   `yaml:"setRole"`       // changes the linked SCIM group's role to {{role}}
	// Roles are two roles of the target: scenarios link with the first and
	// change to the second.
	Roles []string `yaml:"roles"`
}

func (g *ResourceGroups) setDefaults() {
	if g.MembersField == "" {
		g.MembersField = "members"
	}
	if g.UserNameField == "" {
		g.UserNameField = "userName"
	}
	if g.RoleField == "" {
		g.RoleField = "role"
	}
}

func (g *ResourceGroups) validate() error {
	var errs []error
	for _, c := range []struct {
		field string
		call  *Call
	}{{"create", &g.Create}, {"delete", &g.Delete}, {"members", &g.Members}, {"add", &g.Add},
		{"remove", &g.Remove}, {"link", &g.Link}, {"setRole", &g.SetRole}} {
		errs = append(errs, c.call.check("resourceGroups."+c.field))
	}
	if len(g.Roles) != 2 || g.Roles[0] == g.Roles[1] || slices.Contains(g.Roles, "") {
		errs = append(errs, fmt.Errorf("resourceGroups.roles: give two different roles (link with the first, change to the second), not %v", g.Roles))
	}
	return errors.Join(errs...)
}
