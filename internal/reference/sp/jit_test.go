package sp_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

const jitUser = "grace@example.com"

func grace(groups ...string) samlidp.User {
	return samlidp.User{UserName: jitUser, Email: jitUser, GivenName: "Grace", FamilyName: "Hopper", Groups: groups}
}

func loginAs(t *testing.T, e *samlEnv, u samlidp.User) string {
	t.Helper()
	e.browser.Reset()
	e.idp.LoginAs(u)
	if _, err := e.login(t, false); err != nil {
		t.Fatal(err)
	}
	return whoami(t, e.browser, e.spURL)
}

func find(t *testing.T, e *samlEnv) (sp.User, bool) {
	t.Helper()
	u, err := e.dir.FindUser(context.Background(), jitUser)
	return u, err == nil
}

// TestJIT follows catalogue J-01..J-03 and J-08 with the Google profile.
func TestJIT(t *testing.T) {
	t.Run("first login creates, second updates, groups are replaced", func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, nil)
		if got := loginAs(t, e, grace("eng", "ops")); got != jitUser {
			t.Fatalf("first login: %q", got)
		}
		u, ok := find(t, e)
		if !ok || u.GivenName != "Grace" || u.FamilyName != "Hopper" || !u.Active || !slices.Equal(u.Groups, []string{"eng", "ops"}) {
			t.Fatalf("created: %+v", u)
		}
		changed := grace("ops")
		changed.GivenName = "Rear Admiral Grace"
		if got := loginAs(t, e, changed); got != jitUser {
			t.Fatalf("second login: %q", got)
		}
		u, _ = find(t, e)
		if u.GivenName != "Rear Admiral Grace" || !slices.Equal(u.Groups, []string{"ops"}) {
			t.Fatalf("updated: %+v", u)
		}
	})
	t.Run("JIT off creates nobody", func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.JIT = false })
		if got := loginAs(t, e, grace("eng")); got != "" {
			t.Fatalf("logged in as %q", got)
		}
		if _, ok := find(t, e); ok {
			t.Fatal("user created with JIT off")
		}
	})
	t.Run("deactivated user is refused and stays deactivated", func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, nil)
		e.dir.Put(sp.User{UserName: jitUser, Email: jitUser, Active: false})
		if got := loginAs(t, e, grace("eng")); got != "" {
			t.Fatalf("logged in as %q", got)
		}
		if u, _ := find(t, e); u.Active {
			t.Fatal("reactivated")
		}
	})
	t.Run("google caps groups at 75", func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, nil)
		var many []string
		for i := range 80 {
			many = append(many, fmt.Sprintf("g%02d", i))
		}
		loginAs(t, e, grace(many...))
		if u, _ := find(t, e); len(u.Groups) != 75 {
			t.Fatalf("%d groups", len(u.Groups))
		}
	})
}

func TestJITFaults(t *testing.T) {
	t.Run(sp.JITReactivates, func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = []string{sp.JITReactivates} })
		e.dir.Put(sp.User{UserName: jitUser, Email: jitUser, Active: false})
		if got := loginAs(t, e, grace("eng")); got != jitUser {
			t.Fatalf("logged in as %q", got)
		}
		if u, _ := find(t, e); !u.Active {
			t.Fatal("fault did not reactivate")
		}
	})
	t.Run(sp.JITAppendsGroups, func(t *testing.T) {
		e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = []string{sp.JITAppendsGroups} })
		loginAs(t, e, grace("eng", "ops"))
		loginAs(t, e, grace("ops"))
		if u, _ := find(t, e); !slices.Equal(u.Groups, []string{"eng", "ops"}) {
			t.Fatalf("groups %v", u.Groups)
		}
	})
}

// TestDeactivationEndsSessions: a session ends when the directory says the
// user is deactivated, unless the fault keeps it alive.
func TestDeactivationEndsSessions(t *testing.T) {
	for _, faults := range [][]string{nil, {sp.SessionsSurviveDeactivation}} {
		t.Run(fmt.Sprint(faults), func(t *testing.T) {
			e := newSAMLEnv(t, samlidp.Google, func(o *sp.Options) { o.Faults = faults })
			if got := loginAs(t, e, grace("eng")); got != jitUser {
				t.Fatalf("logged in as %q", got)
			}
			u, _ := find(t, e)
			u.Active = false
			e.dir.Put(u)
			got := whoami(t, e.browser, e.spURL)
			if survives := got == jitUser; survives != (faults != nil) {
				t.Fatalf("after deactivation the session is %q", got)
			}
		})
	}
}

// TestFaultTableIsCovered: every fault in the table is exercised here.
func TestFaultTableIsCovered(t *testing.T) {
	covered := map[string]bool{sp.JITReactivates: true, sp.JITAppendsGroups: true, sp.SessionsSurviveDeactivation: true}
	for f := range goodLoginBreakers {
		covered[f] = true
	}
	for _, fs := range letThrough {
		for _, f := range fs {
			covered[f] = true
		}
	}
	for _, f := range oidcLetThrough {
		covered[f] = true
	}
	for _, f := range sp.Faults() {
		if !covered[f.Name] {
			t.Errorf("fault %s has no test", f.Name)
		}
		if f.Description == "" || len(f.Clauses) == 0 {
			t.Errorf("fault %s: missing description or clauses", f.Name)
		}
	}
	if _, err := sp.New(sp.Options{BaseURL: "http://127.0.0.1:1", Faults: []string{"no-such-fault"}}); err == nil {
		t.Error("unknown fault accepted")
	}
}
