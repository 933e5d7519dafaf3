package population

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
