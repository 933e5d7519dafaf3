package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	reftarget "github.com/idpconform/idpconform/internal/reference/target"
)

// The test binary re-executed as one side of an import at scale: the
// target (targetChild) or Okta's import (importChild). Each N runs in its
// own pair of processes, so that each peak RSS is that side's alone.
const (
	targetChildEnv = "IDPC_OKTA_TARGET_USERS" // users to fill the target with
	importChildEnv = "IDPC_OKTA_IMPORT_URL"   // the target to import from
)

func TestMain(m *testing.M) {
	var err error
	switch {
	case os.Getenv(targetChildEnv) != "":
		err = targetChild(os.Getenv(targetChildEnv))
	case os.Getenv(importChildEnv) != "":
		err = importChild(os.Getenv(importChildEnv))
	default:
		os.Exit(m.Run())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// childReport is what a child prints: the target its URL (when it
// listens) and the requests it answered (when its stdin closes); the
// import what it imported and how long it took.
type childReport struct {
	URL      string        `json:"url,omitempty"`
	Requests int64         `json:"requests,omitempty"`
	Users    int           `json:"users,omitempty"`
	Wall     time.Duration `json:"wall,omitempty"`
}

// targetChild fills a reference target with n users through its handler,
// serves it on loopback until stdin closes, then reports the requests it
// answered.
func targetChild(n string) error {
	users, err := strconv.Atoi(n)
	if err != nil {
		return err
	}
	var requests atomic.Int64
	srv, err := reftarget.New(reftarget.Options{Token: importToken, Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1); h.ServeHTTP(w, r) })
	}})
	if err != nil {
		return err
	}
	if _, err := fillUsers(srv, users); err != nil {
		return err
	}
	run, err := reftarget.Listen("127.0.0.1:0", srv)
	if err != nil {
		return err
	}
	defer run.Close()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(childReport{URL: run.URL()}); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return out.Encode(childReport{Requests: requests.Load()})
}

// importChild imports every user of the target at url as Okta does (pages
// of 100, O16) and reports how many and how long it took.
func importChild(url string) error {
	start := time.Now()
	got, err := importer(url, 0).Import(context.Background(), "")
	wall := time.Since(start)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(childReport{Users: len(got), Wall: wall})
}

// child starts the test binary as one side, with env set.
func child(env string, stdin bool) (cmd *exec.Cmd, in io.WriteCloser, out *json.Decoder, errOut *bytes.Buffer, err error) {
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	errOut = &bytes.Buffer{}
	cmd.Stderr = errOut
	if stdin {
		if in, err = cmd.StdinPipe(); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return cmd, in, json.NewDecoder(r), errOut, cmd.Start()
}

// usage is a finished child's largest resident set in MiB and its CPU
// (user and system) in seconds.
func usage(cmd *exec.Cmd) (peakMiB, cpu float64) {
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		return 0, 0
	}
	return float64(ru.Maxrss) / 1024, time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds() // Maxrss: kilobytes on Linux
}

// BenchmarkOktaImportAtScale: Okta's import of N users from the reference
// target over loopback (make bench-scale), each N in a fresh pair of
// processes: import-MiB is the import's peak RSS and import-cpu-s its
// CPU, target-MiB the target's peak RSS (N users held). s/import is the import's wall; the growth exponent,
// log(wall at 100 000 / wall at 1 000) / log(100), is 1 when linear.
func BenchmarkOktaImportAtScale(b *testing.B) {
	walls := map[int]time.Duration{}
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				tcmd, tin, tout, terr, err := child(targetChildEnv+"="+strconv.Itoa(n), true)
				if err != nil {
					b.Fatal(err)
				}
				var ready, done, imp childReport
				if err := tout.Decode(&ready); err != nil {
					_ = tcmd.Wait()
					b.Fatalf("target of %d users: %v: %s", n, err, terr)
				}
				icmd, _, iout, ierr, err := child(importChildEnv+"="+ready.URL, false)
				if err == nil {
					err = iout.Decode(&imp)
				}
				if werr := icmd.Wait(); err == nil {
					err = werr
				}
				tin.Close()
				if derr := tout.Decode(&done); err == nil {
					err = derr
				}
				if werr := tcmd.Wait(); err == nil {
					err = werr
				}
				if err != nil {
					b.Fatalf("import of %d users: %v: %s%s", n, err, ierr, terr)
				}
				if imp.Users != n {
					b.Fatalf("imported %d users, want %d", imp.Users, n)
				}
				walls[n] = imp.Wall
				s := imp.Wall.Seconds()
				b.ReportMetric(s, "s/import")
				b.ReportMetric(float64(done.Requests)/s, "req/s")
				b.ReportMetric(float64(n)/s, "users/s")
				peak, cpu := usage(icmd)
				b.ReportMetric(peak, "import-MiB")
				b.ReportMetric(cpu, "import-cpu-s")
				peak, _ = usage(tcmd)
				b.ReportMetric(peak, "target-MiB")
			}
		})
	}
	if walls[1_000] > 0 && walls[100_000] > 0 {
		// Printed, not logged: a parent benchmark's log is shown only with -v.
		fmt.Printf("BenchmarkOktaImportAtScale: growth exponent %.2f from 1 000 to 100 000 users (1 is linear)\n",
			math.Log(walls[100_000].Seconds()/walls[1_000].Seconds())/math.Log(100))
	}
}
