package samlidp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newTestIdP(t *testing.T) *IdP {
	t.Helper()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	idp, err := New(Options{BaseURL: "http://127.0.0.1:9999", Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return idp
}

func TestPipelineSignsWithSHA256AtTheInjectedTime(t *testing.T) {
	idp := newTestIdP(t)
	var stages []Stage
	d, err := idp.Issue(User{UserName: "ada@example.com"}, Request{SPEntityID: "sp", ACSURL: "http://127.0.0.1:1/acs", RequestID: "r1"},
		TamperFunc(func(s Stage, _ *Draft) error { stages = append(stages, s); return nil }))
	if err != nil {
		t.Fatal(err)
	}
	x := string(d.XML)
	for _, want := range []string{"rsa-sha256", "xmlenc#sha256", `InResponseTo="r1"`, `IssueInstant="2026-01-02T03:04:05`, "ada@example.com"} {
		if !strings.Contains(x, want) {
			t.Errorf("response lacks %q", want)
		}
	}
	if len(stages) != 4 {
		t.Errorf("stages %v", stages)
	}
	if idp.Last() != d {
		t.Error("Last is not the issued draft")
	}
}

func TestWriteMetadata(t *testing.T) {
	idp := newTestIdP(t)
	path := filepath.Join(t.TempDir(), "idp.xml")
	if err := idp.WriteMetadata(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), idp.EntityID()) || !strings.Contains(string(b), "X509Certificate") {
		t.Fatalf("metadata: %s", b)
	}
}

func TestAttackTable(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Attacks() {
		if seen[a.ID] || a.Description == "" {
			t.Errorf("attack %q duplicated or undescribed", a.ID)
		}
		seen[a.ID] = true
	}
	if _, err := AttackByID("nope"); err == nil {
		t.Error("unknown id accepted")
	}
	if _, err := ProfileByName("google"); err != nil || Google.GroupCap != 75 {
		t.Error("google profile")
	}
}
