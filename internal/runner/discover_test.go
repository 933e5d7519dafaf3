package runner

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/transcript"
)

// serve answers every path with status, content type and body, except the
// paths in except, which the reference target answers.
func serve(t *testing.T, status int, contentType, body string, except ...string) string {
	t.Helper()
	ref, err := target.New(target.Options{Token: "tok-hostile"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range except {
			if strings.HasSuffix(r.URL.Path, p) {
				ref.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/scim/v2"
}

func discoverAt(t *testing.T, url string) ([]string, error) {
	t.Helper()
	p, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: url, Timeout: 5 * time.Second, Auth: profile.Auth{Token: "tok-hostile"}}})
	if err != nil {
		t.Fatal(err)
	}
	redact := transcript.NewRedactor("tok-hostile")
	_, notes, _, err := discover(context.Background(), scimConfig(p, Config{}, redact), p.Features, redact)
	return notes, err
}

func TestNotASCIMEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, says string
		status                        int
	}{
		{"web page", "text/html; charset=utf-8", "<html><body>Welcome</body></html>", "answered text/html, not JSON", http.StatusOK},
		{"typo in the path", "text/plain", "404 page not found", "answered 404", http.StatusNotFound},
		{"JSON 404", "application/json", `{"error":"not found"}`, "answered 404", http.StatusNotFound},
		{"another JSON API", "application/json", `{"status":"ok","items":[]}`, "JSON that is not a ServiceProviderConfig", http.StatusOK},
		{"a JSON array", "application/json", `[1,2]`, "not JSON", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := discoverAt(t, serve(t, tc.status, tc.contentType, tc.body))
			if err == nil || !strings.HasPrefix(err.Error(), "not a SCIM endpoint: http://127.0.0.1:") || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want not a SCIM endpoint, %s", err, tc.says)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "Welcome") {
				t.Errorf("not one short line: %q", err)
			}
		})
	}
}

// A SCIM endpoint whose discovery alone is broken is still tested: its
// /Users answers a ListResponse.
func TestBrokenDiscoveryIsStillSCIM(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusOK, http.StatusInternalServerError} {
		url := serve(t, status, "text/html", "<html>oops</html>", "/Users", "/ResourceTypes")
		notes, err := discoverAt(t, url)
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if len(notes) == 0 || !strings.Contains(notes[0], "come from the profile only") {
			t.Errorf("%d: notes = %q", status, notes)
		}
	}
}

func TestNotASCIMEndpointIsAUsageError(t *testing.T) {
	run, out, err := runURL(t, serve(t, http.StatusOK, "text/html", "<html>hello</html>"), "@users", time.Second)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "not a SCIM endpoint") {
		t.Fatalf("err = %v, want ErrUnreachable: not a SCIM endpoint", err)
	}
	if len(run.Scenarios) != 0 {
		t.Errorf("%d scenarios ran against a web page", len(run.Scenarios))
	}
	for _, f := range []string{"results.json", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}
