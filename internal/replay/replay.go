// Package replay sends a cassette's requests, in order, to another target.
// Ids the recorded server issued are mapped to the ids the new target
// issues (learned from each pair of answers) and rewritten wherever a
// later request carries them: path segments, JSON strings ($ref, id,
// members[].value) and quoted values in filters. Each replayed status is
// compared with the recorded one.
package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/cassette"
)

// Options say where and how to replay.
type Options struct {
	// Base is the new target's root, "http://127.0.0.1:PORT": a recorded
	// URI is appended to it.
	Base string
	// Client sends the requests; nil is a client with a 30 s timeout.
	Client *http.Client
	// Header replaces these request headers where the recorded request
	// had them (Authorization, which a cassette holds redacted).
	Header http.Header
	// Skip leaves recorded exchanges out (not sent, not compared).
	Skip func(i int, x cassette.Exchange) bool
	// Rewrite and RewriteURI, if set, change a request body and its path
	// and query after ids are mapped (prefixing userNames, say).
	Rewrite    func(body []byte) []byte
	RewriteURI func(uri string) string
	// Observe, if set, sees every exchange sent: the recorded one, what
	// the new target answered and the difference ("" if none).
	Observe func(i int, recorded, replayed cassette.Exchange, diff string)
	// Prefix, if set, goes before every userName and externalId sent, in
	// bodies and in filters, so a replay never collides with real data.
	Prefix string
	// Until stops after this many recorded exchanges (0: all).
	Until int
	// MaxDifferences bounds the differences kept (0: 100); all are counted.
	MaxDifferences int
	// Shift is added to every RFC 3339 timestamp in the requests sent
	// (bodies and filters), so a recorded "lastModified gt" or a
	// validity window means the same now as when it was recorded.
	Shift time.Duration
	// ReadBack reads every user or group a successful write touched back
	// from the new target: the active flag the request set, and every
	// member the recorded answer had, must be there.
	ReadBack bool
}

// Difference is one exchange whose replayed answer differs from the
// recorded one, with both side by side.
type Difference struct {
	Index    int // 1-based position in the cassette
	Reason   string
	Recorded cassette.Exchange
	Replayed cassette.Exchange
}

// Result sums up a replay.
type Result struct {
	Sent, Skipped, Different int
	// Foreign counts exchanges not sent because their path names a
	// resource the recorded server had before or outside the cassette
	// (first seen in an answer to a read, never created by a recorded
	// request: a user an SSO login created just in time, say).
	Foreign     int
	Differences []Difference // the first MaxDifferences
	IDs         int          // ids mapped
}

// Run replays every exchange r reads. It stops at the first transport
// error or when ctx ends; a differing status is a Difference, not an error.
func Run(ctx context.Context, r *cassette.Reader, opts Options) (Result, error) {
	e := newEngine(opts)
	var res Result
	maxDiff := opts.MaxDifferences
	if maxDiff <= 0 {
		maxDiff = 100
	}
	for i := 1; opts.Until <= 0 || i <= opts.Until; i++ {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, err
		}
		if opts.Skip != nil && opts.Skip(i, rec) {
			res.Skipped++
			continue
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if e.isForeign(rec.URI) {
			res.Foreign++
			if opts.Observe != nil {
				opts.Observe(i, rec, cassette.Exchange{}, "not sent: it names a resource created outside the cassette")
			}
			continue
		}
		e.origin(rec)
		got, err := e.send(ctx, rec)
		if err != nil {
			return res, fmt.Errorf("replay: exchange %d (%s %s): %w", i, rec.Method, rec.URI, err)
		}
		res.Sent++
		diff := ""
		if got.Status != rec.Status {
			diff = fmt.Sprintf("status %d, recorded %d", got.Status, rec.Status)
		} else {
			e.learn(rec, got)
			diff = missingMembers(rec.ResponseBody, got.ResponseBody, "the answer", e.unmapped)
			if diff == "" && opts.ReadBack {
				if diff, err = e.readBack(ctx, rec, got); err != nil {
					return res, fmt.Errorf("replay: reading back exchange %d (%s %s): %w", i, rec.Method, rec.URI, err)
				}
			}
		}
		if diff != "" {
			res.Different++
			if len(res.Differences) < maxDiff {
				res.Differences = append(res.Differences, Difference{Index: i, Reason: diff, Recorded: rec, Replayed: got})
			}
		}
		if opts.Observe != nil {
			opts.Observe(i, rec, got, diff)
		}
	}
	res.IDs = len(e.ids)
	return res, nil
}

