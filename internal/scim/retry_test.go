package scim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/internal/transcript"
)

// scripted answers each request with the next status of script (and its
// Retry-After), then 200 for ever; it counts the requests.
type scripted struct {
	mu     sync.Mutex
	script []answer
	seen   int
}

type answer struct {
	status     int
	retryAfter string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.seen++
	a := answer{status: http.StatusOK}
	if len(s.script) > 0 {
		a, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.status)
}

func (s *scripted) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen
}

// waits is a Retry whose sleeps are recorded, not slept.
func waits(r *Retry) (*Retry, *[]time.Duration) {
	var got []time.Duration
	r.Sleep = func(_ context.Context, d time.Duration) error { got = append(got, d); return nil }
	return r, &got
}

func serve(t *testing.T, h http.Handler, cfg Config) (*Client, *transcript.Log) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg.BaseURL, cfg.Timeout = srv.URL, 5*time.Second
	log := transcript.New(transcript.NewRedactor())
	return New(cfg, log), log
}

func getUsers(c *Client) (*Response, error) {
	return c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/Users"})
}

func TestRateLimitedAnswersAreRetriedAndRecorded(t *testing.T) {
	h := &scripted{script: []answer{{429, "0"}, {503, "1"}}}
	r, slept := waits(NewRetry())
	c, log := serve(t, h, Config{Retry: r})
	resp, err := getUsers(c)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("got %v, %v; want 200 after two retries", resp, err)
	}
	if got := *slept; len(got) != 2 || got[0] != 0 || got[1] != time.Second {
		t.Errorf("waited %v, want [0s 1s] as Retry-After asked", got)
	}
	xs := log.Exchanges()
	if len(xs) != 3 || xs[0].Status != 429 || xs[1].Status != 503 || xs[2].Status != 200 {
		t.Errorf("the transcript holds %d exchanges, want the 429, the 503 and the 200: %+v", len(xs), xs)
	}
	if n, w := r.Spent(); n != 2 || w != time.Second {
		t.Errorf("budget spent: %d retries, %s; want 2 and 1s", n, w)
	}
}

func TestBackOffWithoutRetryAfterThenGiveUp(t *testing.T) {
	h := &scripted{script: []answer{{429, ""}, {429, ""}, {429, ""}, {429, ""}}}
	r, slept := waits(NewRetry())
	r.Attempts = 3
	c, _ := serve(t, h, Config{Retry: r})
	_, err := getUsers(c)
	var th *Throttled
	if !errors.As(err, &th) || !strings.Contains(err.Error(), "after 3 retries") {
		t.Fatalf("err = %v, want Throttled after 3 retries", err)
	}
	if got := *slept; len(got) != 3 || got[0] != time.Second || got[1] != 2*time.Second || got[2] != 4*time.Second {
		t.Errorf("waited %v, want 1s, 2s, 4s", got)
	}
	if h.requests() != 4 {
		t.Errorf("%d requests, want 4", h.requests())
	}
}

func TestRetryAfterBeyondTheCapIsNotWaitedFor(t *testing.T) {
	h := &scripted{script: []answer{{429, "3600"}}}
	r, slept := waits(NewRetry())
	c, _ := serve(t, h, Config{Retry: r})
	_, err := getUsers(c)
	if err == nil || !strings.Contains(err.Error(), "asked to wait 1h0m0s, more than the 30s") {
		t.Fatalf("err = %v", err)
	}
	if len(*slept) != 0 || h.requests() != 1 {
		t.Errorf("waited %v over %d requests, want no wait and one request", *slept, h.requests())
	}
}

func TestRetryAfterAsAnHTTPDate(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		now.Add(7 * time.Second).Format(http.TimeFormat): 7 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):      0,
		"12": 12 * time.Second,
	} {
		if got, asked := parseRetryAfter(v, now); !asked || got != want {
			t.Errorf("Retry-After %q: %s, %v; want %s", v, got, asked, want)
		}
	}
	for _, v := range []string{"", "soon", "-3", "1.5"} {
		if _, asked := parseRetryAfter(v, now); asked {
			t.Errorf("Retry-After %q was read as a wait", v)
		}
	}
}

