package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/env"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/replay"
	"github.com/idpconform/idpconform/internal/transcript"
	"github.com/idpconform/idpconform/reports"
)

const replayToken = "replay-bench-token"

// instances are the reference target's servers in start order (lenient,
// strict, invitation, hub userName rule), caught as Listen wraps each.
type instances struct {
	mu      sync.Mutex
	servers []*target.Server
	files   []*os.File
	writers []*cassette.Writer
	all     atomic.Int64 // requests served, recorded or not
	logins  atomic.Int64 // /sso/ requests but the IdPs' metadata fetches at start
}

// wrap records every request but the browser's SSO traffic (signed,
// one-time messages no replay can send again) into one cassette per
// instance, if dir is set.
func (in *instances) wrap(tb testing.TB, dir string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.servers = append(in.servers, h.(*target.Server))
		if dir == "" {
			return h
		}
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			in.all.Add(1)
			if strings.HasPrefix(r.URL.Path, "/sso/") && r.URL.Path != "/sso/saml/metadata" {
				in.logins.Add(1)
			}
			next.ServeHTTP(w, r)
		})
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("instance-%d.jsonl", len(in.servers))))
		if err != nil {
			tb.Fatal(err)
		}
		w, err := cassette.NewWriter(f, "bench", transcript.NewRedactor(replayToken))
		if err != nil {
			tb.Fatal(err)
		}
		in.files, in.writers = append(in.files, f), append(in.writers, w)
		return cassette.Record(h, w, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/sso/") },
			func(err error) { tb.Errorf("record: %v", err) })
	}
}

// empty says what any instance still holds.
func (in *instances) empty() error {
	for i, s := range in.servers {
		if st := s.Stats(); st != (target.Stats{}) {
			return fmt.Errorf("instance %d holds %+v after the replay", i+1, st)
		}
	}
	return nil
}

// recording is a run of the suite with its traffic in cassettes.
type recording struct {
	run                    reports.Run
	cassettes              []string
	exchanges, all, logins int
	wall, cpu              time.Duration
}

// recordSuite runs the scenarios tags selects (all if "") against a
// reference target that records what reaches it.
func recordSuite(tb testing.TB, tags string, concurrency int) recording {
	tb.Helper()
	dir := tb.TempDir()
	in := &instances{}
	ref, err := env.StartReference(context.Background(), target.Options{Token: replayToken, Wrap: in.wrap(tb, dir)})
	if err != nil {
		tb.Fatal(err)
	}
	start, cpu0 := time.Now(), cpuTime()
	run, err := Run(context.Background(), Config{Profile: ref.Profile, Tags: tags, Concurrency: concurrency, OutDir: tb.TempDir(), Output: io.Discard}.WithReference(ref))
	rec := recording{run: run, wall: time.Since(start), cpu: cpuTime() - cpu0}
	if cerr := ref.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	if run.Verdict() != "passed" {
		tb.Fatalf("the recorded run did not pass: %s", run.Totals())
	}
	rec.all, rec.logins = int(in.all.Load()), int(in.logins.Load())
	for i, f := range in.files {
		rec.exchanges += in.writers[i].Len()
		rec.cassettes = append(rec.cassettes, f.Name())
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return rec
}

// replayed is what a replay of recorded cassettes found.
type replayed struct {
	sent, different, foreign int
	differences              []replay.Difference
	wall, cpu                time.Duration
	leftover                 error
}

// replaySuite replays rec's cassettes, each against its counterpart in a
// fresh reference target with faults on, with a bare net/http client.
func replaySuite(tb testing.TB, rec recording, faults ...string) replayed {
	tb.Helper()
	in := &instances{}
	ref, err := env.StartReference(context.Background(), target.Options{Token: replayToken, Faults: faults, Wrap: in.wrap(tb, "")})
	if err != nil {
		tb.Fatal(err)
	}
	defer ref.Close()
	bases := []string{ref.Profile.SCIM.URL}
	for _, a := range ref.Alternates {
		if a.Tag == "jit-off" || a.Tag == env.InvitationTag || a.Tag == env.HubRuleTag {
			bases = append(bases, a.Profile.SCIM.URL)
		}
	}
	if len(bases) != len(rec.cassettes) {
		tb.Fatalf("%d instances to replay against, %d cassettes", len(bases), len(rec.cassettes))
	}
	client := &http.Client{Timeout: 30 * time.Second}
	auth := http.Header{"Authorization": {"Bearer " + replayToken}}
	var out replayed
	start, cpu0 := time.Now(), cpuTime()
	for i, name := range rec.cassettes {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		r, err := cassette.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		res, err := replay.Run(context.Background(), r, replay.Options{
			Base: strings.TrimSuffix(bases[i], "/scim/v2"), Client: client, Header: auth, MaxDifferences: 50})
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out.sent += res.Sent
		out.different += res.Different
		out.foreign += res.Foreign
		out.differences = append(out.differences, res.Differences...)
	}
	out.wall, out.cpu = time.Since(start), cpuTime()-cpu0
	out.leftover = in.empty()
	return out
}

// sideBySide prints a difference with both exchanges side by side.
func sideBySide(d replay.Difference) string {
	return fmt.Sprintf("exchange %d: %s\n  recorded: %s %s -> %d %s\n  replayed: %s %s -> %d %s", d.Index, d.Reason,
		d.Recorded.Method, d.Recorded.URI, d.Recorded.Status, clipText(d.Recorded.ResponseBody),
		d.Replayed.Method, d.Replayed.URI, d.Replayed.Status, clipText(d.Replayed.ResponseBody))
}

func clipText(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// cpuTime is the CPU (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's largest resident set so far, in MiB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // kilobytes on Linux
}
