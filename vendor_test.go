package idpconform_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAVendorModule runs testdata/vendor, a module of its own that uses
// only the public API, as a vendor's CI would: offline (its go.sum is
// complete), once against the reference target as it is and once with a
// fault, whose subtest must fail saying what broke and why.
func TestAVendorModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the harness in a module of its own")
	}
	goTest := func(fault string) (string, error) {
		// -trimpath and no cgo, as make image builds: they share a build cache.
		cmd := exec.Command("go", "test", "-trimpath", "-count=1", "-run", "TestOktaConformance|TestEntraProvisionsAUser", "./...")
		cmd.Dir = "testdata/vendor"
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=readonly", "CGO_ENABLED=0", "IDPC_VENDOR_FAULT="+fault)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := goTest(""); err != nil {
		hint := ""
		if strings.Contains(out, "go mod tidy") || strings.Contains(out, "go.sum") {
			// The module requires what the root's go.mod requires.
			hint = "\nthe root's requirements changed: make vendor-module"
		}
		t.Fatalf("the vendor module fails against the reference target: %v\n%s%s", err, out, hint)
	}
	out, err := goTest("no-uniqueness")
	if err == nil {
		t.Fatalf("the vendor module passes against the reference target with the fault no-uniqueness:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestOktaConformance/okta/a_create_of_a_userName_the_target_holds_is_refused_with_409",
		"violation: RFC 7644 §3.3 Creating Resources",
		"Actual: the target created a second user",
		"-> 201 Created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the failing vendor test does not say %q:\n%s", want, out)
		}
	}
}
