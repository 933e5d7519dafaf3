package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/containers/containertest"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/reports"
)

// interruptChild runs the CLI against IDPC_INTERRUPT_URL when the test
// binary is started as a child by the interrupt tests.
func interruptChild() {
	if url := os.Getenv("IDPC_INTERRUPT_URL"); url != "" {
		os.Exit(Main([]string{"run", "--scim-url", url, "--token", "tok-int", "--concurrency", "2", "--out", os.Getenv("IDPC_INTERRUPT_OUT")}, "test"))
	}
}

// watched is a reference target that counts requests; busy is closed once
// it has answered at requests and then a create (so that some scenario
// has something to clean up). hang makes it hang on DELETE.
type watched struct {
	srv  *target.Server
	url  string
	busy chan struct{}
	// deleting is closed at the first DELETE that hangs.
	deleting chan struct{}
	hang     atomic.Bool
	seen     atomic.Int64
	once     sync.Once
	hung     sync.Once
}

func watchTarget(t *testing.T, at int64) *watched {
	t.Helper()
	srv, err := target.New(target.Options{Token: "tok-int"})
	if err != nil {
		t.Fatal(err)
	}
	w := &watched{srv: srv, busy: make(chan struct{}), deleting: make(chan struct{})}
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := w.seen.Add(1)
		if r.Method == http.MethodDelete && w.hang.Load() {
			w.hung.Do(func() { close(w.deleting) })
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		srv.ServeHTTP(rw, r)
		if n >= at && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Users") {
			w.once.Do(func() { close(w.busy) })
		}
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(func() { close(release) }) // before Close, which waits for handlers
	w.url = hs.URL + "/scim/v2"
	return w
}

// child starts the CLI in a child process against w. Its output is
// captured; said is closed once it says it was interrupted (the first
// signal was handled, so a second one is not merged into it), and exited
// once it ends.
func child(t *testing.T, w *watched, name string) (cmd *exec.Cmd, output *syncBuffer, out string, said, exited <-chan struct{}) {
	t.Helper()
	out = t.TempDir()
	cmd = exec.Command(os.Args[0], "-test.run=^"+name+"$")
	cmd.Env = append(os.Environ(), "IDPC_INTERRUPT_URL="+w.url, "IDPC_INTERRUPT_OUT="+out)
	output = &syncBuffer{says: "interrupted: starting no new scenario"}
	output.said = make(chan struct{})
	cmd.Stderr, cmd.Stdout = output, output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done }) // if the test fails before it ends
	return cmd, output, out, output.said, done
}

// syncBuffer is a child's output, written by two copying goroutines; said
// is closed once it holds says.
type syncBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	says string
	said chan struct{}
	once sync.Once
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.said != nil && strings.Contains(b.buf.String(), b.says) {
		b.once.Do(func() { close(b.said) })
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits for ch, or fails the test if the child ended first or
// nothing came for long (a safety net, not an assertion on time).
func waitFor(t *testing.T, ch, exited <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-exited:
		t.Fatalf("the run ended before %s", what)
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s never happened", what)
	}
}

// TestInterruptStopsTheRunAndCleansUp sends SIGINT, as Ctrl-C does, to a
// run in a child process: it starts no new scenario, reports the rest as
// not run, cleans up after the ones that were running, writes its reports
// and exits 130.
func TestInterruptStopsTheRunAndCleansUp(t *testing.T) {
	interruptChild()
	w := watchTarget(t, 60)
	cmd, output, out, _, exited := child(t, w, "TestInterruptStopsTheRunAndCleansUp")
	waitFor(t, w.busy, exited, "a create after 60 requests")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-exited
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted || !strings.Contains(output.String(), "interrupted: starting no new scenario") {
		t.Fatalf("exit %d, want %d:\n%s", code, ExitInterrupted, output)
	}
	run, err := readResults(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatalf("no results.json after the interrupt: %v", err)
	}
	notRun := 0
	for _, s := range run.Scenarios {
		if s.Status == reports.Failed {
			t.Errorf("%s: an interrupt is not a violation: %s", s.ID, s.Failure.Message)
		}
		if s.Failure != nil && s.Failure.Message == "could not check: the run was interrupted" {
			notRun++
		}
	}
	if notRun == 0 || !strings.Contains(strings.Join(run.Notes, "\n"), "interrupted") {
		t.Errorf("%d scenarios say they were not run; notes %q", notRun, run.Notes)
	}
	if st := w.srv.Stats(); st != (target.Stats{}) || len(run.Cleanup.Leftovers) > 0 {
		t.Errorf("the interrupted run left %+v in the target; its report says %+v\n%s", st, run.Cleanup, output)
	}
}

