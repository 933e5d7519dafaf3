package env

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/idpconform/idpconform/internal/profile"
)

// listening lists the inodes of this process's listening TCP sockets, read
// from /proc: what a set-up left serving.
func listening(t *testing.T) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	ours := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			ours[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var out []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			// st 0A is LISTEN; field 9 is the inode.
			if len(f) > 9 && f[3] == "0A" && ours[f[9]] {
				out = append(out, f[9])
			}
		}
	}
	slices.Sort(out)
	return out
}

// noneLeft fails if a listener other than those in before remains.
func noneLeft(t *testing.T, before []string) {
	t.Helper()
	for _, l := range listening(t) {
		if !slices.Contains(before, l) {
			t.Errorf("socket %s still listening", l)
		}
	}
}

// TestStartAndClose: the built-in reference target and its IdPs serve
// until Close, and nothing serves after it.
func TestStartAndClose(t *testing.T) {
	before := listening(t)
	e, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Two managed instances, the invitation instance, the SAML IdP and the
	// OpenID Provider.
	if n := len(listening(t)) - len(before); n != 5 {
		t.Errorf("%d new listeners, want 5", n)
	}
	if !e.Target.Reference || e.IdPs == nil || len(e.Alternates) != 3 || e.Profile.SCIM.URL == "" {
		t.Errorf("env = %+v", e)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	noneLeft(t, before)
	if err := e.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// TestFailureHalfwayStopsEverything: a reference target that cannot start
// (an unknown fault) after its IdPs did leaves nothing listening.
func TestFailureHalfwayStopsEverything(t *testing.T) {
	before := listening(t)
	e, err := Start(context.Background(), Options{Faults: []string{"no-such-fault"}})
	if err == nil || e != nil || !strings.Contains(err.Error(), `unknown fault "no-such-fault"`) {
		t.Fatalf("Start = %v, %v; want the unknown fault", e, err)
	}
	noneLeft(t, before)
}

// interruptAt is a context whose Err says it was cancelled from its nth
// call on, as when Ctrl-C comes while Start is busy.
type interruptAt struct {
	context.Context
	n     int32
	calls atomic.Int32
}

func (c *interruptAt) Err() error {
	if c.calls.Add(1) >= c.n {
		return context.Canceled
	}
	return nil
}

// TestInterruptStopsEverything: Ctrl-C before or during the set-up ends
// Start with *Interrupted, saying when, and nothing left listening.
func TestInterruptStopsEverything(t *testing.T) {
	for n, when := range map[int32]string{1: "while its containers started", 2: "while it set up the target"} {
		t.Run(when, func(t *testing.T) {
			before := listening(t)
			e, err := Start(&interruptAt{Context: context.Background(), n: n}, Options{})
			var in *Interrupted
			if !errors.As(err, &in) || in.When != when || e != nil {
				t.Fatalf("Start = %v, %v; want interrupted %s", e, err, when)
			}
			noneLeft(t, before)
		})
	}
}

// TestProfileIdPs: a profile's sso section gets its fake IdPs on the
// addresses it names; an address taken is the run's SSO error, not a
// failed Start, so that the report says it as it says other SSO set-up
// errors.
func TestProfileIdPs(t *testing.T) {
	before := listening(t)
	p := profile.Profile{Name: "p", SSO: &profile.SSO{SAML: &profile.SAML{EntityID: "http://127.0.0.1:9/sp", ACSURL: "http://127.0.0.1:9/acs"}, OIDC: &profile.OIDC{}}}
	e, err := Start(context.Background(), Options{Profile: &p})
	if err != nil || e.IdPs == nil || e.SSOErr != nil {
		t.Fatalf("Start = %+v, %v", e, err)
	}
	if n := len(listening(t)) - len(before); n != 2 {
		t.Errorf("%d new listeners, want 2", n)
	}
	p.SSO.OIDC.OP.Listen = "127.0.0.1:" + strings.TrimPrefix(e.IdPs.(interface{ OIDCURL() string }).OIDCURL(), "http://127.0.0.1:")
	taken, err := Start(context.Background(), Options{Profile: &p})
	if err != nil || taken.SSOErr == nil || taken.IdPs != nil {
		t.Errorf("with the OP's address taken: Start = %+v, %v; want an SSO error", taken, err)
	}
	if err == nil {
		_ = taken.Close()
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	noneLeft(t, before)
}

// TestBadOptions are refused before anything starts.
func TestBadOptions(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		says string
	}{
		{Options{ProfilePath: "p.yaml", SCIMURL: "http://127.0.0.1:1/scim/v2"}, "exclude each other"},
		{Options{SCIMURL: "http://127.0.0.1:1/scim/v2", Token: "t", Faults: []string{"x"}}, "--fault applies"},
		{Options{SPPolicy: []string{"lax"}}, "--reference-sp"},
		{Options{Fakes: "cloud"}, "--fakes must be"},
		{Options{Image: ImageOptions{Port: 8080}}, "need --target-image"},
	} {
		before := listening(t)
		if e, err := Start(context.Background(), tc.o); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("Start(%+v) = %v, %v; want %q", tc.o, e, err, tc.says)
		}
		noneLeft(t, before)
	}
}
