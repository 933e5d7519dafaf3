package runner

import (
	"testing"

	"github.com/idpconform/idpconform/fakes/target"
)

// listenTarget serves a reference target with opts on a loopback port until
// the test ends.
func listenTarget(t *testing.T, opts target.Options) (*target.Server, *target.Running) {
	t.Helper()
	srv, err := target.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = running.Close() })
	return srv, running
}
