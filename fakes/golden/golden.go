// Package golden records the requests a fake IdP sends to a target and
// compares them, byte for byte, with a golden transcript in testdata: the
// fake's claim to send what its vendor documents, one file per behaviour
// row of shared/idp-behaviour.md. `go test ./fakes/... -update` rewrites the
// files.
//
// A Recorder sits in front of the target (in process, on loopback) and
// normalises what varies per run: the ids the target issues, its host,
// timestamps and versions become placeholders numbered in order of
// appearance, so a transcript is the same on every run.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// update is -update. It is registered here, once per test binary that
// imports this package; every package under fakes/ imports it from its
// tests so that `go test ./fakes/... -update` is accepted by each.
var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// Updating reports whether -update was given.
func Updating() bool { return *update }

// DefaultHeaders are the request headers a transcript shows: the ones a
// target may key on. Authorization shows its scheme only.
var DefaultHeaders = []string{"Accept", "Accept-Charset", "Authorization", "Content-Type", "If-Match", "User-Agent"}

// maxBody bounds what is recorded of one request body.
const maxBody = 1 << 20

// Recorder is an http.Handler that records each request before passing it
// to the target, and learns the target's ids from its answers.
type Recorder struct {
	next    http.Handler
	prefix  string
	headers []string

	mu    sync.Mutex
	reqs  []request
	ids   map[string]string // target id → placeholder
	order []string          // the ids, longest first
	masks []mask
	seen  map[string]map[string]string // mask name → value → placeholder
}

type request struct {
	method, uri string
	header      http.Header
	body        []byte
	status      int
	host        string
}

type mask struct {
	re   *regexp.Regexp
	name string
}

// NewRecorder records requests to next. prefix (e.g. "/scim/v2") is cut
// from each path, so a transcript shows paths as the IdP's documents do.
func NewRecorder(next http.Handler, prefix string) *Recorder {
	return &Recorder{next: next, prefix: prefix, headers: DefaultHeaders, ids: map[string]string{}, seen: map[string]map[string]string{}}
}

// Headers replaces the request headers a transcript shows.
func (r *Recorder) Headers(names ...string) *Recorder {
	r.headers = names
	return r
}

// Mask replaces every distinct match of re in a request (after the target's
// ids) by {name1}, {name2}… in order of first appearance: for values the
// fake itself makes up per run, such as a random probe GUID.
func (r *Recorder) Mask(re *regexp.Regexp, name string) *Recorder {
	r.masks = append(r.masks, mask{re, name})
	return r
}

// Serve starts r on a loopback test server, closed at the test's end, and
// returns its base URL with the prefix.
func (r *Recorder) Serve(t interface {
	Helper()
	Cleanup(func())
}) string {
	t.Helper()
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL + r.prefix
}

// Reset forgets the recorded requests (the placeholders stay).
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = nil
}

// ServeHTTP records req and what the target answered to it.
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, maxBody))
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec := &capture{ResponseWriter: w, status: http.StatusOK}
	r.next.ServeHTTP(rec, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, request{method: req.Method, uri: req.URL.RequestURI(), header: req.Header.Clone(), body: body, status: rec.status, host: req.Host})
	r.learn(rec.body.Bytes())
	if loc := rec.Header().Get("Location"); loc != "" {
		r.id(loc[strings.LastIndex(loc, "/")+1:])
	}
}

