package target

import (
	"testing"

	"github.com/idpconform/idpconform/internal/username"
)

// TestHubUserNameRule: under the hub's rule (HX1) a userName with another
// character, "--" or '-' at an end is refused with 400 invalidValue on
// create, PUT and PATCH, and the policy is published; without the rule
// the same names are stored.
func TestHubUserNameRule(t *testing.T) {
	hub, err := New(Options{Token: testToken, Usernames: username.Hub})
	if err != nil {
		t.Fatal(err)
	}
	c := &tclient{t: t, srv: hub}
	id := c.createUser(user("Ada-Lovelace"))
	for _, name := range []string{"ada.lovelace", "ada--lovelace", "-ada", "ada-", "ada_l", "zoë"} {
		for _, r := range []reply{
			c.do("POST", "/Users", user(name)),
			c.do("PUT", "/Users/"+id, user(name)),
			c.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "replace", "path": "userName", "value": name})),
		} {
			if r.code != 400 || r.str("scimType") != "invalidValue" {
				t.Errorf("userName %q: %d %s, want 400 invalidValue", name, r.code, r.raw)
			}
		}
		newTarget(t).do("POST", "/Users", user(name)).want(t, 201)
	}
	if got := readUser(c, id).str("userName"); got != "Ada-Lovelace" {
		t.Errorf("the refused renames changed the userName to %q", got)
	}
	if p, _ := c.do("GET", "/ServiceProviderConfig", nil).want(t, 200).at(UsernamePolicyURN).(map[string]any); p["rule"] != username.Hub {
		t.Errorf("the published policy %v names no hub rule", p)
	}
	if _, err := New(Options{Token: testToken, Usernames: "github"}); err == nil {
		t.Error("an unknown rule was accepted")
	}
}
