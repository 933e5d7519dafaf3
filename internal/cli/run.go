package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/fakes/target"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/reports"
	"github.com/idpconform/idpconform/steps"
)

type runOptions struct {
	profilePath string
	scimURL     string
	token       string
	tags        string
	out         string
	format      string
	concurrency int
	timeout     time.Duration
	faults      []string
	liberties   []string
	baseline    string
	failOn      string
	containers  containerOptions
	// noAnswerLimit is how many requests in a row may go unanswered
	// before the run stops (the breaker).
	noAnswerLimit int
}

func newRunCmd(version string) *cobra.Command {
	o := runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the suite (against the built-in reference target unless told otherwise)",
		Example: "  idpconform run\n" +
			"  idpconform run --target fixtures/targets/bearer.yaml --tags @users\n" +
			"  SCIM_TOKEN=… idpconform run --scim-url https://app.example.com/scim/v2",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSuite(cmd, o, version) },
	}
	f := cmd.Flags()
	f.StringVar(&o.profilePath, "target", "", "target profile (YAML); see README")
	f.StringVar(&o.scimURL, "scim-url", "", "SCIM base URL of the target, instead of a profile")
	f.StringVar(&o.token, "token", "", "bearer token for --scim-url (default $SCIM_TOKEN)")
	f.StringVar(&o.tags, "tags", "", `godog tag expression, e.g. "@users && ~@should"`)
	f.StringVar(&o.out, "out", "idpconform-report", "directory for the reports")
	f.StringVar(&o.format, "format", "progress", "console output: progress or pretty")
	f.IntVar(&o.concurrency, "concurrency", 4, "scenarios run at once")
	f.DurationVar(&o.timeout, "timeout", 0, "per-request timeout (default: the profile's scim.timeout, else 10s)")
	f.StringSliceVar(&o.faults, "fault", nil, "switch on a fault in the built-in reference target (see serve-target --list-faults)")
	f.StringArrayVar(&o.liberties, "liberty", nil, `take a liberty in the built-in reference target (repeatable; "all" for every one; see serve-target --list-liberties)`)
	f.StringVar(&o.baseline, "baseline", "", "a previous run's results.json: print what newly fails and newly passes")
	f.IntVar(&o.noAnswerLimit, "no-answer-limit", 4, "stop the run once this many requests in a row got no answer (timeouts, refused connections)")
	f.StringVar(&o.failOn, "fail-on", "any", "exit 1 on any violation or scenario that could not be checked (any), also on warnings (warnings), or only on a regression against --baseline (regression)")
	f.StringVar(&o.containers.fakes, "fakes", "in-process", "where the Okta and Entra fakes run: in-process, or container (each in its own Docker container)")
	f.StringVar(&o.containers.targetImage, "target-image", "", "start the target from this Docker image (host network, on 127.0.0.1:$PORT), run against it, then remove it; \"idpconform\" is the reference target's image")
	f.StringArrayVar(&o.containers.targetEnv, "target-env", nil, "KEY=VALUE for the --target-image container (repeatable)")
	f.IntVar(&o.containers.targetPort, "target-port", 0, "loopback port the --target-image container listens on, passed as $PORT (default: a free one)")
	f.StringVar(&o.containers.targetHealth, "target-health", "/", "path that answers below 500 once the --target-image container is up")
	f.StringVar(&o.containers.targetToken, "target-token", "", "bearer token for the --target-image container, passed as $SCIM_TOKEN (default: a fresh one)")
	return cmd
}

