package population

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/username"
)

func TestLoadAndMark(t *testing.T) {
	p, err := Load("")
	if err != nil || len(p.Users) == 0 || len(p.Groups) == 0 {
		t.Fatalf("the sample: %+v, %v", p, err)
	}
	first, group := p.Users[0].UserName, p.Groups[0].DisplayName
	p.Mark("idpc-x-")
	if p.Users[0].UserName != "idpc-x-"+first || p.Groups[0].DisplayName != "idpc-x-"+group {
		t.Errorf("Mark: %q, %q", p.Users[0].UserName, p.Groups[0].DisplayName)
	}
	if got := (User{GivenName: "Ada"}).DisplayName(); got != "Ada" {
		t.Errorf("DisplayName without a family name: %q", got)
	}
}

func TestLoadSaysWhichFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(bad, []byte(`{"users": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.HasPrefix(err.Error(), "users file:") {
		t.Errorf("a truncated file: %v", err)
	}
}

// A users file is streamed: every walk reads the users again, in order,
// and equals what Load reads; a walk can stop early; a file that breaks
// off inside the users is an error naming the user.
func TestOpenStreamsTheFile(t *testing.T) {
	want, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	for walk := range 2 {
		got, err := s.Collect()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("walk %d: %+v, %v; want %+v", walk, got, err, want)
		}
	}
	n := 0
	if err := s.Each(func(User) bool { n++; return false }); err != nil || n != 1 {
		t.Errorf("a walk stopped after one user: %d users, %v", n, err)
	}
	s.Mark("idpc-x-")
	got, _ := s.Collect()
	if got.Users[0].UserName != "idpc-x-"+want.Users[0].UserName || got.Groups[0].DisplayName != "idpc-x-"+want.Groups[0].DisplayName {
		t.Errorf("Mark: %q, %q", got.Users[0].UserName, got.Groups[0].DisplayName)
	}

	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(cut, []byte(`{"groups": [], "users": [{"key": "a", "userName": "a@example.com"}, {"key": "b", "user`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(cut); err == nil || !strings.Contains(err.Error(), "user 2") {
		t.Errorf("a file cut inside the second user: %v", err)
	}
	notObject := filepath.Join(dir, "list.json")
	if err := os.WriteFile(notObject, []byte(`[{"key": "a"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(notObject); err == nil || !strings.HasPrefix(err.Error(), "users file:") {
		t.Errorf("a file that is not an object: %v", err)
	}
}

// Generated users are the same for the same seed and n, on every walk,
// different for another seed, unique, and their userNames, marked as a
// run marks them, pass the rule they were made for and fit the length.
func TestGenerate(t *testing.T) {
	const n, marker = 500, "idpc-3fa9c1d2-"
	for _, rule := range append([]string{""}, username.Rules...) {
		for _, maxLen := range []int{0, 42 - len(marker), 4} {
			checkGenerated(t, n, rule, maxLen, marker)
		}
	}
	if got, _ := Generate(1, 1, username.Hub, 0).Collect(); !strings.HasSuffix(got.Users[0].UserName, "1") || strings.ContainsAny(got.Users[0].UserName, "@.") {
		t.Errorf("a Hub name: %q", got.Users[0].UserName)
	}
}

func checkGenerated(t *testing.T, n int, rule string, maxLen int, marker string) {
	t.Helper()
	{
		a, _ := Generate(n, 7, rule, maxLen).Collect()
		b, _ := Generate(n, 7, rule, maxLen).Collect()
		c, _ := Generate(n, 8, rule, maxLen).Collect()
		if len(a.Users) != n || !reflect.DeepEqual(a, b) {
			t.Fatalf("rule %q: seed 7 twice: %d users, equal %v", rule, len(a.Users), reflect.DeepEqual(a, b))
		}
		if reflect.DeepEqual(a, c) {
			t.Errorf("rule %q: seeds 7 and 8 make the same users", rule)
		}
		marked := Generate(n, 7, rule, maxLen)
		marked.Mark(marker)
		seen := map[string]bool{}
		_ = marked.Each(func(u User) bool {
			if err := username.Check(rule, u.UserName); err != nil {
				t.Errorf("rule %q: %q: %v", rule, u.UserName, err)
			}
			if maxLen > 0 && len(u.UserName) > maxLen+len(marker) {
				t.Errorf("%q is longer than %d", u.UserName, maxLen+len(marker))
			}
			if seen[u.UserName] || seen[u.Key] || u.GivenName == "" || u.Email == "" {
				t.Errorf("rule %q: %+v repeats or lacks a name", rule, u)
			}
			seen[u.UserName], seen[u.Key] = true, true
			return true
		})
	}
}
