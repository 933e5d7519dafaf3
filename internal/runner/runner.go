// Package runner runs the embedded features against one target with godog
// and turns what happened into the report model.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/fakes/idps"
	"github.com/idpconform/idpconform/fakes/okta"
	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/optional"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
	"github.com/idpconform/idpconform/steps"
)

// Config is one run.
type Config struct {
	Profile     profile.Profile
	Target      reports.Target // what the report says was tested
	Tags        string         // godog tag expression
	Format      string         // progress or pretty, printed to Output
	Concurrency int
	OutDir      string
	Output      io.Writer
	Version     string
	// IdPs are the fake IdPs for the profile's sso section, which env.Start
	// started and introduced to the target, which they know as SP. SSOErr
	// is why they could not be: the run then reports it and runs nothing.
	IdPs   idps.Control
	SP     string
	SSOErr error
	// Alternates are other configurations of the same target, each for the
	// scenarios with its tag.
	Alternates []env.Alternate
	// Fakes are the Okta and Entra fakes (containers.Fakes runs each in
	// its own container); nil runs them in process.
	Fakes provision.Fakes
	// Retry and Breaker are the run's policies for a target that
	// rate-limits and one that stops answering; nil takes the defaults.
	Retry   *scim.Retry
	Breaker *scim.Breaker
	// Cleanup tallies what the run removed and left; the caller may hold
	// it to say what is left when it cannot wait (nil: the run's own).
	Cleanup *steps.Cleanup
	// Mark names what the run creates; nil makes a fresh one.
	Mark *steps.Mark
	// View is the IdP (reports.Views) whose warnings count as violations;
	// "" judges RFC conformance.
	View string
	// Features are the scenarios to run; nil is the embedded ones
	// (features.With adds a vendor's own).
	Features fs.FS
}

// WithEnv points cfg at what e set up: its profile, target, fake IdPs,
// alternates and fakes in containers.
func (cfg Config) WithEnv(e *env.Env) Config {
	cfg.Profile, cfg.Target, cfg.IdPs, cfg.SP, cfg.SSOErr = e.Profile, e.Target, e.IdPs, e.SP, e.SSOErr
	cfg.Alternates, cfg.Fakes = e.Alternates, e.Fakes
	return cfg
}

// WithReference points cfg at the reference target's profile, IdPs and
// alternates, for tests that start it with env.StartReference.
func (cfg Config) WithReference(r *env.Reference) Config {
	cfg.Profile, cfg.IdPs, cfg.SP, cfg.Alternates = r.Profile, r.IdPs, r.SP, r.Alternates
	return cfg
}

// ErrSSOSetup wraps every reason the fake IdPs could not be started or
// connected to the target (a port taken, SP metadata that cannot be read):
// a configuration error, for which the CLI exits 2.
var ErrSSOSetup = errors.New("the SSO setup failed")

// ErrUnreachable wraps every reason a run could not start against the
// target: the CLI exits 2 for it, not 1.
var ErrUnreachable = errors.New("target unusable")

