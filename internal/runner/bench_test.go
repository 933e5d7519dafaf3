package runner

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
)

// counter counts the requests reaching the reference target.
type counter struct {
	next http.Handler
	n    atomic.Int64
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.next.ServeHTTP(w, r)
}

func benchTarget(b *testing.B) (*counter, profile.Profile, func()) {
	b.Helper()
	srv, err := target.New(target.Options{Token: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	rec := &counter{next: srv}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: rec, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	url := "http://" + l.Addr().String() + "/scim/v2"
	prof, err := profile.Complete(profile.Profile{
		SCIM:      profile.SCIM{URL: url, Auth: profile.Auth{Token: "bench-token"}},
		Usernames: profile.Usernames{MinLength: target.MinUserName, MaxLength: target.MaxUserName},
	})
	if err != nil {
		b.Fatal(err)
	}
	return rec, prof, func() { _ = hs.Close() }
}

// BenchmarkSuite runs the whole default suite against the embedded
// reference target and reports requests per run and time per request.
func BenchmarkSuite(b *testing.B) {
	rec, prof, stop := benchTarget(b)
	defer stop()
	out := b.TempDir()
	b.ResetTimer()
	for range b.N {
		run, err := Run(context.Background(), Config{Profile: prof, Concurrency: 4, OutDir: out, Output: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if run.Verdict() != "passed" {
			b.Fatalf("the suite did not pass: %s", run.Totals())
		}
	}
	b.StopTimer()
	perRun := float64(rec.n.Load()) / float64(b.N)
	b.ReportMetric(perRun, "requests/run")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/perRun, "µs/request")
}

// BenchmarkHonestReplay records every request a full default run sends
// to the reference target (all areas, the SSO and lifecycle scenarios'
// SCIM and hub traffic included; the browser's /sso/ traffic is signed and
// one-time, so it is counted, not replayed), then replays them with a bare
// net/http client against a fresh reference target, ids remapped. Every
// replayed status must equal the recorded one and the target must end
// empty, or the figures would compare different work. The run is serial
// (--concurrency 1), as the replay is.
func BenchmarkHonestReplay(b *testing.B) {
	var harnessWall, harnessCPU, inScenarios, bareWall, bareCPU time.Duration
	var exchanges, sent, foreign, all int
	for range b.N {
		rec := recordSuite(b, "", 1)
		got := replaySuite(b, rec)
		for _, d := range got.differences {
			b.Error(sideBySide(d))
		}
		if got.different > 0 {
			b.Fatalf("%d of %d replayed exchanges differ from the recording", got.different, got.sent)
		}
		if got.leftover != nil {
			b.Fatal(got.leftover)
		}
		harnessWall, harnessCPU, bareWall, bareCPU = harnessWall+rec.wall, harnessCPU+rec.cpu, bareWall+got.wall, bareCPU+got.cpu
		for _, s := range rec.run.Scenarios {
			inScenarios += time.Duration(s.Duration)
		}
		exchanges, sent, foreign, all = exchanges+rec.exchanges, sent+got.sent, foreign+got.foreign, all+rec.all
	}
	per := func(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(n) }
	b.ReportMetric(float64(all)/float64(b.N), "requests/run")
	b.ReportMetric(float64(sent)/float64(b.N), "replayed/run")
	b.ReportMetric(per(harnessWall, exchanges), "harness-µs/req")
	b.ReportMetric(per(harnessCPU, exchanges), "harness-cpu-µs/req")
	b.ReportMetric(per(inScenarios, exchanges), "in-scenario-µs/req")
	b.ReportMetric(per(bareWall, sent), "bare-µs/req")
	b.ReportMetric(per(bareCPU, sent), "bare-cpu-µs/req")
	b.ReportMetric(per(harnessWall, exchanges)/per(bareWall, sent), "wall-ratio")
	b.ReportMetric(per(inScenarios, exchanges)/per(bareWall, sent), "in-scenario-ratio")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	b.Logf("per run: %d requests reached the target, %d recorded (the rest are /sso/ browser traffic), %d replayed with every status equal "+
		"and the target empty after; %d not sent (they name users SSO logins created just in time).\n"+
		"harness: %.0f µs wall, %.0f µs CPU per recorded request (%.0f µs of it inside scenarios; the rest is start-up and reports)\n"+
		"bare replay: %.0f µs wall, %.0f µs CPU per request\nratio: %.1f× wall, %.1f× inside scenarios; peak RSS %.0f MiB (the whole process)",
		all/b.N, exchanges/b.N, sent/b.N, foreign/b.N,
		per(harnessWall, exchanges), per(harnessCPU, exchanges), per(inScenarios, exchanges),
		per(bareWall, sent), per(bareCPU, sent), per(harnessWall, exchanges)/per(bareWall, sent), per(inScenarios, exchanges)/per(bareWall, sent), peakRSS())
}

// BenchmarkSSO runs the @sso scenarios (logins, JIT, every attack after its
// positive twin) against the built-in reference target and its fake IdPs.
// Each scenario has its own session at the IdPs, so four log in at once.
func BenchmarkSSO(b *testing.B) {
	ref, err := env.StartReference(context.Background(), target.Options{Token: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	defer ref.Close()
	out := b.TempDir()
	scenarios := 0
	b.ResetTimer()
	for range b.N {
		run, err := Run(context.Background(), Config{Profile: ref.Profile, Tags: "@sso", Concurrency: 4, OutDir: out, Output: io.Discard}.WithReference(ref))
		if err != nil {
			b.Fatal(err)
		}
		if run.Verdict() != "passed" {
			b.Fatalf("the SSO scenarios did not pass: %s", run.Totals())
		}
		scenarios = len(run.Scenarios)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/float64(scenarios), "ms/scenario")
}