func runSuite(cmd *cobra.Command, o runOptions, version string) error {
	if err := checkTags(o.tags); err != nil {
		return usageError("%v", err)
	}
	if o.format != "progress" && o.format != "pretty" {
		return usageError("--format must be progress or pretty, not %q", o.format)
	}
	if o.concurrency < 1 {
		return usageError("--concurrency must be at least 1")
	}
	// Unset, the timeout is the profile's; set, it must bound something.
	if cmd.Flags().Changed("timeout") && o.timeout <= 0 {
		return usageError("--timeout must be positive, not %v", o.timeout)
	}
	if o.noAnswerLimit < 1 {
		return usageError("--no-answer-limit must be at least 1")
	}
	if o.failOn != "any" && o.failOn != "regression" && o.failOn != "warnings" {
		return usageError("--fail-on must be any, warnings or regression, not %q", o.failOn)
	}
	var baseline *reports.Run
	if o.baseline != "" {
		b, err := readResults(o.baseline)
		if err != nil {
			return usageError("--baseline: %v", err)
		}
		baseline = &b
	} else if o.failOn == "regression" {
		return usageError("--fail-on regression needs --baseline")
	}
	if err := reportDir(o.out); err != nil {
		return usageError("--out: cannot create the report directory: %v", err)
	}
	out := cmd.OutOrStdout()
	ctx := cmd.Context()
	cr, err := startContainers(ctx, &o, out)
	// Deferred first, so it runs last: the containers go after everything
	// else, also on failure and on Ctrl-C (the context is then cancelled).
	defer func() {
		if serr := cr.stop(o.out, out); serr != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "idpconform:", serr)
		}
	}()
	if ctx.Err() != nil {
		return abandon(o, version, out, "while its containers started")
	}
	if err != nil {
		return err
	}
	prof, tgt, ref, stop, err := resolveTarget(ctx, o, cr, out)
	if ctx.Err() != nil {
		stop()
		return abandon(o, version, out, "while it set up the target")
	}
	if err != nil {
		return err
	}
	defer stop()
	if o.timeout > 0 {
		prof.SCIM.Timeout = o.timeout
	}
	fmt.Fprintf(out, "idpconform %s: testing %s\n", version, describeTarget(tgt))
	cleanup, mark := &steps.Cleanup{}, steps.NewMark()
	onQuit(ctx, func() []string {
		var left []string
		for _, l := range cleanup.Leftovers() {
			left = append(left, l.String())
		}
		return append(left, fmt.Sprintf("whatever the scenarios still running had created: its names start with %q", prof.Prefix+mark.Token))
	})
	run, err := runner.Run(ctx, runner.Config{
		Profile: prof, Target: tgt, Tags: o.tags, Format: o.format, Concurrency: o.concurrency,
		OutDir: o.out, Output: out, Version: version, Fakes: cr.provisioning(), IdPs: cr.ssoControl(),
		Cleanup: cleanup, Mark: mark, Breaker: newBreaker(o.noAnswerLimit),
	}.WithReference(ref))
	fmt.Fprintln(out)
	if len(run.Scenarios) > 0 || len(run.Notes) > 0 {
		if terr := reports.Text(out, run); terr != nil {
			err = errors.Join(err, terr)
		}
	}
	abs, _ := filepath.Abs(o.out)
	fmt.Fprintf(out, "Reports: %s (report.html, results.json, junit.xml, summary.md, cucumber.json)\n", abs)
	if ctx.Err() != nil {
		return &exitError{code: ExitInterrupted, err: errors.Join(errors.New("interrupted: the reports say what ran and what was left"), err)}
	}
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	if len(run.Scenarios) == 0 {
		return usageError("no scenario matches --tags %q", o.tags)
	}
	if baseline != nil {
		cmp := reports.Compare(*baseline, run)
		fmt.Fprintln(out)
		if err := cmp.WriteText(out); err != nil {
			return err
		}
		if o.failOn == "regression" {
			if cmp.Regressed() {
				return &exitError{code: ExitFailed, err: errors.New("regressions against the baseline")}
			}
			return nil
		}
	}
	failed, line := gate(run.Totals(), o.failOn == "warnings")
	fmt.Fprintln(out, line)
	if failed {
		return &exitError{code: ExitFailed, err: errors.New("some scenarios failed")}
	}
	return nil
}

// gate decides the exit code from the totals and says why in one line.
// Violations, scenarios that could not be checked and undefined steps fail
// the run; warnings fail it only when failOnWarnings.
func gate(c reports.Counts, failOnWarnings bool) (failed bool, line string) {
	var why []string
	if c.Failed > 0 {
		why = append(why, plural(c.Failed, "violation", "violations"))
	}
	if c.Errored > 0 {
		why = append(why, fmt.Sprintf("%d could not check (a scenario that could not be checked fails the run until it can be)", c.Errored))
	}
	if c.Undefined > 0 {
		why = append(why, fmt.Sprintf("%d undefined", c.Undefined))
	}
	if c.Warned > 0 && failOnWarnings {
		why = append(why, plural(c.Warned, "warning", "warnings")+" (--fail-on warnings)")
	}
	switch {
	case len(why) > 0:
		return true, "Failed: " + strings.Join(why, ", ") + "."
	case c.Warned > 0:
		return false, "Passed with " + plural(c.Warned, "warning", "warnings") + ": they do not fail the run unless --fail-on warnings."
	}
	return false, "Passed."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// reportDir creates dir and proves it writable, so that a bad --out is
// said at once, not after the run.
func reportDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".idpconform-probe-*")
	if err != nil {
		return err
	}
	_ = f.Close()
	return os.Remove(f.Name())
}

