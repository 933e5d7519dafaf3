package target

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// hubDo calls the hub's administration API (not under /scim/v2).
func (c *tclient) hubDo(method, path string, body any) reply {
	c.t.Helper()
	var rd *strings.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = strings.NewReader(string(j))
	} else {
		rd = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, req)
	r := reply{code: w.Code, header: w.Header(), raw: w.Body.String()}
	_ = json.Unmarshal(w.Body.Bytes(), &r.body)
	return r
}

// invitationTwin is a fresh invitation-mode target with c's faults.
func (c *tclient) invitationTwin() *tclient {
	c.t.Helper()
	var faults []string
	for f := range c.srv.faults {
		faults = append(faults, f)
	}
	srv, err := New(Options{Token: testToken, Faults: faults, Mode: ModeInvitation})
	if err != nil {
		c.t.Fatal(err)
	}
	return &tclient{t: c.t, srv: srv}
}

func (c *tclient) signUp(name string) {
	c.t.Helper()
	c.hubDo("POST", HubAccountsPath, map[string]any{"userName": name, "email": name + "@example.org"}).want(c.t, http.StatusCreated)
}

func (c *tclient) memberState(name string) string {
	return c.hubDo("GET", HubMembersPath+"/"+url.PathEscape(name), nil).str("state")
}

func (c *tclient) role(name string) any {
	r := c.hubDo("GET", HubMembersPath+"/"+url.PathEscape(name), nil)
	return []any{r.at("role"), r.at("resourceGroups")}
}

func (c *tclient) accept(name string) int {
	return c.hubDo("POST", HubInvitationsPath+"/"+url.PathEscape(name)+"/accept", nil).code
}

// invited signs name up, invites it and returns the SCIM id.
func (c *tclient) invited(name string) string {
	c.signUp(name)
	return c.createUser(user(name))
}

func membershipOf(r reply) any {
	ext, _ := r.body[HubExtensionURN].(map[string]any)
	return ext["membership"]
}

