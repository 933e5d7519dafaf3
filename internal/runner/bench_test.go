package runner

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/target"
	"github.com/idpconform/idpconform/internal/profile"
)

// recorded is one request the suite sent, kept for the bare replay.
type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder counts and keeps the requests reaching the reference target.
type recorder struct {
	next http.Handler
	n    atomic.Int64
	mu   sync.Mutex
	reqs []recorded
	keep bool
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.n.Add(1)
	if rc.keep {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, recorded{r.Method, r.URL.RequestURI(), r.Header.Clone(), body})
		rc.mu.Unlock()
	}
	rc.next.ServeHTTP(w, r)
}

func benchTarget(b *testing.B, keep bool) (*recorder, profile.Profile, func()) {
	b.Helper()
	srv, err := target.New(target.Options{Token: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	rec := &recorder{next: srv, keep: keep}
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
	rec, prof, stop := benchTarget(b, false)
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

// BenchmarkOverhead replays the requests of one suite run through a bare
// net/http client, one at a time, for comparison with BenchmarkSuite's
// µs/request: the difference is what godog, resty, recording and checking
// cost per request.
func BenchmarkOverhead(b *testing.B) {
	rec, prof, stop := benchTarget(b, true)
	defer stop()
	start := time.Now()
	if _, err := Run(context.Background(), Config{Profile: prof, Concurrency: 1, OutDir: b.TempDir(), Output: io.Discard}); err != nil {
		b.Fatal(err)
	}
	harness := time.Since(start)
	reqs := rec.reqs
	base := prof.SCIM.URL[:len(prof.SCIM.URL)-len("/scim/v2")]
	client := &http.Client{Timeout: 10 * time.Second}
	b.ResetTimer()
	for range b.N {
		for _, r := range reqs {
			req, err := http.NewRequest(r.method, base+r.path, bytes.NewReader(r.body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header = r.header.Clone()
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.StopTimer()
	bare := float64(b.Elapsed().Microseconds()) / float64(b.N) / float64(len(reqs))
	b.ReportMetric(float64(len(reqs)), "requests/run")
	b.ReportMetric(bare, "bare-µs/request")
	b.ReportMetric(float64(harness.Microseconds())/float64(len(reqs)), "harness-µs/request")
}

// BenchmarkSSO runs the @sso scenarios (logins, JIT, every attack after its
// positive twin) against the built-in reference target and its fake IdPs.
// The IdPs serve one scenario at a time, so this is the serial cost.
func BenchmarkSSO(b *testing.B) {
	ref, err := StartReference(target.Options{Token: "bench-token"})
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