// abandon writes the reports of a run interrupted before its first
// scenario, and says so in a line.
func abandon(o runOptions, version string, out io.Writer, when string) error {
	why := "the run was interrupted " + when + "; no scenario ran"
	werr := runner.Abandon(runner.Config{Tags: o.tags, OutDir: o.out, Version: version}, why)
	if werr == nil {
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(out, "Reports: %s\n", abs)
	}
	return &exitError{code: ExitInterrupted, err: errors.Join(errors.New(why), werr)}
}

func newBreaker(limit int) *scim.Breaker {
	b := scim.NewBreaker()
	b.Limit = limit
	return b
}

// resolveTarget builds the profile from --target, --scim-url, or the built-in
// reference target, which it starts on a free loopback port.
// The reference target comes with the fake IdPs its SSO half trusts.
func resolveTarget(ctx context.Context, o runOptions, cr *containerRun, out io.Writer) (profile.Profile, reports.Target, *runner.Reference, func(), error) {
	noop := func() {}
	switch {
	case o.profilePath != "" && o.scimURL != "":
		return profile.Profile{}, reports.Target{}, nil, noop, usageError("--target and --scim-url exclude each other")
	case (o.profilePath != "" || o.scimURL != "") && len(o.faults) > 0:
		return profile.Profile{}, reports.Target{}, nil, noop, usageError("--fault applies to the built-in reference target only")
	case (o.profilePath != "" || o.scimURL != "") && len(o.liberties) > 0:
		return profile.Profile{}, reports.Target{}, nil, noop, usageError("--liberty applies to the built-in reference target only")
	case o.profilePath != "":
		p, err := profile.Load(o.profilePath)
		if err != nil {
			return p, reports.Target{}, nil, noop, usageError("%v", err)
		}
		if p.SSO != nil {
			if _, err := cr.startIdPs(ctx, p.SSO, out); err != nil {
				return p, reports.Target{}, nil, noop, err
			}
		}
		return p, reports.Target{Name: p.Name, SCIMURL: p.SCIM.URL}, nil, noop, nil
	case o.scimURL != "":
		tok := o.token
		if tok == "" {
			tok = os.Getenv("SCIM_TOKEN")
		}
		p := profile.Profile{SCIM: profile.SCIM{URL: o.scimURL, Auth: profile.Auth{Type: "bearer", Token: tok}}}
		p, err := profile.Complete(p)
		if err != nil {
			return p, reports.Target{}, nil, noop, usageError("%v (give --token or set SCIM_TOKEN)", err)
		}
		return p, reports.Target{Name: o.scimURL, SCIMURL: p.SCIM.URL}, nil, noop, nil
	}
	liberties := target.ExpandLiberties(o.liberties)
	opts := target.Options{Token: randomToken(), Faults: o.faults, Liberties: liberties}
	ip, err := cr.startIdPs(ctx, nil, out)
	if err != nil {
		return profile.Profile{}, reports.Target{}, nil, noop, err
	}
	var ref *runner.Reference
	if ip != nil {
		ref, err = runner.StartReferenceWith(opts, runner.Endpoints{SAML: ip.SAMLURL, OIDC: ip.OIDCURL}, ip.Client)
	} else {
		ref, err = runner.StartReference(opts)
	}
	if err != nil {
		return profile.Profile{}, reports.Target{}, nil, noop, usageError("start the reference target: %v", err)
	}
	stop := func() { _ = ref.Close() }
	return ref.Profile, reports.Target{Name: ref.Profile.Name, SCIMURL: ref.Profile.SCIM.URL, Reference: true, Faults: o.faults, Liberties: liberties}, ref, stop, nil
}

func describeTarget(t reports.Target) string {
	s := t.SCIMURL
	if s == "" {
		s = "an SSO-only target (the profile has no scim section)"
		if t.Name != "" {
			s = fmt.Sprintf("%q, SSO only (the profile has no scim section)", t.Name)
		}
	}
	if t.Reference {
		s = "the built-in reference target at " + s
	}
	if len(t.Faults) > 0 {
		s += fmt.Sprintf(" with faults %v", t.Faults)
	}
	if len(t.Liberties) > 0 {
		s += fmt.Sprintf(" with liberties %v", t.Liberties)
	}
	return s
}
