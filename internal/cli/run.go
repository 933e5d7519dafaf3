package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/features"
	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/console"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/reports"
	"github.com/idpconform/idpconform/steps"
)

type runOptions struct {
	// env is what the run sets up: the target, its fakes and containers.
	env         env.Options
	tags        string
	features    []string // extra feature directories
	out         string
	format      string
	concurrency int
	baseline    string
	failOn      string
	view        string
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
	f.StringVar(&o.env.ProfilePath, "target", "", "target profile (YAML); see README")
	f.StringVar(&o.env.SCIMURL, "scim-url", "", "SCIM base URL of the target, instead of a profile")
	f.StringVar(&o.env.Token, "token", "", "bearer token for --scim-url (default $SCIM_TOKEN)")
	f.StringVar(&o.tags, "tags", "", `godog tag expression, e.g. "@users && ~@should"`)
	f.StringArrayVar(&o.features, "features", nil, "also run the *.feature files in this directory, beside the embedded ones (repeatable): a vendor's regression scenarios (replay --to-feature)")
	f.StringVar(&o.out, "out", "idpconform-report", "directory for the reports")
	f.StringVar(&o.format, "format", "progress", "console output: progress or pretty")
	f.IntVar(&o.concurrency, "concurrency", 4, "scenarios run at once")
	f.DurationVar(&o.env.Timeout, "timeout", 0, "per-request timeout (default: the profile's scim.timeout, else 10s)")
	f.StringSliceVar(&o.env.Faults, "fault", nil, "switch on a fault in the built-in reference target (see serve-target --list-faults)")
	f.StringArrayVar(&o.env.Liberties, "liberty", nil, `take a liberty in the built-in reference target (repeatable; "all" for every one; see serve-target --list-liberties)`)
	f.StringSliceVar(&o.env.SPPolicy, "reference-sp", nil, "make the built-in reference target's SAML SP stricter: sign-requests, want-signed-assertions, want-encrypted-assertions, or strict (the first two); repeatable")
	f.StringVar(&o.env.Usernames, "reference-usernames", "", `put the built-in reference target under a userName character rule: "hub" (the Hugging Face Hub's: letters, digits and '-', no "--", no '-' at either end)`)
	f.StringVar(&o.baseline, "baseline", "", "a previous run's results.json: print what newly fails and newly passes")
	f.IntVar(&o.noAnswerLimit, "no-answer-limit", 4, "stop the run once this many requests in a row got no answer (timeouts, refused connections)")
	f.StringVar(&o.view, "view", "rfc", "whose expectations the verdicts follow: rfc (RFC conformance), or entra, okta or onelogin, whose view makes the warnings about that IdP's behaviour violations")
	f.StringVar(&o.failOn, "fail-on", "any", "exit 1 on any violation or scenario that could not be checked (any), also on warnings (warnings), or only on a regression against --baseline (regression)")
	f.StringVar(&o.env.Fakes, "fakes", "in-process", "where the Okta and Entra fakes run: in-process, or container (each in its own Docker container)")
	f.StringVar(&o.env.Image.Name, "target-image", "", "start the target from this Docker image (host network, on 127.0.0.1:$PORT), run against it, then remove it; \"idpconform\" is the reference target's image")
	f.StringArrayVar(&o.env.Image.Env, "target-env", nil, "KEY=VALUE for the --target-image container (repeatable)")
	f.IntVar(&o.env.Image.Port, "target-port", 0, "loopback port the --target-image container listens on, passed as $PORT (default: a free one)")
	f.StringVar(&o.env.Image.Health, "target-health", "/", "path that answers below 500 once the --target-image container is up")
	f.StringVar(&o.env.Image.Token, "target-token", "", "bearer token for the --target-image container, passed as $SCIM_TOKEN (default: a fresh one)")
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
	if cmd.Flags().Changed("timeout") && o.env.Timeout <= 0 {
		return usageError("--timeout must be positive, not %v", o.env.Timeout)
	}
	if o.noAnswerLimit < 1 {
		return usageError("--no-answer-limit must be at least 1")
	}
	if o.failOn != "any" && o.failOn != "regression" && o.failOn != "warnings" {
		return usageError("--fail-on must be any, warnings or regression, not %q", o.failOn)
	}
	if o.view == "rfc" {
		o.view = ""
	} else if !slices.Contains(reports.Views, o.view) {
		return usageError("--view must be rfc, %s, not %q", strings.Join(reports.Views, " or "), o.view)
	}
	if o.baseline == "" && o.failOn == "regression" {
		return usageError("--fail-on regression needs --baseline")
	}
	fsys, err := features.With(o.features...)
	if err != nil {
		return usageError("--features: %v", err)
	}
	if _, err := catalog.Load(fsys); err != nil {
		return usageError("--features: %v", err)
	}
	started := time.Now()
	if err := reportDir(o.out); err != nil {
		return usageError("--out: cannot create the report directory: %v", err)
	}
	out := cmd.OutOrStdout()
	// From here on the reports can be written: a run that cannot start
	// still writes them, saying why (README, Exit codes).
	var baseline *reports.Run
	if o.baseline != "" {
		b, err := readResults(o.baseline)
		if err != nil {
			return notStarted(o, version, out, started, usageError("--baseline: %v", err))
		}
		baseline = &b
	}
	ctx := cmd.Context()
	o.env.Tags, o.env.OutDir, o.env.Output = o.tags, o.out, out
	e, err := env.Start(ctx, o.env)
	var interrupted *env.Interrupted
	if errors.As(err, &interrupted) {
		return abandon(o, version, out, started, interrupted.When)
	}
	if err != nil {
		return notStarted(o, version, out, started, usageError("%v", err))
	}
	// Everything the run started goes, also on failure and on Ctrl-C
	// (the context is then cancelled).
	defer func() {
		if cerr := e.Close(); cerr != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "idpconform:", cerr)
		}
	}()
	prof := e.Profile
	fmt.Fprintf(out, "idpconform %s: testing %s\n", version, describeTarget(e.Target))
	cleanup, mark := &steps.Cleanup{}, steps.NewMark()
	onQuit(ctx, func() []string {
		var left []string
		for _, l := range cleanup.Leftovers() {
			left = append(left, l.String())
		}
		return append(left, fmt.Sprintf("whatever the scenarios still running had created: its names start with %q", prof.Prefix+mark.Token))
	})
	run, err := runner.Run(ctx, runner.Config{
		Tags: o.tags, Format: o.format, Concurrency: o.concurrency,
		OutDir: o.out, Output: out, Version: version,
		Cleanup: cleanup, Mark: mark, Breaker: newBreaker(o.noAnswerLimit), View: o.view, Features: fsys,
	}.WithEnv(e))
	fmt.Fprintln(out)
	if len(run.Scenarios) > 0 || len(run.Notes) > 0 {
		if terr := writeText(out, run); terr != nil {
			err = errors.Join(err, terr)
		}
	}
	printReports(out, o.out, started)
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