// capture keeps the status and body a handler wrote.
type capture struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *capture) WriteHeader(s int) { c.status = s; c.ResponseWriter.WriteHeader(s) }
func (c *capture) Write(b []byte) (int, error) {
	if c.body.Len() < maxBody {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// learn gives a placeholder to each id the target issued in an answer:
// the resource's own, and those of a list's resources.
func (r *Recorder) learn(answer []byte) {
	var o struct {
		ID        any `json:"id"`
		Resources []struct {
			ID any `json:"id"`
		} `json:"Resources"`
	}
	if json.Unmarshal(answer, &o) != nil {
		return
	}
	if s, ok := o.ID.(string); ok {
		r.id(s)
	}
	for _, res := range o.Resources {
		if s, ok := res.ID.(string); ok {
			r.id(s)
		}
	}
}

func (r *Recorder) id(s string) {
	if s == "" || r.ids[s] != "" {
		return
	}
	r.ids[s] = fmt.Sprintf("{id%d}", len(r.ids)+1)
	r.order = append(r.order, s)
	// Longest first, so an id that contains another is replaced whole.
	sort.SliceStable(r.order, func(i, j int) bool { return len(r.order[i]) > len(r.order[j]) })
}

var (
	timeRE    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	versionRE = regexp.MustCompile(`W/(\\?)"[^"\\]*(\\?)"`)
)

// normalise replaces what varies per run in s.
func (r *Recorder) normalise(s, host string) string {
	for _, id := range r.order {
		s = strings.ReplaceAll(s, id, r.ids[id])
	}
	if host != "" {
		s = strings.ReplaceAll(s, host, "{host}")
	}
	s = timeRE.ReplaceAllString(s, "{time}")
	s = versionRE.ReplaceAllString(s, `W/$1"{version}$2"`)
	for _, m := range r.masks {
		seen := r.seen[m.name]
		if seen == nil {
			seen = map[string]string{}
			r.seen[m.name] = seen
		}
		s = m.re.ReplaceAllStringFunc(s, func(v string) string {
			if seen[v] == "" {
				seen[v] = fmt.Sprintf("{%s%d}", m.name, len(seen)+1)
			}
			return seen[v]
		})
	}
	return s
}

// Transcript is the requests recorded since the last Reset, normalised:
// per request its method and path with the raw query as sent, the chosen
// headers in their given order, the body as sent, and the target's status.
func (r *Recorder) Transcript() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for i, q := range r.reqs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s %s\n", q.method, r.normalise(strings.TrimPrefix(q.uri, r.prefix), q.host))
		for _, h := range r.headers {
			for _, v := range q.header.Values(h) {
				if h == "Authorization" {
					v, _, _ = strings.Cut(v, " ")
					v += " {credentials}"
				}
				fmt.Fprintf(&b, "%s: %s\n", h, r.normalise(v, q.host))
			}
		}
		if len(q.body) > 0 {
			fmt.Fprintf(&b, "\n%s\n", r.normalise(string(q.body), q.host))
		}
		fmt.Fprintf(&b, "=> %d\n", q.status)
	}
	return []byte(b.String())
}

// Row names the behaviour a golden transcript shows.
type Row struct {
	ID     string // the row id in shared/idp-behaviour.md: O7, E13
	Title  string // the row's behaviour, in a few words
	Source string // the vendor's URL the row cites
	Notes  []string
}

// Header is the comment that opens a golden file.
func (row Row) Header() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n# source: %s\n", row.ID, row.Title, row.Source)
	for _, n := range row.Notes {
		fmt.Fprintf(&b, "# %s\n", n)
	}
	return b.String() + "\n"
}

// T is the part of *testing.T that Check uses.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Check compares row's header and transcript with testdata/<name>.golden,
// or rewrites the file under -update. A difference names the first line
// that differs.
func Check(t T, name string, row Row, transcript []byte) {
	t.Helper()
	got := append([]byte(row.Header()), transcript...)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run go test with -update to write it)", err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("golden: %s differs from what the fake sent (go test -update rewrites it):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n  golden: %q\n  sent:   %q", i+1, wl, gl)
		}
	}
	return "(same lines, different bytes)"
}

// ReadmeRows keeps a README table of behaviour rows (heading, such as
// "### Entra, row by row") and the goldens of the calling package in step:
// the table has the rows prefix1 to prefix<n>, every row it calls covered
// has testdata/<row>.golden, and every golden has its row.
func ReadmeRows(t T, readme, heading, prefix string, n int) {
	t.Helper()
	raw, err := os.ReadFile(readme)
	if err != nil {
		t.Fatalf("golden: %v", err)
		return
	}
	_, section, _ := strings.Cut(string(raw), heading)
	section, _, _ = strings.Cut(section, "\n#")
	rows := regexp.MustCompile(`(?m)^\| (`+regexp.QuoteMeta(prefix)+`\d+) \| [^|]+ \| ([^|]+) \|`).FindAllStringSubmatch(section, -1)
	if len(rows) != n {
		t.Fatalf("golden: the README's %q has %d rows, want %s1–%s%d", heading, len(rows), prefix, prefix, n)
		return
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r[1]] = true
		_, err := os.Stat(filepath.Join("testdata", r[1]+".golden"))
		if covered := strings.HasPrefix(r[2], "covered"); covered && err != nil {
			t.Errorf("golden: the README says %s is covered, but it has no golden transcript: %v", r[1], err)
		}
	}
	goldens, _ := os.ReadDir("testdata")
	for _, g := range goldens {
		if id := strings.TrimSuffix(g.Name(), ".golden"); !listed[id] {
			t.Errorf("golden: testdata/%s has no row in the README", g.Name())
		}
	}
}
