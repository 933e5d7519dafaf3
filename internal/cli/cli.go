// Package cli is the idpconform command line: flags in, exit codes out.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/idpconform/idpconform/internal/transcript"
)

// Exit codes, as the README documents them.
const (
	ExitPassed = 0 // nothing failed: every scenario passed, was skipped or only warned
	ExitFailed = 1 // a violation, or a scenario that could not be checked (or a warning, with --fail-on warnings)
	ExitUsage  = 2 // bad usage, configuration or an unusable target
	// ExitInterrupted is a run stopped by Ctrl-C (128 + SIGINT, as shells say).
	ExitInterrupted = 130
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// Main runs the command line and returns the process's exit code.
func Main(args []string, version string) int {
	// A reader that goes away (`idpconform run | head`) must not kill the
	// run before it removes its containers and writes its reports: with
	// SIGPIPE caught, a write to the closed pipe fails instead.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	return run(args, version, stdout{os.Stdout}, os.Stderr)
}

// stdout is stdout as the commands see it: a write to a reader that went
// away succeeds unseen, so it changes neither the outcome nor the exit code
// (the reports hold everything the console shows).
type stdout struct{ w *os.File }

// Fd lets internal/console see whether stdout is a terminal.
func (c stdout) Fd() uintptr { return c.w.Fd() }

func (c stdout) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		return len(p), nil
	}
	return n, err
}

func run(args []string, version string, stdout, stderr io.Writer) int {
	// net/http logs some answers of a target with the standard logger
	// ("Unsolicited response … starting with \"…\""): never their bytes.
	log.SetOutput(transcript.ErrorLog(os.Stderr, "", nil).Writer())
	ctx, _, stop := watchInterrupts(context.Background(), stderr)
	defer stop()
	root := newRoot(version)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitPassed
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.code != ExitFailed {
			fmt.Fprintln(stderr, "idpconform:", ee.err)
		}
		return ee.code
	}
	// cobra's own usage errors (unknown flag, bad value)
	fmt.Fprintln(stderr, "idpconform:", err)
	return ExitUsage
}

func newRoot(version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "idpconform",
		Short: "Conformance harness for SCIM provisioning and SSO service providers",
		Long: "idpconform runs Gherkin scenarios against a SCIM 2.0 service provider, as Okta,\n" +
			"Microsoft Entra ID and the RFCs expect it to behave, and writes reports that say\n" +
			"which spec section or IdP behaviour each failure breaks.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(version), newListCmd(), newServeTargetCmd(), newFakeCmd(version), newReportCmd(), newRecordCmd(version), newReplayCmd(version), newImportCmd(version))
	return root
}
