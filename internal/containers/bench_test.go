package containers_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/provision"
	"github.com/idpconform/idpconform/fakes/target"
	"github.com/idpconform/idpconform/internal/containers"
	"github.com/idpconform/idpconform/internal/containers/containertest"
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
	for _, kind := range []string{provision.KindOkta, provision.KindEntra} {
		b.Run(kind, func(b *testing.B) {
			var start, stop time.Duration
			for b.Loop() {
				t0 := time.Now()
				c, err := d.StartFake(ctx, containers.Fake{Kind: kind, Health: provision.HealthPath})
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := c.Stop(); err != nil {
					b.Fatal(err)
				}
				start, stop = start+t1.Sub(t0), stop+time.Since(t1)
			}
			b.ReportMetric(float64(start.Milliseconds())/float64(b.N), "start-ms")
			b.ReportMetric(float64(stop.Milliseconds())/float64(b.N), "stop-ms")
		})
	}
}

// BenchmarkSuite runs the @okta and @entra scenarios against the reference
// target with the fakes in process and in containers; in containers each
// run includes starting and removing the fakes.
func BenchmarkSuite(b *testing.B) {
	d := containertest.Connect(b)
	ctx := context.Background()
	if _, err := d.Image(ctx); err != nil {
		b.Fatal(err)
	}
	const tags = "@okta,@entra"
	for _, mode := range []string{"in-process", "container"} {
		b.Run(mode, func(b *testing.B) {
			ref, err := runner.StartReference(target.Options{Token: "bench-token"})
			if err != nil {
				b.Fatal(err)
			}
			defer ref.Close()
			out := b.TempDir()
			scenarios := 0
			for b.Loop() {
				var fakes provision.Fakes
				var f *containers.Fakes
				if mode == "container" {
					kinds, err := runner.FakesNeeded(tags)
					if err != nil {
						b.Fatal(err)
					}
					if f, err = d.StartFakes(ctx, kinds...); err != nil {
						b.Fatal(err)
					}
					fakes = f
				}
				run, err := runner.Run(ctx, runner.Config{
					Profile: ref.Profile, Target: reports.Target{Name: "reference", Reference: true}, Tags: tags,
					Concurrency: 4, OutDir: out, Output: io.Discard, Fakes: fakes,
				}.WithReference(ref))
				if f != nil {
					err = errors.Join(err, f.Stop())
				}
				if err != nil {
					b.Fatal(err)
				}
				if run.Verdict() != reports.Passed {
					b.Fatalf("the suite did not pass in %s mode", mode)
				}
				scenarios = len(run.Scenarios)
			}
			b.ReportMetric(float64(scenarios), "scenarios/run")
		})
	}
}
