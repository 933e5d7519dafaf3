package runner

import (
	"context"
	"testing"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
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

// withEnv sets up, as `idpconform run --target` does, what cfg's profile
// needs (the fake IdPs of its sso section) until the test ends.
func withEnv(t *testing.T, cfg Config) Config {
	t.Helper()
	e, err := env.Start(context.Background(), env.Options{Profile: &cfg.Profile})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return cfg.WithEnv(e)
}
