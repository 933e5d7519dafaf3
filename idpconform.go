// Package idpconform runs the conformance suite from a Go test, for a
// vendor whose SCIM service is written in Go: against an httptest.Server
// wrapping their handler, or any URL.
//
//	func TestConformance(t *testing.T) {
//		srv := httptest.NewServer(myapp.SCIMHandler())
//		defer srv.Close()
//		idpconform.Test(t, idpconform.Target{URL: srv.URL + "/scim/v2", Token: "t"}, idpconform.Tags("@okta"))
//	}
//
// Each scenario becomes a subtest: a violation fails it with its clause,
// expected against actual and the exchanges; a warning is logged; a
// scenario that could not be checked or was skipped is skipped with the
// reason. The fake IdPs drive a target the same way (Entra, Okta).
package idpconform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/reports"
)

// Target is the SCIM service under test.
type Target struct {
	URL   string // the SCIM base URL, e.g. srv.URL + "/scim/v2"
	Token string // the bearer token it takes
	// Profile, instead of URL and Token, is a target profile (YAML; see
	// the README), for SSO, lifecycle and the other sections.
	Profile string
}

// Option changes what Test and Run do.
type Option func(*config)

type config struct {
	tags        string
	concurrency int
	out         string
	output      io.Writer
}

// Tags selects scenarios by a godog tag expression ("@okta", "@users && ~@should").
func Tags(expr string) Option { return func(c *config) { c.tags = expr } }

// Concurrency is how many scenarios run at once (default 4).
func Concurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// Reports writes the run's reports (report.html, results.json, junit.xml,
// summary.md, cucumber.json) into dir; by default they are not kept.
func Reports(dir string) Option { return func(c *config) { c.out = dir } }

// Progress counts the scenarios on w as they finish, a line for each
// failure, as `idpconform run` does on its console.
func Progress(w io.Writer) Option { return func(c *config) { c.output = w } }

// ErrUnusable wraps the reason a target could not be used at all
// (unreachable, credentials refused, not a SCIM endpoint): no scenario ran.
var ErrUnusable = runner.ErrUnreachable

// Run runs the selected scenarios against tgt and returns the run as every
// report renders it. A target that cannot be used at all is an error
// wrapping ErrUnusable.
func Run(ctx context.Context, tgt Target, opts ...Option) (reports.Run, error) {
	c := config{concurrency: 4, output: io.Discard}
	for _, o := range opts {
		o(&c)
	}
	if c.out == "" {
		dir, err := os.MkdirTemp("", "idpconform-")
		if err != nil {
			return reports.Run{}, fmt.Errorf("idpconform: %w", err)
		}
		defer os.RemoveAll(dir)
		c.out = dir
	}
	if tgt.URL == "" && tgt.Profile == "" {
		return reports.Run{}, errors.New("idpconform: the Target has neither a URL nor a Profile")
	}
	e, err := env.Start(ctx, env.Options{ProfilePath: tgt.Profile, SCIMURL: tgt.URL, Token: tgt.Token, OutDir: c.out})
	if err != nil {
		return reports.Run{}, fmt.Errorf("idpconform: %w", err)
	}
	defer e.Close()
	return runner.Run(ctx, runner.Config{
		Tags: c.tags, Concurrency: c.concurrency, OutDir: c.out, Output: c.output, Version: "library",
	}.WithEnv(e))
}

// Test runs the selected scenarios against tgt, each as a subtest of t
// named after its feature folder and title. A violation fails its subtest
// with the clause, expected against actual and the exchanges; a warning
// is logged; a scenario that could not be checked, or was skipped, skips
// with its reason. A target that cannot be used at all fails t.
func Test(t *testing.T, tgt Target, opts ...Option) {
	t.Helper()
	run, err := Run(t.Context(), tgt, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Scenarios) == 0 {
		t.Fatalf("idpconform: no scenario matches the tags %q", run.Tags)
	}
	for _, s := range run.Scenarios {
		t.Run(s.Area+"/"+s.Name, func(t *testing.T) { judge(t, s) })
	}
}

// judge turns one scenario's verdict into its subtest's outcome.
func judge(t *testing.T, s reports.Scenario) {
	t.Helper()
	switch s.Status {
	case reports.Passed:
	case reports.Skipped:
		t.Skip("skipped: " + s.SkipReason())
	case reports.Warned:
		t.Log("warning (does not fail): " + s.Problem())
	case reports.Errored:
		t.Skip("could not check: " + s.Problem())
	default: // a violation, or a step no definition matched
		verdict := string(s.Status)
		if s.Failure != nil {
			verdict = string(s.Failure.Kind)
		}
		t.Error(verdict + ": " + s.Problem())
	}
}

// ReferenceHandler is the built-in reference target as an http.Handler,
// serving SCIM under /scim/v2 to bearer token, with the named faults
// switched on (idpconform serve-target --list-faults).
func ReferenceHandler(token string, faults ...string) (http.Handler, error) {
	return target.New(target.Options{Token: token, Faults: faults})
}

// ReferenceTarget serves the reference target with the named faults on an
// httptest.Server until t ends.
func ReferenceTarget(t testing.TB, faults ...string) Target {
	t.Helper()
	token := env.NewToken()
	h, err := ReferenceHandler(token, faults...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return Target{URL: strings.TrimSuffix(srv.URL, "/") + "/scim/v2", Token: token}
}