// Run runs the suite and writes every report into cfg.OutDir, also when the
// target cannot be reached (the report then says why).
func Run(ctx context.Context, cfg Config) (reports.Run, error) {
	run, err := begin(cfg)
	if err != nil {
		return run, err
	}
	auth := cfg.Profile.ClientAuth()
	secrets := auth.Secrets()
	for _, a := range cfg.Alternates {
		secrets = append(secrets, a.Profile.ClientAuth().Secrets()...)
	}
	if s := cfg.Profile.SSO; s != nil && s.OIDC != nil && s.OIDC.ClientSecret != "" {
		secrets = append(secrets, s.OIDC.ClientSecret) // an RP may echo it on an error page
	}
	// redact also learns tokens issued and cookies set during the run; the
	// run is redacted once more with all of them before it is written.
	redact := transcript.NewRedactor(secrets...)
	finish := func() error {
		redact.Run(&run)
		return write(cfg.OutDir, run)
	}
	if cfg.Retry == nil {
		cfg.Retry = scim.NewRetry()
	}
	if cfg.Breaker == nil {
		cfg.Breaker = scim.NewBreaker()
	}
	// An interrupted run sends nothing new, and cleans up in a hurry.
	defer context.AfterFunc(ctx, func() { cfg.Breaker.Trip("the run was interrupted") })()
	sc := scimConfig(cfg.Profile, cfg, redact)
	var claims optional.Claims
	tags := cfg.Tags
	if cfg.Profile.HasSCIM() {
		var (
			notes []string
			more  discovered
		)
		claims, notes, more, err = discover(ctx, sc, cfg.Profile.Features, redact)
		if cfg.Profile.Usernames == (profile.Usernames{}) {
			cfg.Profile.Usernames = more.usernames // the profile wins; discovery fills in
		}
		run.Notes = append(run.Notes, notes...)
		for _, f := range optional.Table {
			if s, ok := claims[f.Key]; ok {
				run.Features = append(run.Features, reports.Feature{Key: f.Key, Label: f.Label, Supported: s.On, Where: s.Where})
			}
		}
		if err != nil {
			run.Notes = append(run.Notes, err.Error())
			run.Stopped = "the target cannot be used: " + err.Error()
			run.FinishedAt = time.Now().UTC()
			werr := finish()
			return run, redact.Error(errors.Join(fmt.Errorf("%w: %w", ErrUnreachable, err), werr))
		}
	} else {
		tags = narrow(cfg.Tags)
		run.Notes = append(run.Notes, "the profile has no scim: section: only the SSO scenarios that need no SCIM run ("+SSOOnlyTags+"); the others are skipped with that reason")
	}

	if cfg.Features == nil {
		cfg.Features = features.FS
	}
	all, err := catalog.Load(cfg.Features)
	if err != nil {
		return run, err
	}
	col := newCollector(all, cfg.Breaker, cfg.View)
	if !cfg.Profile.HasSCIM() {
		col.skipWithoutSCIM(cfg.Tags)
	}
	cleanup := cfg.Cleanup
	if cleanup == nil {
		cleanup = &steps.Cleanup{}
	}
	mark := cfg.Mark
	if mark == nil {
		mark = steps.NewMark()
	}
	deps := steps.Deps{SCIM: sc, Claims: claims, Prefix: cfg.Profile.Prefix, Mark: mark, Cleanup: cleanup, Usernames: cfg.Profile.Usernames,
		Lifecycle: cfg.Profile.Lifecycle, Roles: cfg.Profile.Roles, ResourceGroups: cfg.Profile.ResourceGroups, OktaIntegration: okta.Integration(cfg.Profile.Okta.Integration)}
	deps.Fakes = cfg.Fakes
	sso, err := connectSSO(cfg)
	deps.SSO = sso
	for _, a := range cfg.Alternates {
		if err != nil {
			break
		}
		alt := deps
		alt.SCIM = scimConfig(a.Profile, cfg, redact)
		alt.SSO, alt.ByTag = nil, nil
		alt.Lifecycle, alt.Roles, alt.ResourceGroups = a.Profile.Lifecycle, a.Profile.Roles, a.Profile.ResourceGroups
		alt.Usernames = a.Profile.Usernames
		if a.Profile.SSO != nil {
			err = a.SSOErr
			alt.SSO = &steps.SSO{Profile: *a.Profile.SSO, IdPs: a.IdPs, SP: a.SP, Err: err}
		}
		if deps.ByTag == nil {
			deps.ByTag = map[string]*steps.Deps{}
		}
		deps.ByTag[a.Tag] = &alt
	}
	if err != nil {
		// The fake IdPs could not be started or introduced to the target:
		// every SSO scenario would fail for the same reason.
		run.Notes = append(run.Notes, "SSO: "+err.Error())
		run.Stopped = "the SSO set-up failed: " + err.Error()
		run.FinishedAt = time.Now().UTC()
		werr := finish()
		return run, redact.Error(errors.Join(fmt.Errorf("%w: %w", ErrSSOSetup, err), werr))
	}

	output := cfg.Output
	if output == nil {
		output = os.Stdout
	}
	show, err := newShower(cfg.Features, cfg.Format, tags, output, redact.Writer(output))
	if err != nil {
		return run, err
	}
	col.done = show.Done
	// godog takes formatter:path pairs separated by commas, so a report
	// directory with a comma in its name would break them: its cucumber.json
	// goes to a scratch directory first.
	scratch, err := os.MkdirTemp("", "idpconform-cucumber-")
	if err != nil {
		return run, fmt.Errorf("runner: %w", err)
	}
	defer os.RemoveAll(scratch)
	cucumber := filepath.Join(scratch, "cucumber.json")
	if strings.Contains(cucumber, ",") {
		return run, fmt.Errorf("runner: the temporary directory %s has a comma in its path, which godog's formatter list cannot take; set TMPDIR", scratch)
	}
	suite := godog.TestSuite{
		Name:                 "idpconform",
		TestSuiteInitializer: steps.RegisterSuite,
		ScenarioInitializer: func(s *godog.ScenarioContext) {
			log := transcript.New(redact)
			steps.Register(s, deps, log)
			col.hook(s, log)
		},
		Options: &godog.Options{
			Format:         silentFormat + ",cucumber:" + cucumber,
			FS:             cfg.Features,
			Paths:          pacedFirst(all),
			Tags:           tags,
			Concurrency:    max(cfg.Concurrency, 1),
			Output:         plainWriter{redact.Writer(output)}, // failures quote target answers
			Strict:         true,
			NoColors:       false, // plainWriter removes them
			DefaultContext: ctx,
		},
	}
	status := suite.Run()
	show.Finish()

	run.Scenarios = col.results()
	if status == godogOptionError {
		werr := finish()
		return run, errors.Join(errors.New("runner: godog refused its options (see its output)"), werr)
	}
	if err := copyFile(cucumber, filepath.Join(cfg.OutDir, "cucumber.json"), redact); err != nil {
		werr := finish()
		return run, errors.Join(err, werr)
	}
	if cfg.Profile.HasSCIM() {
		run.Notes = append(run.Notes, sweepAll(ctx, deps, cfg.Profile.Prefix, mark, cleanup)...)
	} else if cfg.Profile.SSO.Users == profile.UsersJIT {
		run.Notes = append(run.Notes, fmt.Sprintf("logins created users (just in time) whose userNames start with %s%s; without a scim: section the harness cannot remove them",
			cfg.Profile.Prefix, mark.Token))
	}
	run.Cleanup = reports.Cleanup{Deleted: cleanup.Removed}
	for _, l := range cleanup.Leftovers() {
		run.Cleanup.Leftovers = append(run.Cleanup.Leftovers, l.String())
	}
	run.FinishedAt = time.Now().UTC()
	run.Notes = append(run.Notes, guardNotes(cfg, col.notRun(), ctx.Err() != nil)...)
	return run, finish()
}

