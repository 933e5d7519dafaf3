package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/idpconform/idpconform/internal/containers"
)

// interrupts handles Ctrl-C (SIGINT, or SIGTERM): the first cancels the
// command's context, so that a run starts nothing new, cleans up in a
// hurry and writes its reports; the second quits at once, saying what may
// be left behind.
type interrupts struct {
	stderr io.Writer
	exit   func(int) // os.Exit; tests replace it
	cancel context.CancelFunc

	mu   sync.Mutex
	left func() []string // what the run has not cleaned up, so far
}

// watchInterrupts returns ctx, cancelled by the first interrupt, and a
// func that stops watching.
func watchInterrupts(parent context.Context, stderr io.Writer) (context.Context, *interrupts, func()) {
	ctx, cancel := context.WithCancel(parent)
	in := &interrupts{stderr: stderr, exit: os.Exit, cancel: cancel}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go in.watch(sigs, done)
	return context.WithValue(ctx, interruptsKey{}, in), in, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

func (in *interrupts) watch(sigs <-chan os.Signal, done <-chan struct{}) {
	select {
	case <-sigs:
	case <-done:
		return
	}
	fmt.Fprintln(in.stderr, "\nidpconform: interrupted: starting no new scenario, cleaning up and writing the reports (Ctrl-C again quits at once)")
	in.cancel()
	select {
	case <-sigs:
	case <-done:
		return
	}
	in.quit()
}

// quit says what may be left, then exits with ExitInterrupted.
func (in *interrupts) quit() {
	in.mu.Lock()
	left := in.left
	in.mu.Unlock()
	fmt.Fprintln(in.stderr, "\nidpconform: interrupted again: quitting without finishing the cleanup; no reports were written")
	if left != nil {
		for _, l := range left() {
			fmt.Fprintln(in.stderr, "  left:", l)
		}
	}
	fmt.Fprintf(in.stderr, "  containers of idpconform that may remain: docker ps -a --filter label=%s\n", containers.Label)
	in.exit(ExitInterrupted)
}

type interruptsKey struct{}

// onQuit registers what a second interrupt lists as left behind.
func onQuit(ctx context.Context, left func() []string) {
	if in, _ := ctx.Value(interruptsKey{}).(*interrupts); in != nil {
		in.mu.Lock()
		in.left = left
		in.mu.Unlock()
	}
}
