package profile

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

func TestLifecycleExamples(t *testing.T) {
	t.Setenv("SCIM_TOKEN", "tok")
	inv, err := Load("../../fixtures/targets/invitation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := inv.Lifecycle
	if l.Mode != ModeInvitation || l.Accept == nil || l.Accept.Automatic || l.Membership.Probe == nil || l.Accounts.ActiveField != "active" {
		t.Errorf("invitation lifecycle: %+v", l)
	}
	man, err := Load("../../fixtures/targets/managed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if man.Lifecycle.Mode != ModeManaged || man.Roles == nil || man.Roles.Rank("admin") != 0 || man.Roles.RoleField != "role" {
		t.Errorf("managed: %+v %+v", man.Lifecycle, man.Roles)
	}
	if r := man.Lifecycle.Rules; r == nil || r.ProfileReadOnly || r.Login == nil || r.ReadContent == nil || man.ResourceGroups == nil ||
		man.ResourceGroups.MembersField != "members" || !inv.Lifecycle.Rules.ProfileReadOnly || inv.ResourceGroups.Roles[1] != "write" {
		t.Errorf("hub rules: %+v %+v", man.Lifecycle.Rules, man.ResourceGroups)
	}
}

func TestAcceptAutomatic(t *testing.T) {
	base := "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    token: t\nlifecycle:\n  mode: invitation\n" +
		"  accounts:\n    create: {url: 'http://127.0.0.1:1/a', body: '{}'}\n    read: {url: 'http://127.0.0.1:1/a/{{userName}}'}\n" +
		"  membership: {attribute: x}\n"
	p, err := Parse([]byte(base + "  accept: automatic\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Lifecycle.Accept.Automatic {
		t.Errorf("accept: %+v", p.Lifecycle.Accept)
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"accept word", base + "  accept: sometimes\n", `"sometimes": give automatic or an HTTP call`},
		{"accept typo", base + "  accept: {url: 'http://127.0.0.1:1/x', metod: POST}\n", "field metod not found"},
		{"placeholder", base + "  accept: {url: 'http://127.0.0.1:1/{{login}}'}\n", "unknown placeholder {{login}}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLifecycleErrors(t *testing.T) {
	base := "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    token: t\n"
	for _, tc := range []struct{ name, doc, want string }{
		{"no mode", "lifecycle: {}\n", "lifecycle.mode is required: managed or invitation"},
		{"bad mode", "lifecycle: {mode: hybrid}\n", `lifecycle.mode "hybrid" is not managed or invitation`},
		{"invitation bare", "lifecycle: {mode: invitation}\n", "lifecycle.accounts.create is required in invitation mode"},
		{"membership both", "lifecycle: {mode: invitation, membership: {attribute: a, probe: {url: 'http://127.0.0.1:1/m'}}}\n", "exactly one of attribute or probe"},
		{"relative url", "lifecycle: {mode: managed, accounts: {read: {url: /hub/x}}}\n", "lifecycle.accounts.read.url"},
		{"rules placeholder", "lifecycle: {mode: managed, rules: {login: {url: 'http://127.0.0.1:1/{{who}}'}}}\n", "lifecycle.rules.login: unknown placeholder {{who}}"},
		{"readContent alone", "lifecycle: {mode: managed, rules: {readContent: {url: 'http://127.0.0.1:1/r'}}}\n", "readContent needs orgContent"},
		{"resource group roles", "resourceGroups: {roles: [read]}\n", "resourceGroups.roles: give two different roles"},
		{"roles empty", "roles: {probe: {url: 'http://127.0.0.1:1/r'}}\n", "at least one group → role mapping"},
		{"roles precedence", "roles: {mappings: [{group: '*a', role: admin}], probe: {url: 'http://127.0.0.1:1/r'}}\n", `does not list the role "admin"`},
		{"roles two stars", "roles: {mappings: [{group: '*a*', role: admin}], precedence: [admin], probe: {url: 'http://127.0.0.1:1/r'}}\n", "at most one *"},
		{"roles no probe", "roles: {mappings: [{group: '*a', role: admin}], precedence: [admin]}\n", "roles.probe.url is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(base + tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestCallRequest(t *testing.T) {
	c := Call{URL: "http://127.0.0.1:1/hub/{{userName}}/x?id={{id}}", Body: `{"userName": "{{userName}}", "email": "{{ email }}"}`,
		Headers: map[string]string{"X-User": "{{userName}}"}}
	req, err := c.Request(context.Background(), Vars{UserName: `a b/"c"`, Email: "a@x", ID: "42"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if req.Method != "POST" || req.URL.EscapedPath() != "/hub/a%20b%2F%22c%22/x" || req.URL.RawQuery != "id=42" {
		t.Errorf("request %s %s", req.Method, req.URL)
	}
	if string(body) != `{"userName": "a b/\"c\"", "email": "a@x"}` || req.Header.Get("X-User") != `a b/"c"` ||
		req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("body %s, headers %v", body, req.Header)
	}
}

func TestRoleMappingMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*admins", "idpc-x-ADMINS", true}, {"*admins", "admins-x", false}, {"team", "Team", true},
		{"a*z", "az", true}, {"ab*ba", "aba", false}, {"*research", "idpc-k3-research", true},
	} {
		if got := (RoleMapping{Group: tc.pattern}).Matches(tc.name); got != tc.want {
			t.Errorf("%q matches %q: %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

// TestREADMEHubSectionsLoad keeps the README's lifecycle (with its rules)
// and resourceGroups examples loading as written.
func TestREADMEHubSectionsLoad(t *testing.T) {
	t.Setenv("ADMIN_TOKEN", "t")
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rg, _ := strings.Cut(string(raw), "```yaml\nresourceGroups:")
	rg, _, _ = strings.Cut(rg, "\n```")
	doc := "scim:\n  url: http://127.0.0.1:1/scim/v2\n  auth:\n    token: t\n" +
		readmeBlock(t, "### Organisation lifecycle", 0) + "\nresourceGroups:" + rg + "\n"
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if r := p.Lifecycle.Rules; r == nil || !r.ProfileReadOnly || r.AddCollaborator == nil || p.ResourceGroups == nil || p.ResourceGroups.SetRole.Method != "PATCH" {
		t.Errorf("loaded %+v %+v", p.Lifecycle.Rules, p.ResourceGroups)
	}
}
