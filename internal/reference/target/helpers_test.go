package target

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testToken = "test-token"

// tclient drives a Server through httptest, authenticated by default.
type tclient struct {
	t   *testing.T
	srv *Server
}

// reply is one answer, with its body decoded when it is a JSON object.
type reply struct {
	code   int
	header http.Header
	raw    string
	body   map[string]any
}

func newTarget(t *testing.T, faults ...string) *tclient {
	t.Helper()
	srv, err := New(Options{Token: testToken, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	return &tclient{t: t, srv: srv}
}

// do sends body (a string is sent as is, anything else as JSON) to path
// under /scim/v2; hdr are header name/value pairs, and "Authorization"
// with "" sends none.
func (c *tclient) do(method, path string, body any, hdr ...string) reply {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = strings.NewReader(string(j))
	}
	if !strings.HasPrefix(path, "/healthz") {
		path = "/scim/v2" + path
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, req)
	r := reply{code: w.Code, header: w.Header(), raw: w.Body.String()}
	_ = json.Unmarshal(w.Body.Bytes(), &r.body)
	return r
}

// want fails unless the reply has the status code.
func (r reply) want(t *testing.T, code int) reply {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d: %s", r.code, code, r.raw)
	}
	return r
}

// at reads a dotted path ("name.givenName", "Resources.0.userName") out of
// the body; an extension URN is one key.
func (r reply) at(path string) any { return dig(r.body, path) }

func dig(v any, path string) any {
	for _, key := range splitPath(path) {
		switch t := v.(type) {
		case map[string]any:
			v = t[key]
		case []any:
			var i int
			if _, err := fmt.Sscan(key, &i); err != nil || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

func splitPath(p string) []string {
	if before, after, ok := strings.Cut(p, enterpriseURN); ok {
		var out []string
		if before = strings.TrimSuffix(before, "."); before != "" {
			out = strings.Split(before, ".")
		}
		out = append(out, enterpriseURN)
		if after = strings.TrimPrefix(after, "."); after != "" {
			out = append(out, strings.Split(after, ".")...)
		}
		return out
	}
	return strings.Split(p, ".")
}

func (r reply) str(path string) string { s, _ := r.at(path).(string); return s }

func (r reply) num(path string) int { f, _ := r.at(path).(float64); return int(f) }

func (r reply) list(path string) []any { l, _ := r.at(path).([]any); return l }

func (r reply) scimType() string { return r.str("scimType") }

// user is a typical Okta-shaped user named name.
func user(name string) map[string]any {
	return map[string]any{
		"schemas":     []any{userURN},
		"userName":    name,
		"displayName": name + " Tester",
		"nickName":    name + "y",
		"emails": []any{
			map[string]any{"value": name + "@work.example", "type": "work", "primary": true},
			map[string]any{"value": name + "@home.example", "type": "home"},
		},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func (c *tclient) createUser(body map[string]any) string {
	c.t.Helper()
	r := c.do("POST", "/Users", body)
	if r.code != http.StatusCreated && r.code != http.StatusOK {
		c.t.Fatalf("create user: %d %s", r.code, r.raw)
	}
	return r.str("id")
}

func (c *tclient) createGroup(name string, members ...string) string {
	c.t.Helper()
	ms := []any{}
	for _, m := range members {
		ms = append(ms, map[string]any{"value": m})
	}
	r := c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": name, "members": ms})
	if r.code != http.StatusCreated && r.code != http.StatusOK {
		c.t.Fatalf("create group: %d %s", r.code, r.raw)
	}
	return r.str("id")
}

func patchOp(ops ...map[string]any) map[string]any {
	l := make([]any, len(ops))
	for i, o := range ops {
		l[i] = o
	}
	return map[string]any{"schemas": []any{patchURN}, "Operations": l}
}

func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}