// writeText writes the end-of-run summary; a run that stopped before any
// scenario leads with why, in red on a terminal that takes colours.
func writeText(out io.Writer, run reports.Run) error {
	var b strings.Builder
	if err := reports.Text(&b, run); err != nil {
		return err
	}
	text := b.String()
	if l := run.StoppedLine(); l != "" {
		text = strings.Replace(text, l, console.Paint(console.Color(out), console.Red, l), 1)
	}
	_, err := io.WriteString(out, text)
	return err
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
func abandon(o runOptions, version string, out io.Writer, started time.Time, when string) error {
	why := "the run was interrupted " + when + "; no scenario ran"
	werr := runner.Abandon(runner.Config{Tags: o.tags, OutDir: o.out, Version: version, View: o.view}, why)
	printReports(out, o.out, started)
	return &exitError{code: ExitInterrupted, err: errors.Join(errors.New(why), werr)}
}

// notStarted writes the reports of a run that could not start (a profile
// that cannot be used, a target that cannot be started), saying why, and
// returns err with its exit code.
func notStarted(o runOptions, version string, out io.Writer, started time.Time, err error) error {
	werr := runner.Abandon(runner.Config{Tags: o.tags, OutDir: o.out, Version: version, View: o.view}, "the run could not start: "+err.Error())
	printReports(out, o.out, started)
	if werr != nil {
		var ee *exitError
		code := ExitUsage
		if errors.As(err, &ee) {
			code = ee.code
		}
		return &exitError{code: code, err: errors.Join(err, werr)}
	}
	return err
}

// reportFiles are the files a run may write into its report directory.
var reportFiles = []string{"report.html", "results.json", "junit.xml", "summary.md", "cucumber.json"}

// printReports names the report directory and the reports this run wrote
// there: only files that exist and are newer than its start, so a stale
// cucumber.json from an earlier run is not passed off as this one's.
func printReports(out io.Writer, dir string, started time.Time) {
	var written []string
	for _, name := range reportFiles {
		// Some file systems keep modification times to the second.
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && !fi.ModTime().Before(started.Truncate(time.Second)) {
			written = append(written, name)
		}
	}
	abs, _ := filepath.Abs(dir)
	if len(written) == 0 {
		fmt.Fprintf(out, "Reports: none written in %s\n", abs)
		return
	}
	fmt.Fprintf(out, "Reports: %s (%s)\n", abs, strings.Join(written, ", "))
}

func newBreaker(limit int) *scim.Breaker {
	b := scim.NewBreaker()
	b.Limit = limit
	return b
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
