package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/population"
	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

// inFlight counts the requests a target is answering at once and the
// order in which each user's requests arrive. The first `gate` user
// requests wait until that many are in flight together, so a job that
// syncs users one after another is caught (by the wait running out),
// not just a slow one.
type inFlight struct {
	next    http.Handler
	mu      sync.Mutex
	now     int
	most    int
	gate    int
	opened  chan struct{}
	arrived []string // "GET name" or "POST name", in arrival order
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	name := ""
	if r.Method == http.MethodPost {
		var u struct{ UserName string }
		_ = json.Unmarshal(body, &u)
		name = u.UserName
	} else if _, v, ok := strings.Cut(r.URL.Query().Get("filter"), `userName eq "`); ok {
		name = strings.TrimSuffix(v, `"`)
	}
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	f.arrived = append(f.arrived, r.Method+" "+name)
	wait := strings.Contains(name, "@example.com") && f.gate > 0
	if wait {
		f.gate--
		if f.gate == 0 {
			close(f.opened)
		}
	}
	f.mu.Unlock()
	if wait {
		select {
		case <-f.opened:
		case <-time.After(10 * time.Second): // no overlap: the test fails below
		}
	}
	f.next.ServeHTTP(w, r)
	f.mu.Lock()
	f.now--
	f.mu.Unlock()
}

func TestConcurrencyIsBoundedAndKeepsEachUsersOrder(t *testing.T) {
	const workers, users = 3, 40
	srv, err := reftarget.New(reftarget.Options{Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	f := &inFlight{next: srv, gate: workers, opened: make(chan struct{})}
	hs := httptest.NewServer(f)
	defer hs.Close()
	auth := scim.Auth{Type: "bearer", Token: "t0ken"}
	client := scim.New(scim.ConfigFor(hs.URL+"/scim/v2", auth, 20*time.Second, nil), transcript.New(nil))
	job := NewJob(client, TenantFrom(population.Generate(users, 1, "", 0)), Options{Concurrency: workers})
	c := job.RunCycle(context.Background())
	if c.Failed != 0 || len(c.Ops) != 2*users+1 {
		t.Fatalf("%d operations, %d failed: %v", len(c.Ops), c.Failed, firstErr(c))
	}
	select {
	case <-f.opened:
	default:
		t.Fatal("the gate never opened")
	}
	if f.most != workers {
		t.Errorf("at most %d requests in flight at once, want %d (Concurrency)", f.most, workers)
	}
	seen := map[string]int{} // user → requests so far
	for _, a := range f.arrived {
		method, name, _ := strings.Cut(a, " ")
		if !strings.Contains(name, "@example.com") {
			continue
		}
		if want := []string{"GET", "POST"}[min(seen[name], 1)]; method != want || seen[name] > 1 {
			t.Errorf("%s: request %d is %s, want lookup (GET) then create (POST) (E4, E5)", name, seen[name]+1, method)
		}
		seen[name]++
	}
	if len(seen) != users {
		t.Errorf("%d users reached the target, want %d", len(seen), users)
	}
}

// E34: Rate is one budget for the whole job, whatever the workers: the
// requests take consecutive slots 1/Rate apart. Sleep is recorded, not
// slept; real time passing only shortens the waits, so the bound below
// allows for it.
func TestRateIsSharedByTheWorkers(t *testing.T) {
	const users, rate = 12, 25.0
	var mu sync.Mutex
	var longest time.Duration
	opts := Options{Rate: rate, Concurrency: 4, Sleep: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		longest = max(longest, d)
		mu.Unlock()
		return nil
	}}
	r := newRig(t, opts, "t0ken", 0, reftarget.Options{})
	r.job = NewJob(r.client, TenantFrom(population.Generate(users, 1, "", 0)), r.opts)
	start := time.Now()
	c := r.cycle(t)
	elapsed := time.Since(start)
	interval := time.Duration(float64(time.Second) / rate)
	if want := time.Duration(len(c.Ops)-1)*interval - elapsed; longest < want || longest > time.Duration(len(c.Ops))*interval {
		t.Errorf("%d requests at %v a second: the last waited %s, want about %s", len(c.Ops), rate, longest, want)
	}
}

// A streamed tenant runs the same cycles as one loaded whole, changes and
// all.
func TestStreamedTenantCyclesAsALoadedOne(t *testing.T) {
	pop, err := population.Load("")
	if err != nil {
		t.Fatal(err)
	}
	src, err := population.Open("")
	if err != nil {
		t.Fatal(err)
	}
	run := func(tenant *Tenant, changes []population.Change) []string {
		r := newRig(t, Options{}, "t0ken", 0, reftarget.Options{})
		r.job = NewJob(r.client, tenant, r.opts)
		var ops []string
		for cycle := range 2 {
			if cycle == 1 {
				ApplyChanges(tenant, changes)
			}
			for _, op := range r.cycle(t).Ops {
				ops = append(ops, op.Action+" "+op.Object)
			}
		}
		return ops
	}
	loaded, streamed := run(TenantOf(pop), pop.Changes), run(TenantFrom(src), src.Changes)
	if !reflect.DeepEqual(loaded, streamed) || len(loaded) < 10 {
		t.Errorf("loaded:\n%s\nstreamed:\n%s", strings.Join(loaded, "\n"), strings.Join(streamed, "\n"))
	}
	tenant := TenantFrom(src)
	if u, ok := tenant.User(PopulationOID("jane")); !ok || u.GivenName != "Jane" {
		t.Fatalf("jane, read from the stream: %+v, %v", u, ok)
	}
	tenant.HardDelete(PopulationOID("sam"))
	if _, ok := tenant.User(PopulationOID("sam")); ok {
		t.Error("a hard-deleted streamed user is still found")
	}
	var walked []string
	_ = tenant.eachUser(func(oid string, u User, exists bool) bool {
		walked = append(walked, fmt.Sprint(oid, " ", u.GivenName, " ", exists))
		return true
	})
	if want := []string{"oid-jane Jane true", "oid-sam  false"}; !reflect.DeepEqual(walked, want) {
		t.Errorf("a walk after reading jane and deleting sam: %q, want %q", walked, want)
	}
}