func TestTheBudgetIsSharedByTheRun(t *testing.T) {
	h := &scripted{script: []answer{{429, "0"}, {200, ""}, {429, "0"}}}
	r, _ := waits(NewRetry())
	r.BudgetRetries = 1
	a, _ := serve(t, h, Config{Retry: r})
	b := New(a.Config(), nil) // another scenario's client, same run
	if resp, err := getUsers(a); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("first client: %v, %v; want 200 after the budget's one retry", resp, err)
	}
	_, err := getUsers(b)
	if err == nil || !strings.Contains(err.Error(), "retry budget (1 retries") {
		t.Fatalf("second client: err = %v, want the spent budget", err)
	}
	if n, _ := r.Spent(); n != 1 || h.requests() != 3 {
		t.Errorf("%d retries over %d requests, want 1 and 3", n, h.requests())
	}
}

func TestWithoutRetryHandsOverTheAnswerAndCountsIt(t *testing.T) {
	h := &scripted{script: []answer{{429, "0"}, {503, ""}}}
	r, slept := waits(NewRetry())
	c, _ := serve(t, h, Config{Retry: r})
	var th Scenario
	ctx := WithScenario(context.Background(), &th)
	resp, err := c.WithoutRetry().Do(ctx, Request{Method: http.MethodGet, Path: "/Users"})
	if err != nil || resp.Status != 429 {
		t.Fatalf("got %v, %v; want the 429 itself", resp, err)
	}
	// A 503 without Retry-After is a server error, not a rate limit: not
	// retried, not counted, even by the retrying client.
	resp, err = c.Do(ctx, Request{Method: http.MethodGet, Path: "/Users"})
	if err != nil || resp.Status != 503 {
		t.Fatalf("got %v, %v; want the 503", resp, err)
	}
	if th.Throttled() != 1 || len(*slept) != 0 || h.requests() != 2 {
		t.Errorf("counted %d, waited %v, %d requests; want 1, none, 2", th.Throttled(), *slept, h.requests())
	}
}

func TestTheBreakerOpensAfterRequestsInARowGetNoAnswer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	_ = l.Close() // refused from now on
	answering := &scripted{}
	live := httptest.NewServer(answering)
	t.Cleanup(live.Close)
	b := &Breaker{Limit: 3, Short: 50 * time.Millisecond}
	cfg := Config{Timeout: 5 * time.Second, Breaker: b}
	client := func(url string) *Client { cfg.BaseURL = url; return New(cfg, nil) }
	for range 2 {
		_, _ = getUsers(client(dead))
	}
	if _, err := getUsers(client(live.URL)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, _ = getUsers(client(dead))
	}
	if why := b.Open(); why != "" {
		t.Fatalf("open after an answer broke the row: %s", why)
	}
	// A request its caller cancelled says nothing about the target.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = client(dead).Do(ctx, Request{Method: http.MethodGet, Path: "/"})
	if b.Open() != "" {
		t.Fatal("a cancelled request counted")
	}
	_, _ = getUsers(client(dead))
	if why := b.Open(); !strings.Contains(why, "stopped answering (3 requests in a row") {
		t.Fatalf("Open() = %q", why)
	}
	_, err = getUsers(client(dead))
	if err == nil || !strings.Contains(err.Error(), "stopped answering") || !strings.Contains(err.Error(), "got 50ms") {
		t.Errorf("err = %v, want the breaker's reason and the short deadline", err)
	}
	before := answering.requests()
	if resp, err := getUsers(client(live.URL)); err != nil || resp.Status != 200 {
		t.Errorf("an open breaker still sends cleanup's requests: got %v, %v", resp, err)
	}
	scenario := WithScenario(context.Background(), &Scenario{})
	_, err = client(live.URL).Do(scenario, Request{Method: http.MethodGet, Path: "/Users"})
	if err == nil || !strings.Contains(err.Error(), "not sent") || answering.requests() != before+1 {
		t.Errorf("a scenario's request after the target died: %v, %d requests; want it not sent", err, answering.requests()-before)
	}
	// Once twice the limit went unanswered in a row, nothing is sent.
	for range 6 {
		_, _ = getUsers(client(dead))
	}
	if _, err := getUsers(client(live.URL)); err == nil || !strings.Contains(err.Error(), "not sent") || answering.requests() != before+1 {
		t.Errorf("cleanup after 6 more went unanswered: %v; want it not sent", err)
	}
}

// TestAnInterruptedRunStillSendsWhatScenariosClean: a breaker the run
// tripped itself (an interrupt) still sends scenarios' requests, with the
// short deadline: the target is alive, and they may be cleaning up.
func TestAnInterruptedRunStillSendsWhatScenariosClean(t *testing.T) {
	h := &scripted{}
	b := NewBreaker()
	b.Trip("the run was interrupted")
	c, _ := serve(t, h, Config{Breaker: b})
	resp, err := c.Do(WithScenario(context.Background(), &Scenario{}), Request{Method: http.MethodDelete, Path: "/Users/1"})
	if err != nil || resp.Status != http.StatusOK || h.requests() != 1 {
		t.Errorf("got %v, %v after %d requests; want the answer", resp, err, h.requests())
	}
}

