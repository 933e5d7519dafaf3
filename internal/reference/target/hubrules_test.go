package target

import (
	"net/http"
	"testing"
)

const rgPath = HubResourceGroupsPath + "/rg"

// linked makes the resource group rg, linked with the role read to a new
// SCIM group holding ada, and returns the group's id and ada's.
func (c *tclient) linked() (group, ada string) {
	c.t.Helper()
	ada = c.createUser(user("ada"))
	group = c.createGroup("team", ada)
	c.hubDo("POST", HubResourceGroupsPath, map[string]any{"name": "rg"}).want(c.t, http.StatusCreated)
	c.hubDo("PUT", rgPath+"/link", map[string]any{"scimGroup": group, "role": "read"}).want(c.t, http.StatusOK)
	return group, ada
}

// rgMembers lists the resource group rg as "userName:role".
func (c *tclient) rgMembers() []string {
	var out []string
	for _, m := range c.hubDo("GET", rgPath+"/members", nil).want(c.t, http.StatusOK).list("members") {
		out = append(out, dig(m, "userName").(string)+":"+dig(m, "role").(string))
	}
	return out
}

func init() {
	for name, probe := range map[string]func(c *tclient) any{
		ManagedPasswordLogin: func(c *tclient) any {
			c.createUser(user("ada"))
			return c.hubDo("POST", HubLoginPath, map[string]any{"userName": "ada"}).code
		},
		InvitedAccountLosesOwnLogin: func(c *tclient) any {
			c = c.invitationTwin()
			c.invited("ada")
			return c.hubDo("POST", HubLoginPath, map[string]any{"userName": "ada"}).code
		},
		DeactivationDeletesContent: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.hubDo("POST", HubReposPath, map[string]any{"owner": "ada", "name": "m", "private": true}).want(c.t, http.StatusCreated)
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false))).want(c.t, http.StatusOK)
			return c.hubDo("GET", HubReposPath+"/m", nil).code
		},
		ManagedPublicContent: func(c *tclient) any {
			c.createUser(user("ada"))
			return c.hubDo("POST", HubReposPath, map[string]any{"owner": "ada", "name": "m", "private": false}).code
		},
		ManagedUserJoinsOtherOrg: func(c *tclient) any {
			c.createUser(user("ada"))
			return c.hubDo("POST", HubOrgsPath+"/other/members", map[string]any{"userName": "ada"}).code
		},
		ExternalCollaboratorRefused: func(c *tclient) any {
			c.signUp("eve")
			return c.hubDo("POST", HubCollaboratorsPath, map[string]any{"userName": "eve"}).code
		},
		SCIMEditsPersonalProfile: func(c *tclient) any {
			c = c.invitationTwin()
			return c.do("PATCH", "/Users/"+c.invited("ada"), patchOp(op("replace", "name.givenName", "X"))).code
		},
		ExternalIDReadOnly: func(c *tclient) any {
			c = c.invitationTwin()
			return c.do("PATCH", "/Users/"+c.invited("ada"), patchOp(op("replace", "externalId", "x2"))).code
		},
		DeprovisionKeepsResourceGroups: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.hubDo("POST", HubResourceGroupsPath, map[string]any{"name": "rg"}).want(c.t, http.StatusCreated)
			c.hubDo("POST", rgPath+"/members", map[string]any{"userName": "ada", "role": "read"}).want(c.t, http.StatusCreated)
			c.do("DELETE", "/Users/"+id, nil).want(c.t, http.StatusNoContent)
			return c.rgMembers()
		},
		ManagedDeleteKeepsContent: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.hubDo("POST", HubReposPath, map[string]any{"owner": "ada", "name": "m", "private": true}).want(c.t, http.StatusCreated)
			c.do("DELETE", "/Users/"+id, nil).want(c.t, http.StatusNoContent)
			return c.hubDo("GET", HubReposPath+"/m", nil).code
		},
		LinkSkipsBackfill: func(c *tclient) any { c.linked(); return c.rgMembers() },
		LinkedGroupIgnoresNewMembers: func(c *tclient) any {
			group, _ := c.linked()
			bob := c.createUser(user("bob"))
			c.do("PATCH", "/Groups/"+group, patchOp(op("add", "members", []any{map[string]any{"value": bob}}))).want(c.t, http.StatusOK)
			return c.rgMembers()
		},
		LeaverKeepsResourceGroup: func(c *tclient) any {
			group, ada := c.linked()
			c.do("PATCH", "/Groups/"+group, patchOp(op("remove", `members[value eq "`+ada+`"]`, nil))).want(c.t, http.StatusOK)
			return c.rgMembers()
		},
		GroupDeleteKeepsResourceMembers: func(c *tclient) any {
			group, _ := c.linked()
			c.do("DELETE", "/Groups/"+group, nil).want(c.t, http.StatusNoContent)
			return c.rgMembers()
		},
		RoleChangeSkipsMembers: func(c *tclient) any {
			c.linked()
			c.hubDo("PATCH", rgPath+"/link", map[string]any{"role": "write"}).want(c.t, http.StatusOK)
			return c.rgMembers()
		},
		ManualChangeToSCIMGroup: func(c *tclient) any {
			c.linked()
			return c.hubDo("DELETE", rgPath+"/members/ada", nil).code
		},
		LinksNonEmptyResourceGroup: func(c *tclient) any {
			group := c.createGroup("team")
			c.createUser(user("bob"))
			c.hubDo("POST", HubResourceGroupsPath, map[string]any{"name": "rg"}).want(c.t, http.StatusCreated)
			c.hubDo("POST", rgPath+"/members", map[string]any{"userName": "bob", "role": "read"}).want(c.t, http.StatusCreated)
			return c.hubDo("PUT", rgPath+"/link", map[string]any{"scimGroup": group, "role": "read"}).code
		},
	} {
		probes[name] = probe
	}
}

// TestHubRules walks the clean hub through its rules once.
func TestHubRules(t *testing.T) {
	c := newTarget(t)
	c.signUp("eve")
	if code := c.hubDo("POST", HubLoginPath, map[string]any{"userName": "eve"}).code; code != http.StatusOK {
		t.Errorf("a personal account's own login: %d", code)
	}
	group, _ := c.linked()
	if got := c.rgMembers(); len(got) != 1 || got[0] != "ada:read" {
		t.Errorf("after linking: %v", got)
	}
	if code := c.hubDo("POST", rgPath+"/members", map[string]any{"userName": "ada", "role": "write"}).code; code != http.StatusForbidden {
		t.Errorf("a manual add to a linked resource group: %d", code)
	}
	c.do("DELETE", "/Groups/"+group, nil).want(t, http.StatusNoContent)
	if got := c.rgMembers(); len(got) != 0 {
		t.Errorf("after deleting the linked group: %v", got)
	}
	c.hubDo("DELETE", rgPath, nil).want(t, http.StatusNoContent)
	inv := c.invitationTwin()
	id := inv.invited("bob")
	inv.do("PATCH", "/Users/"+id, patchOp(op("replace", "externalId", "x9"))).want(t, http.StatusOK)
	if r := inv.do("PUT", "/Users/"+id, with(user("bob"), "displayName", "Other")); r.code != http.StatusBadRequest || r.scimType() != "mutability" {
		t.Errorf("a PUT renaming an invited member: %d %s", r.code, r.raw)
	}
}