func init() {
	for name, probe := range map[string]func(c *tclient) any{
		UsernameLowercased: func(c *tclient) any { return c.do("POST", "/Users", user("Ada.Lovelace")).str("userName") },
		UsernameNFKCFolded: func(c *tclient) any { return c.do("POST", "/Users", user("ｆｕｌｌ")).str("userName") },
		UsernameLengthInBytes: func(c *tclient) any {
			return c.do("POST", "/Users", user(strings.Repeat("é", MaxUserName))).code
		},
		UsernameFilterFoldsConfusables: func(c *tclient) any {
			c.createUser(user("paypal"))
			c.createUser(user("pаypal")) // Cyrillic а
			return filterTotal(c, `userName eq "paypal"`)
		},
		RenameSkipsUniqueness: func(c *tclient) any {
			c.createUser(user("ada"))
			return c.do("PUT", "/Users/"+c.createUser(user("bob")), user("ada")).code
		},
		RenameSkipsUsernamePolicy: func(c *tclient) any {
			return c.do("PUT", "/Users/"+c.createUser(user("ada")), user("12345")).code
		},
		InvitationCountsAsMember: func(c *tclient) any {
			c = c.invitationTwin()
			c.invited("ada")
			return c.memberState("ada")
		},
		AcceptanceIgnored: func(c *tclient) any {
			c = c.invitationTwin()
			c.invited("ada")
			c.accept("ada")
			return c.memberState("ada")
		},
		UnknownAccount500: func(c *tclient) any { return c.invitationTwin().do("POST", "/Users", user("nobody")).code },
		ReinviteResetsToPending: func(c *tclient) any {
			c = c.invitationTwin()
			c.invited("ada")
			c.accept("ada")
			c.do("POST", "/Users", user("ada"))
			return c.memberState("ada")
		},
		CancelledInvitationBlocksReinvite: func(c *tclient) any {
			c = c.invitationTwin()
			c.do("DELETE", "/Users/"+c.invited("ada"), nil).want(c.t, http.StatusNoContent)
			return c.do("POST", "/Users", user("ada")).code
		},
		CancelledInvitationAcceptable: func(c *tclient) any {
			c = c.invitationTwin()
			c.do("DELETE", "/Users/"+c.invited("ada"), nil).want(c.t, http.StatusNoContent)
			return []any{c.accept("ada"), c.memberState("ada")}
		},
		DeprovisionDeletesAccount: func(c *tclient) any {
			c = c.invitationTwin()
			id := c.invited("ada")
			c.accept("ada")
			c.do("DELETE", "/Users/"+id, nil).want(c.t, http.StatusNoContent)
			return c.hubDo("GET", HubAccountsPath+"/ada", nil).code
		},
		DeactivatedMemberKeepsAccess: func(c *tclient) any {
			c = c.invitationTwin()
			id := c.invited("ada")
			c.accept("ada")
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false))).want(c.t, http.StatusOK)
			return c.memberState("ada")
		},
		DeactivatedAccountUsable: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false))).want(c.t, http.StatusOK)
			return c.hubDo("GET", HubAccountsPath+"/ada", nil).at("active")
		},
		ReactivateClearsProfile: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false))).want(c.t, http.StatusOK)
			c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", true))).want(c.t, http.StatusOK)
			return readUser(c, id).at("displayName")
		},
		DeleteKeepsAccount: func(c *tclient) any {
			c.do("DELETE", "/Users/"+c.createUser(user("ada")), nil).want(c.t, http.StatusNoContent)
			return c.hubDo("GET", HubAccountsPath+"/ada", nil).code
		},
		ListShowsDeactivatedActive: func(c *tclient) any {
			c.createUser(with(user("ada"), "active", false))
			return c.do("GET", "/Users?filter="+url.QueryEscape(`active eq false`), nil).at("Resources.0.active")
		},
		RoleKeptAfterGroupRemoval: func(c *tclient) any {
			id := c.createUser(user("ada"))
			gid := c.createGroup("ops-admins", id)
			before := c.role("ada")
			c.do("PATCH", "/Groups/"+gid, patchOp(op("remove", `members[value eq "`+id+`"]`, nil))).want(c.t, http.StatusOK)
			return []any{before, c.role("ada")}
		},
		RolesLowestWins: func(c *tclient) any {
			id := c.createUser(user("ada"))
			c.createGroup("ops-admins", id)
			c.createGroup("lab-research", id)
			return c.role("ada")
		},
		DefaultRoleMissing: func(c *tclient) any {
			c.createUser(user("ada"))
			return c.role("ada")
		},
		ResourceGroupsIgnored: func(c *tclient) any {
			c.createGroup("lab-research", c.createUser(user("ada")))
			return c.role("ada")
		},
	} {
		probes[name] = probe
	}
}

func TestInvitationLifecycle(t *testing.T) {
	c := newTarget(t).invitationTwin()
	if r := c.do("POST", "/Users", user("nobody")); r.code != http.StatusBadRequest || r.scimType() != "invalidValue" {
		t.Fatalf("invite of an unknown account: %d %s", r.code, r.raw)
	}
	id := c.invited("ada")
	if got := membershipOf(readUser(c, id)); got != StatePending {
		t.Errorf("membership attribute %q, want pending", got)
	}
	if st := c.memberState("ada"); st != StatePending {
		t.Errorf("state before acceptance %q", st)
	}
	if got := c.role("ada"); got.([]any)[0] != nil {
		t.Errorf("a pending invitation has a role: %v", got)
	}
	if r := c.do("POST", "/Users", user("ADA")); r.code != http.StatusConflict {
		t.Errorf("second invite: %d %s", r.code, r.raw)
	}
	if code := c.accept("ada"); code != http.StatusOK || c.memberState("ada") != StateMember {
		t.Errorf("accept: %d, state %q", code, c.memberState("ada"))
	}
	if got := membershipOf(readUser(c, id)); got != StateMember {
		t.Errorf("membership attribute after acceptance %q", got)
	}
	c.do("DELETE", "/Users/"+id, nil).want(t, http.StatusNoContent)
	if code := c.hubDo("GET", HubMembersPath+"/ada", nil).code; code != http.StatusNotFound {
		t.Errorf("member view after deprovisioning: %d", code)
	}
	acct := c.hubDo("GET", HubAccountsPath+"/ada", nil).want(t, http.StatusOK)
	if acct.str("organisation") != StateNone || acct.at("active") != true {
		t.Errorf("the personal account after deprovisioning: %s", acct.raw)
	}

	// Cancel before acceptance, then invite again.
	id = c.createUser(user("ada"))
	c.do("DELETE", "/Users/"+id, nil).want(t, http.StatusNoContent)
	if code := c.accept("ada"); code != http.StatusNotFound {
		t.Errorf("accepting a cancelled invitation: %d", code)
	}
	c.createUser(user("ada"))
	if st := c.memberState("ada"); st != StatePending {
		t.Errorf("re-invited: %q", st)
	}
	c.hubDo("DELETE", HubAccountsPath+"/ada", nil).want(t, http.StatusNoContent)
	if st := c.srv.Stats(); st.Accounts != 0 {
		t.Errorf("closing the account left %+v", st)
	}
}