func TestAnOpenBreakerStopsRetrying(t *testing.T) {
	h := &scripted{script: []answer{{429, "0"}}}
	r, slept := waits(NewRetry())
	b := NewBreaker()
	b.Trip("the run was interrupted")
	c, _ := serve(t, h, Config{Retry: r, Breaker: b})
	if _, err := getUsers(c); err == nil || !strings.Contains(err.Error(), "stopped retrying") {
		t.Fatalf("err = %v", err)
	}
	if len(*slept) != 0 {
		t.Errorf("waited %v", *slept)
	}
}

// TestAnInterruptDoesNotCutARequestOff: a request in flight when the run
// is interrupted still gets its answer (the id of what it created), and no
// new request is sent.
func TestAnInterruptDoesNotCutARequestOff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var seen atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		seen.Add(1)
		cancel() // the interrupt arrives while the target works
		w.WriteHeader(http.StatusCreated)
	})
	c, log := serve(t, h, Config{Retry: NewRetry(), Breaker: NewBreaker()})
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{}`)})
	if err != nil || resp.Status != http.StatusCreated {
		t.Fatalf("got %v, %v; want the 201 the target sent", resp, err)
	}
	_, err = c.Do(ctx, Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{}`)})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("err = %v, want the interrupt", err)
	}
	if seen.Load() != 1 || len(log.Exchanges()) != 1 {
		t.Errorf("the target saw %d requests, the transcript %d; want 1 and 1", seen.Load(), len(log.Exchanges()))
	}
}

func TestAWaitPastTheDeadlineSaysSo(t *testing.T) {
	h := &scripted{script: []answer{{429, "5"}}}
	r := NewRetry()
	r.Sleep = func(context.Context, time.Duration) error { return context.DeadlineExceeded }
	c, _ := serve(t, h, Config{Retry: r})
	_, err := getUsers(c)
	var th *Throttled
	if !errors.As(err, &th) || !strings.Contains(err.Error(), "deadline passed while waiting to retry") {
		t.Fatalf("err = %v", err)
	}
}

// TestCleanupKeepsARetryReserve: once the run's budget is spent, checks
// give up on a rate-limited answer, but cleanup still retries.
func TestCleanupKeepsARetryReserve(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 { // every other request is limited
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	retry := NewRetry()
	retry.BudgetRetries, retry.ReserveRetries = 1, 1
	retry.Sleep = func(context.Context, time.Duration) error { return nil }
	c := New(Config{BaseURL: srv.URL, HTTP: srv.Client(), Timeout: time.Second, Retry: retry}, nil)
	ctx := context.Background()
	if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/Users"}); err != nil {
		t.Fatalf("the first retry is in the budget: %v", err)
	}
	var throttled *Throttled
	if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/Users"}); !errors.As(err, &throttled) {
		t.Fatalf("a check after the budget: %v, want *Throttled", err)
	}
	n.Store(0)
	if resp, err := c.ForCleanup().Do(ctx, Request{Method: http.MethodGet, Path: "/Users"}); err != nil || resp.Status != http.StatusNoContent {
		t.Fatalf("cleanup after the budget: %v %v, want a retry from the reserve", resp, err)
	}
}

// TestACreateRateLimitedToTheEndWasNotMade: a POST whose last answer is a
// 429 was refused (RFC 6585 §4), so cleanup has nothing to look for; one
// whose last answer is a 503 may have been half-done and stays unknown.
func TestACreateRateLimitedToTheEndWasNotMade(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   Outcome
	}{{http.StatusTooManyRequests, NotCreated}, {http.StatusServiceUnavailable, Unknown}} {
		h := &scripted{script: []answer{{tc.status, "0"}, {tc.status, "0"}}}
		r, _ := waits(NewRetry())
		r.Attempts = 1
		c, _ := serve(t, h, Config{Retry: r})
		_, err := c.Do(context.Background(), Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{"emails":[]}`)})
		if err == nil {
			t.Fatalf("%d: no error, want the rate limiting", tc.status)
		}
		if in := c.Intents(); len(in) != 1 || in[0].Outcome != tc.want {
			t.Errorf("%d: intents %+v, want one %s", tc.status, in, tc.want)
		}
	}
}