// TestSecondInterruptQuitsAtOnce: a second SIGINT while the cleanup waits
// on a target that does not answer quits at once and says what is left.
func TestSecondInterruptQuitsAtOnce(t *testing.T) {
	interruptChild()
	w := watchTarget(t, 60)
	cmd, output, _, said, exited := child(t, w, "TestSecondInterruptQuitsAtOnce")
	waitFor(t, w.busy, exited, "a create after 60 requests")
	w.hang.Store(true)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitFor(t, said, exited, "the first interrupt's message")
	waitFor(t, w.deleting, exited, "a DELETE of the cleanup")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-exited
	text := output.String()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted || !strings.Contains(text, "interrupted again: quitting") {
		t.Fatalf("exit %d, want %d and why:\n%s", code, ExitInterrupted, text)
	}
	if !strings.Contains(text, `left: whatever the scenarios still running had created: its names start with "idpc-`) {
		t.Errorf("the second interrupt does not say what may be left:\n%s", text)
	}
}

// TestInterruptWhileContainersStart: an interrupt before the first
// scenario (here, before the containers of --fakes container start) writes
// the reports and says so in one line, without Docker's own error.
func TestInterruptWhileContainersStart(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := newRoot("test")
	var stdout bytes.Buffer
	root.SetArgs([]string{"run", "--fakes", "container", "--tags", "@okta", "--out", out})
	root.SetOut(&stdout)
	root.SetErr(&stdout)
	err := root.ExecuteContext(ctx)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != ExitInterrupted || ee.Error() != "the run was interrupted while its containers started; no scenario ran" {
		t.Fatalf("err = %v, want exit %d and one line saying so", err, ExitInterrupted)
	}
	run, rerr := readResults(filepath.Join(out, "results.json"))
	if rerr != nil || len(run.Notes) != 1 || run.Notes[0] != ee.Error() {
		t.Errorf("results.json: %+v, %v; want the note", run.Notes, rerr)
	}
	for _, f := range []string{"junit.xml", "summary.md", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// TestInterruptWhileContainersStartInDocker interrupts a child's run as
// soon as the first of its containers exists, mostly while the others
// still start: it exits 130 with readable words (no Docker API error),
// writes its reports and leaves no container.
func TestInterruptWhileContainersStartInDocker(t *testing.T) {
	if dir := os.Getenv("IDPC_INTERRUPT_START_DIR"); dir != "" {
		os.Exit(Main([]string{"run", "--fakes", "container", "--out", dir}, "test"))
	}
	d := containertest.Connect(t)
	before, _, err := d.Leftovers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptWhileContainersStartInDocker$")
	cmd.Env = append(os.Environ(), "IDPC_INTERRUPT_START_DIR="+dir)
	var output syncBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	var ours []string
	for deadline := time.Now().Add(2 * time.Minute); len(ours) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no container of the run appeared:\n%s", output.String())
		}
		names, _, err := d.Leftovers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			// An image build's passing containers carry the label too, under
			// a name Docker makes up: the run's own are named idpconform-….
			if !slices.Contains(before, n) && strings.HasPrefix(n, "idpconform-") {
				ours = append(ours, n)
			}
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-exited
	text := output.String()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted || !strings.Contains(text, "interrupted") {
		t.Fatalf("exit %d, want %d and why:\n%s", code, ExitInterrupted, text)
	}
	for _, raw := range []string{"context canceled", "Error response from daemon", "rpc error"} {
		if strings.Contains(text, raw) {
			t.Errorf("the run prints Docker's own error %q:\n%s", raw, text)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		t.Errorf("no results.json after the interrupt: %v\n%s", err, text)
	}
	t.Logf("interrupted after %v appeared:\n%s", ours, text)
	containertest.NoneLeft(t, d, ours...)
}