func TestManagedLifecycle(t *testing.T) {
	c := newTarget(t)
	id := c.createUser(user("ada"))
	if r := c.hubDo("POST", HubAccountsPath, map[string]any{"userName": "ADA"}); r.code != http.StatusConflict {
		t.Errorf("sign-up with a managed user's name: %d", r.code)
	}
	if c.hubDo("GET", HubAccountsPath+"/ADA", nil).want(t, http.StatusOK).at("active") != true {
		t.Error("a new managed account is not active")
	}
	c.do("PATCH", "/Users/"+id, patchOp(op("replace", "active", false))).want(t, http.StatusOK)
	if c.hubDo("GET", HubAccountsPath+"/ada", nil).at("active") != false || c.memberState("ada") != StateSuspended {
		t.Error("a deactivated managed account is still usable")
	}
	c.do("DELETE", "/Users/"+id, nil).want(t, http.StatusNoContent)
	if code := c.hubDo("GET", HubAccountsPath+"/ada", nil).code; code != http.StatusNotFound {
		t.Errorf("account after delete: %d", code)
	}
}

func TestRoleMapping(t *testing.T) {
	c := newTarget(t)
	id := c.createUser(user("ada"))
	if got := c.role("ada"); got.([]any)[0] != DefaultRole {
		t.Errorf("no mapped group: %v", got)
	}
	ops := c.createGroup("x-ops-admins", id)
	lab := c.createGroup("x-lab-research", id)
	r := c.hubDo("GET", HubMembersPath+"/ada", nil)
	if r.at("role") != "admin" || !slices.Contains(r.list("resourceGroups"), any("research")) {
		t.Errorf("two mapped groups: %s", r.raw)
	}
	c.do("PATCH", "/Groups/"+ops, patchOp(op("replace", "displayName", "x-ops-unmapped"))).want(t, http.StatusOK)
	if got := c.role("ada"); got.([]any)[0] != "write" {
		t.Errorf("after renaming the admin group: %v", got)
	}
	c.do("DELETE", "/Groups/"+lab, nil).want(t, http.StatusNoContent)
	if got := c.role("ada"); got.([]any)[0] != DefaultRole || len(got.([]any)[1].([]any)) != 0 {
		t.Errorf("after deleting the research group: %v", got)
	}
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{{"*admins", "idpc-x-ADMINS", true}, {"*admins", "admins-x", false}, {"team", "Team", true}, {"a*z", "az", true}, {"ab*ba", "aba", false}} {
		if got := matchGroup(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchGroup(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}

func TestRequireSSO(t *testing.T) {
	srv, err := New(Options{Token: testToken, RequireSSO: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &tclient{t: t, srv: srv}
	r := c.do("GET", "/ServiceProviderConfig", nil)
	if r.code != http.StatusForbidden || !strings.Contains(r.str("detail"), "SSO") {
		t.Errorf("SCIM before SSO: %d %s", r.code, r.raw)
	}
	if _, err := New(Options{Token: testToken, Mode: "hybrid"}); err == nil || !strings.Contains(err.Error(), `"hybrid"`) {
		t.Errorf("unknown mode: %v", err)
	}
}