type engine struct {
	opts   Options
	client *http.Client
	ids    map[string]string // recorded id -> replayed id
	// created are ids the recorded server issued in answer to a POST of
	// the cassette; foreign are ids it first showed in any other answer.
	created, foreign map[string]bool
}

func newEngine(opts Options) *engine {
	c := opts.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	return &engine{opts: opts, client: c, ids: map[string]string{}, created: map[string]bool{}, foreign: map[string]bool{}}
}

// maxBody bounds an answer read back.
const maxBody = 4 << 20

// send rewrites rec's request for the new target and sends it.
func (e *engine) send(ctx context.Context, rec cassette.Exchange) (cassette.Exchange, error) {
	body := []byte(rec.RequestBody)
	if len(body) > 0 {
		body = e.rewriteBody(body)
		body = e.prefixBody(body)
		if e.opts.Rewrite != nil {
			body = e.opts.Rewrite(body)
		}
	}
	if e.opts.Shift != 0 {
		body = shiftTimes(body, e.opts.Shift)
	}
	uri := e.prefixURI(e.rewriteURI(rec.URI))
	if e.opts.Shift != 0 {
		uri = string(shiftTimes([]byte(uri), e.opts.Shift))
	}
	if e.opts.RewriteURI != nil {
		uri = e.opts.RewriteURI(uri)
	}
	req, err := http.NewRequestWithContext(ctx, rec.Method, e.opts.Base+uri, bytes.NewReader(body))
	if err != nil {
		return cassette.Exchange{}, err
	}
	for k, vs := range rec.RequestHeaders {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Host", "Connection", "Accept-Encoding", "Cookie":
			continue
		}
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	// A recorded credential is redacted: the given one stands in for it,
	// except where the recorded server refused it (401), where the
	// redacted value, which no target accepts, goes as it is.
	if rec.Status != http.StatusUnauthorized {
		for k, vs := range e.opts.Header {
			if _, ok := req.Header[k]; ok {
				req.Header[k] = vs
			}
		}
	}
	got := cassette.Exchange{Time: time.Now().UTC(), Method: rec.Method, URI: uri, RequestHeaders: req.Header, RequestBody: string(body)}
	resp, err := e.client.Do(req)
	if err != nil {
		return got, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return got, err
	}
	got.Status, got.ResponseHeaders, got.ResponseBody = resp.StatusCode, resp.Header, string(b)
	return got, nil
}

// origin notes where the ids in rec's recorded answer come from.
func (e *engine) origin(rec cassette.Exchange) {
	if !jsonish(rec.ResponseBody) || rec.Status >= 300 {
		return
	}
	var v any
	if json.Unmarshal([]byte(rec.ResponseBody), &v) != nil {
		return
	}
	post := rec.Method == http.MethodPost
	eachID(v, post, func(id string) {
		switch {
		case post: // a concurrent read may have shown it first
			e.created[id] = true
			delete(e.foreign, id)
		case !e.created[id]:
			e.foreign[id] = true
		}
	})
}

// eachID calls f with every string "id" member in v and, where v is
// an answer to a POST, the last segment of each "location" (a bulk answer
// names what it created only there).
func eachID(v any, post bool, f func(string)) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			s, ok := c.(string)
			switch {
			case ok && k == "id":
				f(s)
			case ok && post && k == "location":
				f(s[strings.LastIndexByte(s, '/')+1:])
			default:
				eachID(c, post, f)
			}
		}
	case []any:
		for _, c := range t {
			eachID(c, post, f)
		}
	}
}

