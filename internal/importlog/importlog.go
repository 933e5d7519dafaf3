// Package importlog turns an IdP's own logs into a cassette. Entra's
// provisioning logs (provisioningObjectSummary, as the portal downloads
// them) and Okta's System Log events do not hold raw requests: each
// entry says what was done to which user or group, and whether it
// worked. The cassette holds the requests the fakes send for those
// operations, in the log's order and against the log's targets, with
// answers that carry only what the log knows (the target's id, the
// name, a status of the logged outcome's class). What had to be
// inferred is said in the notes.
package importlog

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/idpconform/idpconform/internal/cassette"
)

// Result is an imported log: the exchanges, in order, and what was
// inferred or left out, one line each.
type Result struct {
	Exchanges []cassette.Exchange
	Notes     []string
}

const (
	userSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	listSchema  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	base        = "/scim/v2"
)

// builder collects exchanges and counts what it inferred.
type builder struct {
	Result
	inferred map[string]int
}

func newBuilder() *builder { return &builder{inferred: map[string]int{}} }

func (b *builder) infer(what string) { b.inferred[what]++ }

func (b *builder) add(at time.Time, method, uri string, body any, status int, answer any) {
	x := cassette.Exchange{Time: at, Method: method, URI: uri, Status: status,
		RequestHeaders: map[string][]string{"Authorization": {"Bearer [REDACTED]"}}}
	if body != nil {
		raw, _ := json.Marshal(body)
		x.RequestBody = string(raw)
		x.RequestHeaders["Content-Type"] = []string{"application/scim+json"}
	}
	if answer != nil {
		raw, _ := json.Marshal(answer)
		x.ResponseBody = string(raw)
		x.ResponseHeaders = map[string][]string{"Content-Type": {"application/scim+json"}}
	}
	b.Exchanges = append(b.Exchanges, x)
}

// lookup is the filter query both IdPs send before they create a user.
func (b *builder) lookup(at time.Time, collection, attr, value string) {
	q := url.Values{"filter": {fmt.Sprintf("%s eq %q", attr, value)}}
	b.add(at, "GET", base+"/"+collection+"?"+q.Encode(), nil, 200,
		map[string]any{"schemas": []string{listSchema}, "totalResults": 0, "Resources": []any{}})
	b.infer("a lookup by " + attr + " before each create (the log does not show it; the fakes send it)")
}

// status is the logged outcome as an HTTP status: ok is the status of a
// success; a failure is 400 unless the log names a status.
func (b *builder) status(ok bool, failed string, code int) int {
	if ok {
		if code == 200 {
			b.infer("status 200 for a successful update (204 is as valid; the log holds no status)")
		}
		return code
	}
	if n := statusIn(failed); n > 0 {
		return n
	}
	b.infer("status 400 for a failure whose log entry names no HTTP status")
	return 400
}

// statusIn finds an HTTP status quoted in a failure reason ("… 409 …").
func statusIn(s string) int {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if n, err := strconv.Atoi(f); err == nil && len(f) == 3 && n >= 400 && n < 600 {
			return n
		}
	}
	return 0
}

func (b *builder) finish(kind string) Result {
	var lines []string
	for what, n := range b.inferred {
		lines = append(lines, fmt.Sprintf("inferred %s (%d)", what, n))
	}
	sort.Strings(lines)
	b.Notes = append([]string{fmt.Sprintf("%d exchanges from the %s log", len(b.Exchanges), kind)}, append(b.Notes, lines...)...)
	return b.Result
}

// Write writes r as a cassette recorded by recorder.
func Write(w io.Writer, recorder string, r Result) error {
	cw, err := cassette.NewWriter(w, recorder, nil)
	if err != nil {
		return err
	}
	for _, x := range r.Exchanges {
		if err := cw.Write(x); err != nil {
			return err
		}
	}
	return nil
}

func patch(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{patchSchema}, "Operations": ops}
}

// decodeList reads a JSON array, or an object holding it under key (the
// Graph API's "value", a download's wrapper).
func decodeList[T any](r io.Reader, key string) ([]T, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var list []T
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return nil, fmt.Errorf("not a JSON array of log entries: %w", err)
	}
	if err := json.Unmarshal(wrapped[key], &list); err != nil || wrapped[key] == nil {
		return nil, fmt.Errorf("no array of log entries (nor a %q member holding one)", key)
	}
	return list, nil
}
