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
//
// The full run's scenarios also do work the replay cannot: the SSO
// logins (browser traffic, XML signatures) and the paced Entra load
// scenario (25 requests a second by design). So the overhead ratio is
// measured a second time on the scenarios whose every request is
// replayed: all but @sso, @entra-E34 and the
// hub-H4/H5 scenarios, whose members sign in.
func BenchmarkHonestReplay(b *testing.B) {
	var full, scim honest
	for range b.N {
		full.add(b, "")
		scim.add(b, "~@sso && ~@entra-E34 && ~@hub-H4 && ~@hub-H5")
		if scim.foreign > 0 || scim.logins > 0 {
			b.Fatalf("the SCIM-only run logged in %d times and sent %d requests the replay could not: it is not all replayable work", scim.logins, scim.foreign)
		}
	}
	n := b.N
	b.ReportMetric(float64(full.all)/float64(n), "requests/run")
	b.ReportMetric(float64(full.sent)/float64(n), "replayed/run")
	b.ReportMetric(full.per(full.harnessWall, full.exchanges), "harness-µs/req")
	b.ReportMetric(full.per(full.harnessCPU, full.exchanges), "harness-cpu-µs/req")
	b.ReportMetric(full.per(full.inScenarios, full.exchanges), "in-scenario-µs/req")
	b.ReportMetric(full.per(full.bareWall, full.sent), "bare-µs/req")
	b.ReportMetric(full.per(full.bareCPU, full.sent), "bare-cpu-µs/req")
	b.ReportMetric(full.wallRatio(), "wall-ratio")
	b.ReportMetric(full.inScenarioRatio(), "in-scenario-ratio")
	b.ReportMetric(scim.inScenarioRatio(), "scim-in-scenario-ratio")
	b.ReportMetric(scim.cpuRatio(), "scim-cpu-ratio")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	b.Logf("full run, per run: %d requests reached the target, %d recorded (the rest are /sso/ browser traffic), %d replayed with every status equal "+
		"and the target empty after; %d not sent (they name users SSO logins created just in time).\n"+
		"harness: %.0f µs wall, %.0f µs CPU per recorded request (%.0f µs of it inside scenarios; the rest is start-up and reports)\n"+
		"bare replay: %.0f µs wall, %.0f µs CPU per request\nratio: %.1f× wall, %.1f× inside scenarios (SSO logins and the paced load scenario included)\n"+
		"the %d requests of the scenarios a bare replay can repeat whole (all but @sso, @entra-E34, @hub-H4 and @hub-H5): inside scenarios %.0f µs wall per request (the whole run, start-up and reports included, %.0f µs CPU); "+
		"bare replay %.0f µs wall, %.0f µs CPU: %.1f× wall inside scenarios, %.1f× CPU\npeak RSS %.0f MiB (the whole process)",
		full.all/n, full.exchanges/n, full.sent/n, full.foreign/n,
		full.per(full.harnessWall, full.exchanges), full.per(full.harnessCPU, full.exchanges), full.per(full.inScenarios, full.exchanges),
		full.per(full.bareWall, full.sent), full.per(full.bareCPU, full.sent), full.wallRatio(), full.inScenarioRatio(),
		scim.sent/n, scim.per(scim.inScenarios, scim.exchanges), scim.per(scim.harnessCPU, scim.exchanges),
		scim.per(scim.bareWall, scim.sent), scim.per(scim.bareCPU, scim.sent), scim.inScenarioRatio(), scim.cpuRatio(), peakRSS())
}

// honest sums recorded runs and their replays.
type honest struct {
	harnessWall, harnessCPU, inScenarios, bareWall, bareCPU time.Duration
	exchanges, sent, foreign, all, logins                   int
}

// add records the scenarios tags selects, serially, replays the
// recording and fails unless every status matched and the target ended
// empty.
func (h *honest) add(b *testing.B, tags string) {
	rec := recordSuite(b, tags, 1)
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
	h.harnessWall, h.harnessCPU, h.bareWall, h.bareCPU = h.harnessWall+rec.wall, h.harnessCPU+rec.cpu, h.bareWall+got.wall, h.bareCPU+got.cpu
	for _, s := range rec.run.Scenarios {
		h.inScenarios += time.Duration(s.Duration)
	}
	h.exchanges, h.sent, h.foreign, h.all = h.exchanges+rec.exchanges, h.sent+got.sent, h.foreign+got.foreign, h.all+rec.all
	h.logins += rec.logins
}

func (h *honest) per(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(n) }

func (h *honest) wallRatio() float64 {
	return h.per(h.harnessWall, h.exchanges) / h.per(h.bareWall, h.sent)
}

func (h *honest) inScenarioRatio() float64 {
	return h.per(h.inScenarios, h.exchanges) / h.per(h.bareWall, h.sent)
}

// cpuRatio compares the whole process's CPU, start-up and reports
// included, with the replay's.
func (h *honest) cpuRatio() float64 {
	return h.per(h.harnessCPU, h.exchanges) / h.per(h.bareCPU, h.sent)
}

// BenchmarkSSO runs the @sso scenarios (logins, JIT, every attack after its
// positive twin) against the built-in reference target and its fake IdPs.
// The IdPs serve one scenario at a time, so this is the serial cost.
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
