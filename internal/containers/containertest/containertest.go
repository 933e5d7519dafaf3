// Package containertest gives tests a Docker engine, or a visible skip
// where there is none; never a skip in CI.
package containertest

import (
	"context"
	"os"
	"testing"

	"github.com/idpconform/idpconform/internal/containers"
)

// Connect returns the engine. Without one the test is skipped, saying why,
// except in CI (CI=true), where container tests must run: it fails.
func Connect(tb testing.TB) *containers.Docker {
	tb.Helper()
	d, err := containers.Connect(context.Background())
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI must run the container tests: %v", err)
		}
		tb.Skipf("skipping a container test: %v", err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Error(err)
		}
	})
	return d
}

// NoneLeft fails the test if any of names is still a container, or if any
// network but host and none exists.
func NoneLeft(tb testing.TB, d *containers.Docker, names ...string) {
	tb.Helper()
	left, networks, err := d.Leftovers(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range names {
		for _, l := range left {
			if l == n {
				tb.Errorf("container %s was left behind", n)
			}
		}
	}
	if len(networks) > 0 {
		tb.Errorf("networks were created: %v (only host and none may exist)", networks)
	}
}
