package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/replay"
)

// TestRecordTheFakes records `fake okta` and `fake entra` against the
// reference target through `record`: the token they send never reaches the
// cassette, which replays against a fresh reference target with every
// status equal.
func TestRecordTheFakes(t *testing.T) {
	for _, kind := range []string{"okta", "entra"} {
		t.Run(kind, func(t *testing.T) { recordFake(t, kind) })
	}
}

func recordFake(t *testing.T, kind string) {
	const planted = "planted-fake-token-31337"
	running := listenReference(t, planted)
	out := filepath.Join(t.TempDir(), kind+".jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := make(chan string, 1), make(chan error, 1)
	var console strings.Builder
	go func() {
		done <- record(ctx, recordOptions{listen: "127.0.0.1:0", upstream: running.Base(), out: out, version: "test"}, &console,
			func(a string) { addr <- a })
	}()
	var proxy string
	select {
	case proxy = <-addr:
	case err := <-done:
		t.Fatal(err)
	}
	prof := filepath.Join(t.TempDir(), "target.yaml")
	yaml := fmt.Sprintf("name: through record\nscim:\n  url: http://%s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\n", proxy, planted)
	if err := os.WriteFile(prof, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, text := runCLI(t, "fake", kind, "--target", prof)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if code != ExitPassed {
		t.Fatalf("fake %s through record: exit %d\n%s", kind, code, text)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), planted) || strings.Contains(console.String(), planted) {
		t.Fatal("the planted token reached the cassette or the console")
	}
	if !strings.Contains(console.String(), "exchanges written to") {
		t.Errorf("record did not say what it wrote:\n%s", console.String())
	}

	fresh, err := target.New(target.Options{Token: "fresh-token"})
	if err != nil {
		t.Fatal(err)
	}
	running2, err := target.Listen("127.0.0.1:0", fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer running2.Close()
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := cassette.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(context.Background(), r, replay.Options{Base: running2.Base(), Header: http.Header{"Authorization": {"Bearer fresh-token"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent < 5 || res.Different != 0 || res.IDs == 0 {
		t.Fatalf("replayed %d exchanges, %d differ, %d ids mapped: %+v", res.Sent, res.Different, res.IDs, res.Differences)
	}
}

func TestRecordRefuses(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		args []string
		says string
	}{
		"existing cassette": {[]string{"--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1", "--out", existing}, "never overwritten"},
		"no host":           {[]string{"--listen", ":18090", "--upstream", "http://127.0.0.1:1", "--out", existing + "2"}, "empty host"},
		"bad upstream":      {[]string{"--upstream", "ftp://x", "--out", existing + "3"}, "want an http or https URL"},
		"no out":            {[]string{"--upstream", "http://127.0.0.1:1"}, "--out is required"},
	} {
		code, text := runCLI(t, append([]string{"record"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(text, c.says) {
			t.Errorf("%s: exit %d, want %d saying %q:\n%s", name, code, ExitUsage, c.says, text)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("the existing cassette changed")
	}
}

// TestReplayCommand replays a recorded Okta cycle against fresh built-in
// reference targets: clean, with a prefix, narrowed, and with a fault that
// changes a status (the difference is a finding with both exchanges).
func TestReplayCommand(t *testing.T) {
	const planted = "planted-okta-token-4242"
	running := listenReference(t, planted)
	out := filepath.Join(t.TempDir(), "okta.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- record(ctx, recordOptions{listen: "127.0.0.1:0", upstream: running.Base(), out: out, version: "test"}, io.Discard,
			func(a string) { addr <- a })
	}()
	proxy := <-addr
	prof := filepath.Join(t.TempDir(), "target.yaml")
	yaml := fmt.Sprintf("name: through record\nscim:\n  url: http://%s/scim/v2\n  auth:\n    token: %s\n  timeout: 5s\n", proxy, planted)
	if err := os.WriteFile(prof, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, text := runCLI(t, "fake", "okta", "--target", prof)
	cancel()
	if err := <-done; err != nil || code != ExitPassed {
		t.Fatalf("recording: %v, exit %d\n%s", err, code, text)
	}

	for _, c := range []struct {
		name string
		args []string
		want int
		says string
	}{
		{"clean", nil, ExitPassed, " 0 differ"},
		{"prefixed", []string{"--prefix", "rp-"}, ExitPassed, " 0 differ"},
		{"narrowed", []string{"--only", "POST /Users", "--until", "40"}, ExitPassed, "left out by --only"},
		{"fault", []string{"--fault", "create-returns-200"}, ExitFailed, "differ"},
		{"read back", []string{"--read-back", "--shift", "now"}, ExitPassed, " 0 differ"},
		{"read back a fault", []string{"--read-back", "--fault", "ignores-active-false"}, ExitFailed, " 1 differ"},
		{"no read-back, no difference", []string{"--fault", "ignores-active-false"}, ExitPassed, " 0 differ"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			code, text := runCLI(t, append([]string{"replay", out, "--out", dir}, c.args...)...)
			if code != c.want || !strings.Contains(text, c.says) || !strings.Contains(text, "0 left") {
				t.Fatalf("exit %d, want %d, saying %q and nothing left:\n%s", code, c.want, c.says, text)
			}
			b, err := os.ReadFile(filepath.Join(dir, "results.json"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b)+text, planted) {
				t.Fatal("the planted token reached a report or the console")
			}
			if c.name == "read back a fault" && !strings.Contains(string(b), "read back, active is true; the request set false") {
				t.Errorf("the finding does not say what was read back:\n%.2000s", b)
			}
			if c.name == "fault" && (!strings.Contains(string(b), "status 200") || !strings.Contains(string(b), "(recorded) /scim/v2/Users")) {
				t.Errorf("the finding does not show both exchanges:\n%.2000s", b)
			}
		})
	}
	code, text = runCLI(t, "replay", filepath.Join(t.TempDir(), "none.jsonl"))
	if code != ExitUsage {
		t.Errorf("a missing cassette: exit %d\n%s", code, text)
	}
}

// TestRecordRedactsAnEchoedCredential: a target that echoes the caller's
// credential in its answer (header and body, basic auth's password too)
// does not put it in the cassette.
func TestRecordRedactsAnEchoedCredential(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		user, pass, _ := r.BasicAuth()
		fmt.Fprintf(w, `{"you sent":%q,"user":%q,"pass":%q}`, r.Header.Get("Authorization"), user, pass)
	}))
	defer up.Close()
	out := filepath.Join(t.TempDir(), "echo.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- record(ctx, recordOptions{listen: "127.0.0.1:0", upstream: up.URL, out: out, version: "test"}, io.Discard, func(a string) { addr <- a })
	}()
	base := "http://" + <-addr
	for _, set := range []func(*http.Request){
		func(r *http.Request) { r.Header.Set("Authorization", "Bearer echoed-bearer-secret") },
		func(r *http.Request) { r.SetBasicAuth("svc", "echoed-basic-password") },
	} {
		req, _ := http.NewRequest("GET", base+"/scim/v2/Users", nil)
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"echoed-bearer-secret", "echoed-basic-password", "c3ZjOmVjaG9lZC1iYXNpYy1wYXNzd29yZA"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the cassette holds %q:\n%s", secret, b)
		}
	}
	if !strings.Contains(string(b), `\"user\":\"svc\"`) {
		t.Errorf("the answer was not recorded:\n%s", b)
	}
}

// listenReference serves a fresh reference target on loopback until the
// test ends.
func listenReference(t *testing.T, token string) *target.Running {
	t.Helper()
	ref, err := target.New(target.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	running, err := target.Listen("127.0.0.1:0", ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = running.Close() })
	return running
}
