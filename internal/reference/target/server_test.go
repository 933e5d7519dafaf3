package target

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestNewRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"empty token", Options{}},
		{"unknown fault", Options{Token: "t", Faults: []string{"no-such-fault"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.opts); err == nil {
				t.Fatal("New accepted the options")
			}
		})
	}
	if _, err := New(Options{Token: "t", Faults: []string{"no-meta", "html-404"}}); err != nil {
		t.Fatal(err)
	}
}

func TestAuth(t *testing.T) {
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	for _, tc := range []struct {
		name, auth string
		code       int
	}{
		{"bearer", "Bearer " + testToken, 200},
		{"bearer lower-case scheme", "bearer " + testToken, 200},
		{"basic with the token as password", basic("anyone", testToken), 200},
		{"no credential", "", 401},
		{"wrong bearer", "Bearer nope", 401},
		{"token prefix", "Bearer " + testToken[:4], 401},
		{"basic with a wrong password", basic("anyone", "nope"), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTarget(t).do("GET", "/Users", nil, "Authorization", tc.auth)
			r.want(t, tc.code)
			if tc.code == 401 {
				if got := r.header.Get("WWW-Authenticate"); got != `Bearer realm="idpconform"` {
					t.Errorf("WWW-Authenticate %q", got)
				}
				if r.str("status") != "401" || r.list("schemas")[0] != errorURN {
					t.Errorf("not a SCIM error: %s", r.raw)
				}
			}
		})
	}
	t.Run("healthz needs none", func(t *testing.T) {
		r := newTarget(t).do("GET", "/healthz", nil, "Authorization", "")
		if r.code != 200 || r.raw != "ok" {
			t.Fatalf("%d %q", r.code, r.raw)
		}
	})
}

func TestErrors(t *testing.T) {
	big := `{"userName":"` + strings.Repeat("a", maxBody) + `"}`
	for _, tc := range []struct {
		name, method, path string
		body               any
		code               int
		scimType           string
	}{
		{"unknown id", "GET", "/Users/nope", nil, 404, ""},
		{"unknown endpoint", "GET", "/Accounts", nil, 404, ""},
		{"unknown nested endpoint", "GET", "/Users/a/b", nil, 404, ""},
		{"wrong method on a collection", "DELETE", "/Users", nil, 405, ""},
		{"wrong method on discovery", "POST", "/ServiceProviderConfig", "{}", 405, ""},
		{"malformed JSON", "POST", "/Users", `{"userName":`, 400, "invalidSyntax"},
		{"JSON that is not an object", "POST", "/Users", `["a"]`, 400, "invalidSyntax"},
		{"body over 1 MiB", "POST", "/Users", big, 413, ""},
		{"duplicate userName", "POST", "/Users", user("ada"), 409, "uniqueness"},
		{"PATCH without the PatchOp schema", "PATCH", "/Users/ID", `{"Operations":[{"op":"add","path":"title","value":"x"}]}`, 400, "invalidSyntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTarget(t)
			id := c.createUser(user("ada"))
			r := c.do(tc.method, strings.Replace(tc.path, "ID", id, 1), tc.body).want(t, tc.code)
			if ct := r.header.Get("Content-Type"); ct != "application/scim+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if r.str("status") != strconv.Itoa(tc.code) || r.scimType() != tc.scimType || r.str("detail") == "" {
				t.Errorf("error body %s, want status %q scimType %q", r.raw, strconv.Itoa(tc.code), tc.scimType)
			}
			if s := r.list("schemas"); len(s) != 1 || s[0] != errorURN {
				t.Errorf("schemas %v", s)
			}
		})
	}
}

func TestContentTypes(t *testing.T) {
	c := newTarget(t)
	for _, ct := range []string{"application/scim+json", "application/json", "application/scim+json; charset=utf-8"} {
		r := c.do("POST", "/Users", user("u-"+strconv.Itoa(len(ct))), "Content-Type", ct).want(t, 201)
		if got := r.header.Get("Content-Type"); got != "application/scim+json" {
			t.Errorf("request %s: response Content-Type %q", ct, got)
		}
	}
}

func TestETags(t *testing.T) {
	c := newTarget(t)
	created := c.do("POST", "/Users", user("ada")).want(t, 201)
	id, v1 := created.str("id"), created.header.Get("ETag")
	if v1 != `W/"1"` || created.str("meta.version") != v1 {
		t.Fatalf("ETag %q, meta.version %q", v1, created.str("meta.version"))
	}
	c.do("GET", "/Users/"+id, nil, "If-None-Match", v1).want(t, 304)
	c.do("GET", "/Users/"+id, nil, "If-None-Match", `W/"7"`).want(t, 200)
	put := c.do("PUT", "/Users/"+id, user("ada"), "If-Match", v1).want(t, 200)
	v2 := put.header.Get("ETag")
	if v2 == v1 || put.str("meta.version") != v2 {
		t.Fatalf("version after PUT %q (was %q)", v2, v1)
	}
	for _, tc := range []struct{ method, etag string }{
		{"PUT", v1}, {"PATCH", v1}, {"DELETE", v1},
	} {
		var body any
		switch tc.method {
		case "PUT":
			body = user("ada")
		case "PATCH":
			body = patchOp(op("replace", "title", "x"))
		}
		r := c.do(tc.method, "/Users/"+id, body, "If-Match", tc.etag).want(t, 412)
		if r.str("status") != "412" {
			t.Errorf("%s: %s", tc.method, r.raw)
		}
	}
	c.do("PATCH", "/Users/"+id, patchOp(op("replace", "title", "x")), "If-Match", v2).want(t, 200)
	c.do("DELETE", "/Users/"+id, nil, "If-Match", "*").want(t, 204)
}

func TestListen(t *testing.T) {
	srv, err := New(Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	run, err := Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if !strings.HasPrefix(run.URL(), "http://127.0.0.1:") || !strings.HasSuffix(run.URL(), "/scim/v2") {
		t.Fatalf("URL %q", run.URL())
	}
	req, _ := http.NewRequest("GET", run.URL()+"/ServiceProviderConfig", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
