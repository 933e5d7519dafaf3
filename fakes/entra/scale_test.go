package entra

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/population"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// BenchmarkEntraCycleAtScale runs an initial cycle of N generated users
// (streamed, unthrottled, ENTRA_SCALE_CONCURRENCY workers, default 1: on
// 2 shared cores 1, 2 and 4 workers made 2 392, 2 017 and 1 701 requests
// a second at 10 000 users) against the in-process reference target on
// loopback, and reports wall
// time, requests a second and the process's peak RSS. make bench-scale
// runs each N in its own process, so the peak RSS is that N's alone.
// ENTRA_SCALE_HEAP=FILE writes a heap profile at the end of the cycle,
// while the job and the target still hold everything (-memprofile comes
// after they are gone).
func BenchmarkEntraCycleAtScale(b *testing.B) {
	workers := 1
	if v, err := strconv.Atoi(envOr("ENTRA_SCALE_CONCURRENCY", "1")); err == nil {
		workers = v
	}
	if os.Getenv("ENTRA_SCALE_HEAP") != "" {
		runtime.MemProfileRate = 4096
	}
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				srv, err := reftarget.New(reftarget.Options{Token: "t0ken"})
				if err != nil {
					b.Fatal(err)
				}
				hs := httptest.NewServer(srv)
				auth := scim.Auth{Type: "bearer", Token: "t0ken"}
				client := scim.New(scim.ConfigFor(hs.URL+"/scim/v2", auth, 10*time.Second, nil), transcript.NewWindow(nil, 100, 100, nil)) // as fake entra prints
				job := NewJob(client, TenantFrom(population.Generate(n, 1, "", 0)), Options{Concurrency: workers})
				start := time.Now()
				c := job.RunCycle(context.Background())
				wall := time.Since(start)
				if f := os.Getenv("ENTRA_SCALE_HEAP"); f != "" {
					runtime.GC()
					w, _ := os.Create(f)
					_ = pprof.WriteHeapProfile(w)
					w.Close()
					runtime.KeepAlive(job)
				}
				hs.Close()
				if c.Failed != 0 || len(c.Ops) != 2*n+1 {
					b.Fatalf("%d operations, %d failed: %v", len(c.Ops), c.Failed, firstErr(c))
				}
				b.ReportMetric(wall.Seconds(), "wall-s")
				b.ReportMetric(float64(len(c.Ops))/wall.Seconds(), "req/s")
				b.ReportMetric(peakRSS(), "peak-RSS-MB")
			}
		})
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func firstErr(c Cycle) error {
	for _, op := range c.Ops {
		if op.Err != nil {
			return op.Err
		}
	}
	return nil
}
