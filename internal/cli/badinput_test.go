package cli

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runSplit runs the CLI and returns stdout and stderr apart.
func runSplit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, "test", &out, &errb)
	return code, out.String(), errb.String()
}

// TestUsageErrorsAreOneLine: each bad input exits 2 with one line on
// stderr, before anything on stdout.
func TestUsageErrorsAreOneLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	out := filepath.Join(t.TempDir(), "reports")
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"zero timeout", []string{"run", "--timeout", "0", "--out", out}, "--timeout must be positive"},
		{"negative timeout", []string{"run", "--timeout", "-1s", "--out", out}, "--timeout must be positive"},
		{"out under a file", []string{"run", "--tags", "@discovery", "--out", filepath.Join(file, "reports")}, "--out: cannot create the report directory"},
		{"out is a file", []string{"run", "--tags", "@discovery", "--out", file}, "--out: cannot create the report directory"},
		{"unknown fake", []string{"fake", "nosuch"}, `unknown kind "nosuch"`},
		{"public address", []string{"serve-target", "--addr", "0.0.0.0:0"}, "give --public"},
		{"every interface", []string{"serve-target", "--addr", ":0"}, "give --public"},
		{"a name", []string{"serve-target", "--addr", "example.com:80"}, "not a loopback address"},
		{"no port", []string{"serve-target", "--addr", "127.0.0.1"}, "want host:port"},
		{"bad port", []string{"serve-target", "--addr", "127.0.0.1:99999", "--public"}, "invalid port"},
		{"taken port", []string{"serve-target", "--addr", taken.Addr().String()}, "address already in use"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runSplit(t, tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.says) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, want %d, one line saying %q and nothing on stdout:\nstdout: %s\nstderr: %s", code, ExitUsage, tc.says, stdout, stderr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run created its report directory")
	}
}

func TestNotASCIMEndpointExits2(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><html><body>Welcome to Example</body></html>")
	}))
	defer srv.Close()
	out := t.TempDir()
	code, stdout, stderr := runSplit(t, "run", "--scim-url", srv.URL+"/scim/v2", "--token", "t0ken-x", "--out", out)
	if code != ExitUsage || !strings.Contains(stderr, "not a SCIM endpoint: "+srv.URL+"/scim/v2") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("exit %d, want %d and one line saying not a SCIM endpoint:\n%s%s", code, ExitUsage, stdout, stderr)
	}
	if strings.Contains(stdout, "violation") && !strings.Contains(stdout, "0 violations") {
		t.Errorf("scenarios ran against a web page:\n%s", stdout)
	}
}

// TestNotASCIMEndpointWithSSOExits2: a profile with an sso section too
// stops the same way, in one line, before any SSO scenario runs.
func TestNotASCIMEndpointWithSSOExits2(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><html><body>Welcome to Example</body></html>")
	}))
	defer srv.Close()
	prof := filepath.Join(t.TempDir(), "target.yaml")
	doc := "scim: {url: " + srv.URL + "/app, auth: {token: t0ken-x}}\n" +
		"sso:\n  saml: {spMetadataUrl: " + srv.URL + "/saml/metadata, loginUrl: " + srv.URL + "/login}\n" +
		"  session: {url: " + srv.URL + "/me}\n"
	if err := os.WriteFile(prof, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runSplit(t, "run", "--target", prof, "--out", t.TempDir())
	if code != ExitUsage || !strings.Contains(stderr, "not a SCIM endpoint: "+srv.URL+"/app") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("exit %d, want %d and one line saying not a SCIM endpoint:\n%s%s", code, ExitUsage, stdout, stderr)
	}
	if strings.Contains(stdout, "violation") && !strings.Contains(stdout, "0 violations") {
		t.Errorf("scenarios ran against a web page:\n%s", stdout)
	}
}