// isForeign says whether uri's path names a foreign resource that the new
// target showed no counterpart of: a segment after Users or Groups (a
// schema's URN is an id too, but never foreign).
func (e *engine) isForeign(uri string) bool {
	if len(e.foreign) == 0 {
		return false
	}
	path, _, _ := strings.Cut(uri, "?")
	segs := strings.Split(path, "/")
	for i := 1; i < len(segs); i++ {
		if (segs[i-1] == "Users" || segs[i-1] == "Groups") && e.foreign[segs[i]] {
			if _, matched := e.ids[segs[i]]; !matched {
				return true
			}
		}
	}
	return false
}

// prefixed are the members a prefix goes before.
var prefixed = map[string]bool{"username": true, "externalid": true}

// prefixFilter finds a filter's `userName eq "` or `externalId eq "`.
var prefixFilter = regexp.MustCompile(`(?i)\b((?:userName|externalId)\s+(?:eq|sw|co)\s+")`)

// prefixBody puts the prefix before each userName and externalId.
func (e *engine) prefixBody(b []byte) []byte {
	if e.opts.Prefix == "" {
		return b
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return b
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if s, ok := c.(string); ok && prefixed[strings.ToLower(k)] {
					t[k] = e.opts.Prefix + s
				} else if k == "path" && ok {
					t[k] = prefixFilter.ReplaceAllString(s, "${1}"+e.opts.Prefix)
				} else {
					walk(c)
				}
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

// prefixURI puts the prefix in a filter's userName or externalId value.
func (e *engine) prefixURI(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if e.opts.Prefix == "" || !ok {
		return uri
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return uri
	}
	for _, vs := range q {
		for i, v := range vs {
			vs[i] = prefixFilter.ReplaceAllString(v, "${1}"+e.opts.Prefix)
		}
	}
	return path + "?" + q.Encode()
}

// quoted finds the values of a filter or PATCH path: `value eq "…"`.
var quoted = regexp.MustCompile(`"([^"\\]*)"`)

// rewriteString maps an id found whole, as a path segment or quoted.
func (e *engine) rewriteString(s string) string {
	if len(e.ids) == 0 || s == "" {
		return s
	}
	if v, ok := e.ids[s]; ok {
		return v
	}
	s = e.rewriteQuoted(s)
	if strings.Contains(s, "/") {
		segs := strings.Split(s, "/")
		for i, seg := range segs {
			if v, ok := e.ids[seg]; ok {
				segs[i] = v
			}
		}
		s = strings.Join(segs, "/")
	}
	return s
}

// rewriteQuoted maps ids between double quotes.
func (e *engine) rewriteQuoted(s string) string {
	if !strings.Contains(s, `"`) {
		return s
	}
	return quoted.ReplaceAllStringFunc(s, func(q string) string {
		if v, ok := e.ids[q[1:len(q)-1]]; ok {
			return `"` + v + `"`
		}
		return q
	})
}

// rewriteURI maps ids in the path and quoted values in the query (a
// filter's `id eq "…"`); a bare query value such as count=1 is left alone,
// since a target with numeric ids would make it look like one.
func (e *engine) rewriteURI(uri string) string {
	if len(e.ids) == 0 {
		return uri
	}
	path, query, ok := strings.Cut(uri, "?")
	path = e.rewriteString(path)
	if !ok {
		return path
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return path + "?" + query
	}
	changed := false
	for _, vs := range q {
		for i, v := range vs {
			if nv := e.rewriteQuoted(v); nv != v {
				vs[i], changed = nv, true
			}
		}
	}
	if !changed {
		return path + "?" + query
	}
	return path + "?" + q.Encode()
}

// rewriteBody maps ids in every string of a JSON body; another body is
// sent as recorded.
func (e *engine) rewriteBody(b []byte) []byte {
	if len(e.ids) == 0 {
		return b
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return b
	}
	v, changed := e.walk(v)
	if !changed {
		return b
	}
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

func (e *engine) walk(v any) (any, bool) {
	switch t := v.(type) {
	case string:
		s := e.rewriteString(t)
		return s, s != t
	case map[string]any:
		changed := false
		for k, c := range t {
			nc, ch := e.walk(c)
			t[k], changed = nc, changed || ch
		}
		return t, changed
	case []any:
		changed := false
		for i, c := range t {
			nc, ch := e.walk(c)
			t[i], changed = nc, changed || ch
		}
		return t, changed
	}
	return v, false
}

// learn pairs the ids of a recorded answer with the replayed one: each
// "id" member, the last segment of each "location" and "$ref", walking
// both documents side by side (list answers and bulk answers included),
// and the Location header.
func (e *engine) learn(rec, got cassette.Exchange) {
	if a, b := first(rec.ResponseHeaders, "Location"), first(got.ResponseHeaders, "Location"); a != "" && b != "" {
		e.pairLast(a, b)
	}
	if !jsonish(rec.ResponseBody) || !jsonish(got.ResponseBody) {
		return
	}
	var a, b any
	if json.Unmarshal([]byte(rec.ResponseBody), &a) != nil || json.Unmarshal([]byte(got.ResponseBody), &b) != nil {
		return
	}
	e.pairTrees(a, b)
}

func (e *engine) pairTrees(a, b any) {
	switch ta := a.(type) {
	case map[string]any:
		tb, ok := b.(map[string]any)
		if !ok {
			return
		}
		for k, va := range ta {
			vb, ok := tb[k]
			if !ok {
				continue
			}
			sa, aok := va.(string)
			sb, bok := vb.(string)
			switch {
			case aok && bok && k == "id":
				e.pair(sa, sb)
			case aok && bok && (k == "location" || k == "$ref"):
				e.pairLast(sa, sb)
			default:
				e.pairTrees(va, vb)
			}
		}
	case []any:
		tb, ok := b.([]any)
		if !ok {
			return
		}
		if kb := e.keyed(tb); kb != nil && e.keyed(ta) != nil {
			for _, va := range ta {
				if vb, ok := kb[e.naturalKey(va, true)]; ok {
					e.pairTrees(va, vb)
				}
			}
			return
		}
		if len(tb) == len(ta) {
			for i := range ta {
				e.pairTrees(ta[i], tb[i])
			}
		}
	}
}

// naturalKey names a resource in a list by what the client chose (a
// target may order its lists differently from one run to the next).
// A recorded name is keyed with the replay's prefix, as it was sent.
func (e *engine) naturalKey(v any, recorded bool) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, k := range []string{"userName", "displayName", "externalId"} {
		if s, ok := m[k].(string); ok && s != "" {
			if recorded && k != "displayName" {
				s = e.opts.Prefix + s
			}
			return k + "\x00" + s
		}
	}
	return ""
}

// keyed indexes a list by natural key, or is nil if some element has
// none or two share one.
func (e *engine) keyed(list []any) map[string]any {
	if len(list) < 2 {
		return nil
	}
	out := make(map[string]any, len(list))
	for _, v := range list {
		k := e.naturalKey(v, false)
		if _, dup := out[k]; k == "" || dup {
			return nil
		}
		out[k] = v
	}
	return out
}

// pair records a mapping (the same id too: it is matched); an id the recorded server issued keeps its
// first mapping (a later, different answer is not a new identity).
func (e *engine) pair(a, b string) {
	if a == "" || b == "" {
		return
	}
	if _, ok := e.ids[a]; !ok {
		e.ids[a] = b
	}
}

func (e *engine) pairLast(a, b string) {
	e.pair(a[strings.LastIndexByte(a, '/')+1:], b[strings.LastIndexByte(b, '/')+1:])
}

func first(h map[string][]string, k string) string {
	for hk, vs := range h {
		if strings.EqualFold(hk, k) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func jsonish(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '{' || s[0] == '[')
}

// missingMembers names the members of a recorded JSON object answer that
// the replayed one lacks ("" if none): the presence of fields, not their
// values, which differ from target to target. A member that only named
// resources outside the cassette (outside says which: a group's members
// that SSO logins added, say) cannot be expected of the new target.
func missingMembers(recorded, replayed, what string, outside func(v any) bool) string {
	var a, b map[string]any
	if json.Unmarshal([]byte(recorded), &a) != nil || json.Unmarshal([]byte(replayed), &b) != nil {
		return ""
	}
	var missing []string
	for k, v := range a {
		if _, ok := b[k]; !ok && (outside == nil || !outside(v)) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	sort.Strings(missing)
	return fmt.Sprintf("%s lacks %s, which the recorded one had", what, strings.Join(missing, ", "))
}

// unmapped says v is a non-empty list of references ({"value": id}) none
// of which the replay has seen the new target's counterpart of.
func (e *engine) unmapped(v any) bool {
	refs, ok := v.([]any)
	if !ok || len(refs) == 0 {
		return false
	}
	for _, r := range refs {
		m, _ := r.(map[string]any)
		id, _ := m["value"].(string)
		if _, mapped := e.ids[id]; id == "" || mapped {
			return false
		}
	}
	return true
}

// readBack GETs the user or group a successful write touched from the new
// target and says how it differs from what the write meant ("" if not).
func (e *engine) readBack(ctx context.Context, rec, got cassette.Exchange) (string, error) {
	if got.Status/100 != 2 || (rec.Method != http.MethodPost && rec.Method != http.MethodPut && rec.Method != http.MethodPatch) {
		return "", nil
	}
	p, _, _ := strings.Cut(rec.URI, "?")
	if rec.Method == http.MethodPost {
		var created struct{ ID string }
		if json.Unmarshal([]byte(rec.ResponseBody), &created) != nil || created.ID == "" {
			return "", nil
		}
		p += "/" + created.ID
	}
	segs := strings.Split(p, "/")
	if len(segs) < 2 || (segs[len(segs)-2] != "Users" && segs[len(segs)-2] != "Groups") {
		return "", nil // bulk, /Me, a schema
	}
	headers := map[string][]string{}
	for k, v := range rec.RequestHeaders {
		if !strings.EqualFold(k, "Content-Type") {
			headers[k] = v
		}
	}
	rb, err := e.send(ctx, cassette.Exchange{Method: http.MethodGet, URI: p, RequestHeaders: headers, Status: http.StatusOK})
	if err != nil {
		return "", err
	}
	if rb.Status != http.StatusOK {
		return fmt.Sprintf("reading it back answered %d", rb.Status), nil
	}
	method := rec.Method
	if method == http.MethodPost {
		method = http.MethodPut // a created resource's body is whole, as a PUT's
	}
	if want, ok := activeSet(method, got.RequestBody); ok {
		var state struct{ Active any }
		_ = json.Unmarshal([]byte(rb.ResponseBody), &state)
		if v, isBool := boolish(state.Active); !isBool || v != want {
			return fmt.Sprintf("read back, active is %v; the request set %t", state.Active, want), nil
		}
	}
	if len(strings.TrimSpace(rec.ResponseBody)) > 0 {
		return missingMembers(rec.ResponseBody, rb.ResponseBody, "the resource read back", e.unmapped), nil
	}
	return "", nil
}

// timestamp is an RFC 3339 date and time, as SCIM writes them.
var timestamp = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)

// shiftTimes moves every timestamp in b by d, keeping its layout.
func shiftTimes(b []byte, d time.Duration) []byte {
	return timestamp.ReplaceAllFunc(b, func(m []byte) []byte {
		t, err := time.Parse(time.RFC3339Nano, string(m))
		if err != nil {
			return m
		}
		layout := time.RFC3339
		if strings.Contains(string(m), ".") {
			layout = time.RFC3339Nano
		}
		return []byte(t.Add(d).In(t.Location()).Format(layout))
	})
}
