package runner

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// misbehaving serves discovery from the reference target and everything else
// through misbehave, so the run gets past discovery and meets the fault.
func misbehaving(t *testing.T, misbehave http.HandlerFunc) string {
	t.Helper()
	ref, err := target.New(target.Options{Token: "tok-hostile"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ServiceProviderConfig") || strings.HasSuffix(r.URL.Path, "/ResourceTypes") {
			ref.ServeHTTP(w, r)
			return
		}
		misbehave(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/scim/v2"
}

func runURL(t *testing.T, url, tags string, timeout time.Duration) (reports.Run, string, error) {
	t.Helper()
	prof, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: url, Timeout: timeout, Auth: profile.Auth{Token: "tok-hostile"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	run, err := Run(context.Background(), Config{Profile: prof, Tags: tags, OutDir: out, Output: io.Discard, Concurrency: 2})
	return run, out, err
}

func TestHungTargetFailsWithAReason(t *testing.T) {
	stop := make(chan struct{})
	url := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		select { // never answers while the test runs
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // runs before the server's Close, which waits for handlers
	run, out, err := runURL(t, url, "@users", 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Scenarios) == 0 {
		t.Fatal("no scenario ran")
	}
	// The first ones say the target did not answer; once the breaker is
	// open, the rest were not run, and say why.
	timedOut := 0
	for _, s := range run.Scenarios {
		switch {
		case s.Status != reports.Errored || s.Failure == nil:
			t.Errorf("%s: %s %+v, want an error", s.ID, s.Status, s.Failure)
		case strings.Contains(s.Failure.Message, "did not answer within 200ms"):
			timedOut++
		case !strings.Contains(s.Failure.Message, "could not check: the target stopped answering"):
			t.Errorf("%s: %q, want the target did not answer, or stopped answering", s.ID, s.Failure.Message)
		}
	}
	if timedOut == 0 {
		t.Error("no scenario says the target did not answer")
	}
	assertReports(t, out)
}

func TestMalformedTargetFailsWithoutCrashing(t *testing.T) {
	url := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>{not json")
	})
	run, out, err := runURL(t, url, "@users,@filters,@groups", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range run.Scenarios {
		if s.Status == reports.Passed {
			t.Errorf("%s passed against a target that answers HTML to everything", s.ID)
		}
		skipReason := slices.ContainsFunc(s.Steps, func(st reports.Step) bool { return strings.HasPrefix(st.Text, "skipped: ") })
		if (s.Failure == nil || s.Failure.Message == "") && !(s.Status == reports.Skipped && skipReason) {
			// A feature only the profile can claim (POST .search) is
			// skipped, with the reason, against a target that says nothing.
			t.Errorf("%s: %s without a reason", s.ID, s.Status)
		}
	}
	assertReports(t, out)
}

func TestUnreachableTargetIsAUsageError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String() + "/scim/v2"
	_ = l.Close() // nothing listens there now
	run, out, err := runURL(t, url, "", time.Second)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if len(run.Notes) == 0 || !strings.Contains(run.Notes[len(run.Notes)-1], "cannot reach the target") {
		t.Errorf("notes = %q", run.Notes)
	}
	for _, f := range []string{"results.json", "junit.xml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

func assertReports(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"results.json", "junit.xml", "summary.md", "cucumber.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
}
