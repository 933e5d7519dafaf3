package containers_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/containers/containertest"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/reports"
)

// BenchmarkImage is what a run pays for its image when nothing changed:
// the static build is up to date and an image holds its hash.
func BenchmarkImage(b *testing.B) {
	d := containertest.Connect(b)
	ctx := context.Background()
	if _, err := d.Image(ctx); err != nil { // builds it if the source changed
		b.Fatal(err)
	}
	for b.Loop() {
		d, err := containers.Connect(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_, err = d.Image(ctx)
		if err = errors.Join(err, d.Close()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFakeStart starts each fake in its container until it answers
// its health check (start-ms), then removes it (stop-ms).
func BenchmarkFakeStart(b *testing.B) {
	d := containertest.Connect(b)
	ctx := context.Background()
	if _, err := d.Image(ctx); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{provision.KindOkta, provision.KindEntra, env.KindSAML, env.KindOIDC} {
		b.Run(kind, func(b *testing.B) {
			startStop(b, func() (func() error, error) {
				c, err := d.StartFake(ctx, containers.Fake{Kind: kind})
				return c.Stop, err
			})
		})
	}
}

// BenchmarkStart is container mode's set-up and tear-down as a run does
// them (env.Start, env.Close): the reference target with the four fakes in
// containers, and a --target-image target with the Okta and Entra fakes.
func BenchmarkStart(b *testing.B) {
	d := containertest.Connect(b)
	ctx := context.Background()
	if _, err := d.Image(ctx); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts env.Options
	}{
		{"fakes", env.Options{Fakes: "container"}},
		{"fakes+target-image", env.Options{Fakes: "container", Tags: "@okta,@entra",
			Image: env.ImageOptions{Name: containers.Repository, Health: "/healthz"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			startStop(b, func() (func() error, error) {
				o := bc.opts
				o.OutDir = b.TempDir()
				e, err := env.Start(ctx, o)
				return e.Close, err
			})
		})
	}
}

// startStop times start, then the stop it returns, once per loop, and
// reports each per operation (start-ms, stop-ms).
func startStop(b *testing.B, start func() (stop func() error, err error)) {
	var up, down time.Duration
	for b.Loop() {
		t0 := time.Now()
		stop, err := start()
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := stop(); err != nil {
			b.Fatal(err)
		}
		up, down = up+t1.Sub(t0), down+time.Since(t1)
	}
	b.ReportMetric(float64(up.Milliseconds())/float64(b.N), "start-ms")
	b.ReportMetric(float64(down.Milliseconds())/float64(b.N), "stop-ms")
}

// BenchmarkSuite runs the whole suite against the reference target with
// the four fakes in process and in containers, set up as a run sets them
// up (env.Start) and removed after it.
func BenchmarkSuite(b *testing.B) {
	d := containertest.Connect(b)
	ctx := context.Background()
	if _, err := d.Image(ctx); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"in-process", "container"} {
		b.Run(mode, func(b *testing.B) {
			out := b.TempDir()
			scenarios := 0
			for b.Loop() {
				run, err := suiteOnce(ctx, mode, out)
				if err != nil {
					b.Fatal(err)
				}
				if run.Verdict() != reports.Passed {
					b.Fatalf("the suite did not pass in %s mode: %s", mode, run.Totals())
				}
				scenarios = len(run.Scenarios)
			}
			b.ReportMetric(float64(scenarios), "scenarios/run")
		})
	}
}

// suiteOnce sets up the reference target and the fakes (in process or in
// containers), runs every scenario and removes what it started.
func suiteOnce(ctx context.Context, fakes, out string) (reports.Run, error) {
	e, err := env.Start(ctx, env.Options{Fakes: fakes, OutDir: out})
	if err != nil {
		return reports.Run{}, err
	}
	cfg := runner.Config{Concurrency: 4, OutDir: out, Output: io.Discard}
	run, err := runner.Run(ctx, cfg.WithEnv(e))
	return run, errors.Join(err, e.Close())
}