// begin is the report of a run that starts now, in a report directory
// that exists.
func begin(cfg Config) (reports.Run, error) {
	run := reports.Run{
		Schema: reports.SchemaVersion, Tool: "idpconform", Version: cfg.Version,
		Target: cfg.Target, Tags: cfg.Tags, View: cfg.View, StartedAt: time.Now().UTC(),
	}
	if run.Target.SCIMURL == "" {
		run.Target.SCIMURL = cfg.Profile.SCIM.URL
	}
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return run, fmt.Errorf("runner: report directory: %w", err)
	}
	return run, nil
}

// Abandon writes the reports of a run that stopped before its first
// scenario (interrupted while its containers started, or a profile that
// cannot be used), saying why.
func Abandon(cfg Config, why string) error {
	run, err := begin(cfg)
	if err != nil {
		return err
	}
	run.Notes = append(run.Notes, why)
	run.Stopped = why
	run.FinishedAt = run.StartedAt
	return write(cfg.OutDir, run)
}

// godogOptionError is what godog's TestSuite.Run returns when its options
// are wrong (0 is passed, 1 failed).
const godogOptionError = 2

// copyFile copies godog's cucumber.json into the report directory,
// redacted: it holds the failure messages, which quote target answers.
func copyFile(from, to string, redact *transcript.Redactor) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("runner: cucumber.json: %w", err)
	}
	if out, ok := redact.JSON(b); ok {
		b = out
	} else {
		b = []byte(redact.String(string(b)))
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	return nil
}

// scimConfig is how the run reaches the target p describes; every
// configuration of a run shares its retry budget and its breaker, and its
// redactor learns the tokens an OAuth2 token endpoint issues.
func scimConfig(p profile.Profile, cfg Config, redact *transcript.Redactor) scim.Config {
	c := scim.ConfigFor(p.SCIM.URL, p.ClientAuth(), p.SCIM.Timeout, redact.Add)
	c.Retry, c.Breaker = cfg.Retry, cfg.Breaker
	return c
}

// guardNotes say what rate limiting cost the run and why it stopped early.
func guardNotes(cfg Config, notRun int, interrupted bool) []string {
	var notes []string
	if n, waited := cfg.Retry.Spent(); n > 0 {
		notes = append(notes, fmt.Sprintf("the target rate-limited the run: the harness retried %d requests, waiting %s in all", n, waited.Round(time.Millisecond)))
	}
	why := cfg.Breaker.Open()
	if interrupted {
		why = "the run was interrupted before it finished"
	}
	if why != "" && (interrupted || notRun > 0) {
		notes = append(notes, fmt.Sprintf("%s: %d scenarios were not run", why, notRun))
	}
	return notes
}

// connectSSO hands the steps the run's fake IdPs, which env introduced to
// the target. Without an sso section the SSO scenarios skip.
func connectSSO(cfg Config) (*steps.SSO, error) {
	p := cfg.Profile.SSO
	switch {
	case p == nil:
		return nil, nil
	case cfg.SSOErr != nil:
		return &steps.SSO{Profile: *p, Err: cfg.SSOErr}, cfg.SSOErr
	case cfg.IdPs == nil:
		err := errors.New("runner: the profile has an sso section but the run has no fake IdPs (env.Start starts them)")
		return &steps.SSO{Profile: *p, Err: err}, err
	}
	return &steps.SSO{Profile: *p, IdPs: cfg.IdPs, SP: cfg.SP}, nil
}

// write renders every report we own; cucumber.json is godog's own.
func write(dir string, run reports.Run) error {
	files := []struct {
		name   string
		render func(io.Writer, reports.Run) error
	}{
		{"results.json", reports.WriteJSON},
		{"junit.xml", reports.JUnit},
		{"summary.md", reports.Markdown},
		{"report.html", reports.HTML},
	}
	var errs []error
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), run, f.render); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func writeFile(path string, run reports.Run, render func(io.Writer, reports.Run) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if err := render(f, run); err != nil {
		f.Close()
		return fmt.Errorf("runner: write %s: %w", path, err)
	}
	return f.Close()
}

// WriteReports writes a run's reports (results.json, junit.xml, summary.md,
// report.html) into dir, as Run does: `replay` reports through it.
func WriteReports(dir string, run reports.Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("runner: report directory: %w", err)
	}
	return write(dir, run)
}
