package steps

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// Without a scim section a SCIM request is never sent: the step skips
// with the reason.
func TestNoSCIMSkips(t *testing.T) {
	w := newWorld(Deps{}, transcript.New(nil))
	_, err := w.do(context.Background(), scim.Request{Method: "GET", Path: "/Users"})
	if !errors.Is(err, godog.ErrSkip) || err.Error() != "skipped: "+NoSCIM {
		t.Errorf("err = %v, want a skip saying %q", err, NoSCIM)
	}
}

// Test users are taken in order; an alias extending another takes the
// account whose NameID extends that one's; too few accounts skip.
func TestBindTestUsers(t *testing.T) {
	sso := &SSO{Profile: profile.SSO{Users: profile.UsersPreexisting, TestUsers: []profile.TestUser{
		{NameID: "ada@x.example", Email: "ada@x.example"}, {NameID: "ada@x.example.evil.com"}, {NameID: "bob@x.example"},
	}}}
	w := newWorld(Deps{SSO: sso}, transcript.New(nil))
	w.tags = []string{"sso", "saml"}
	w.sso = &ssoState{}
	var got []string
	for _, alias := range []string{"victim", "mallory", "victim.evil.com"} {
		u, err := w.bindTestUser(alias)
		if err != nil {
			t.Fatalf("%s: %v", alias, err)
		}
		got = append(got, u.UserName)
	}
	if strings.Join(got, " ") != "ada@x.example bob@x.example ada@x.example.evil.com" {
		t.Errorf("bound %v; the .evil.com account is kept for victim.evil.com", got)
	}
	if p, err := w.asserted("mallory"); err != nil || p.UserName != got[1] {
		t.Errorf("person(mallory) = %v, %v", p, err)
	}
	if _, err := w.bindTestUser("grace"); !errors.Is(err, godog.ErrSkip) || !strings.Contains(err.Error(), "needs more accounts than the 3 in sso.testUsers") {
		t.Errorf("a fourth alias: %v", err)
	}
	if _, err := w.asserted("nobody"); !errors.Is(err, godog.ErrSkip) {
		t.Errorf("an unbound alias: %v", err)
	}
	if ok, _ := w.isPerson("ADA@x.example", "victim"); !ok {
		t.Error("the session's userName in another case is still the victim")
	}
	// In an @scim scenario users come from SCIM, whatever sso.users says.
	w.tags = append(w.tags, "scim")
	if w.usersFrom() != profile.UsersSCIM {
		t.Errorf("usersFrom = %q in an @scim scenario", w.usersFrom())
	}
}
