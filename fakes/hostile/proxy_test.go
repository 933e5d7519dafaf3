package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"go/parser"
	gotoken "go/token"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bench is a seeded reference target and a proxy in front of it on
// 127.0.0.1.
type bench struct {
	up   Target // the target itself
	via  Target // through the proxy
	base string // the proxy's SCIM base URL
	refs []Ref  // seeded: 10 users, then 3 groups
}

func newBench(t *testing.T, modes ...Mode) bench {
	t.Helper()
	ref, up := reference(t)
	refs := seed(t, up)
	srv := httptest.NewServer(Proxy(ref, modes...))
	t.Cleanup(srv.Close)
	base := srv.URL + "/scim/v2"
	return bench{up: up, via: At(base, token), base: base, refs: refs}
}

// list GETs a list through the proxy.
func (b bench) list(t *testing.T, path string) (total int, names []string) {
	t.Helper()
	res, err := b.via.object(context.Background(), http.MethodGet, path, nil, http.StatusOK)
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Total     int              `json:"totalResults"`
		Resources []map[string]any `json:"Resources"`
	}
	remarshal(t, res, &l)
	for _, r := range l.Resources {
		names = append(names, nameOf(r))
	}
	return l.Total, names
}

func nameOf(res map[string]any) string {
	if n, ok := res["userName"].(string); ok {
		return n
	}
	n, _ := res["displayName"].(string)
	return n
}

func remarshal(t *testing.T, in, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

// post creates a user through the proxy with client c and returns the
// answer and the body, or the error reading it.
func (b bench) post(t *testing.T, c *http.Client, userName string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+"/Users", strings.NewReader(`{"userName":"`+userName+`"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// holds says whether the target itself has a user named userName.
func (b bench) holds(t *testing.T, userName string) bool {
	t.Helper()
	got, err := Remaining(context.Background(), b.up, userName)
	if err != nil {
		t.Fatal(err)
	}
	return len(got) == 1 && got[0].Name == userName
}

func TestDiscoveryPassesThroughEveryMode(t *testing.T) {
	all := []Mode{IgnoreFilter, AllUsersForAnyLookup, WrongResourceForGet, RenameResources, SlowCreates(time.Hour),
		CutMidBody, CreateWithoutID, DeleteNoop, UnreadableCreate}
	b := newBench(t, all...)
	host := strings.TrimPrefix(strings.TrimSuffix(b.base, "/scim/v2"), "http://")
	for _, path := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas"} {
		ctx := context.Background()
		_, want, err := b.up.do(ctx, http.MethodGet, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		status, got, err := b.via.do(ctx, http.MethodGet, path, nil)
		got = bytes.ReplaceAll(got, []byte(host), []byte("127.0.0.1")) // locations name the host asked
		if err != nil || status != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%s through the proxy: %d %v, body differs from the target's: %.200s", path, status, err, got)
		}
	}
}

func TestWithoutModesNothingChanges(t *testing.T) {
	b := newBench(t)
	if total, names := b.list(t, `/Users?filter=`+url.QueryEscape(`userName eq "maria.garcia@acme-corp.example"`)); total != 1 || len(names) != 1 {
		t.Errorf("filtered lookup = %d %q, want maria alone", total, names)
	}
	res, err := b.via.object(context.Background(), http.MethodGet, "/Users/"+b.refs[2].ID, nil, http.StatusOK)
	if err != nil || res["id"] != b.refs[2].ID || nameOf(res) != b.refs[2].Name {
		t.Errorf("read %s = %v %v", b.refs[2], res, err)
	}
}

func TestIgnoreFilter(t *testing.T) {
	b := newBench(t, IgnoreFilter)
	q := url.QueryEscape(`userName eq "maria.garcia@acme-corp.example"`)
	if total, names := b.list(t, "/Users?count=4&filter="+q); total != 10 || len(names) != 4 {
		t.Errorf("lookup of one user = %d resources, page %q; want all 10, paged by 4", total, names)
	}
	q = url.QueryEscape(`displayName eq "ops-admins"`)
	if total, _ := b.list(t, "/Groups?filter="+q); total != 3 {
		t.Errorf("lookup of one group = %d resources, want all 3", total)
	}
}

func TestAllUsersForAnyLookup(t *testing.T) {
	b := newBench(t, AllUsersForAnyLookup)
	q := url.QueryEscape(`userName eq "nobody@acme-corp.example"`)
	if total, names := b.list(t, "/Users?count=1&startIndex=5&filter="+q); total != 10 || len(names) != 10 || names[0] != b.refs[0].Name {
		t.Errorf("lookup = %d resources, page %q; want all 10 in one page", total, names)
	}
	if total, names := b.list(t, "/Groups?filter="+url.QueryEscape(`displayName eq "x"`)); total != 3 || len(names) != 3 {
		t.Errorf("group lookup = %d %q, want all 3", total, names)
	}
	if total, names := b.list(t, "/Users?count=2"); total != 10 || len(names) != 2 {
		t.Errorf("a list without filter = %d %q, want it untouched (10, paged by 2)", total, names)
	}
}

func TestWrongResourceForGet(t *testing.T) {
	b := newBench(t, WrongResourceForGet)
	first, second, third := b.refs[0], b.refs[1], b.refs[2]
	groups := b.refs[10:]
	for _, tc := range []struct{ ask, get Ref }{
		{third, first}, {first, second}, {groups[2], groups[0]}, {groups[0], groups[1]},
	} {
		res, err := b.via.object(context.Background(), http.MethodGet, "/"+tc.ask.Endpoint+"/"+tc.ask.ID, nil, http.StatusOK)
		if err != nil {
			t.Fatal(err)
		}
		if res["id"] != tc.get.ID || nameOf(res) != tc.get.Name {
			t.Errorf("read %s answered %v %q, want %s", tc.ask, res["id"], nameOf(res), tc.get)
		}
	}
}

func TestRenameResources(t *testing.T) {
	b := newBench(t, RenameResources)
	ctx := context.Background()
	_, names := b.list(t, "/Users")
	_, groups := b.list(t, "/Groups")
	for _, n := range append(names, groups...) {
		if !strings.HasPrefix(n, "zz-") {
			t.Errorf("listed %q, want it renamed", n)
		}
	}
	if groups[0] != "zz--admins" {
		t.Errorf("ops-admins shows as %q, want zz--admins", groups[0])
	}
	made, err := b.via.object(ctx, http.MethodPost, "/Users", map[string]any{"userName": "idpc-k7q2-ada"}, http.StatusCreated)
	if err != nil || made["userName"] != "zz-c-k7q2-ada" {
		t.Fatalf("create answered %v %v, want userName zz-c-k7q2-ada", made["userName"], err)
	}
	id, _ := made["id"].(string)
	read, err := b.via.object(ctx, http.MethodGet, "/Users/"+id, nil, http.StatusOK)
	if err != nil || read["userName"] != "zz-c-k7q2-ada" {
		t.Errorf("read answered %v %v, want zz-c-k7q2-ada", read["userName"], err)
	}
	if !b.holds(t, "idpc-k7q2-ada") {
		t.Error("the target itself does not hold idpc-k7q2-ada: renaming must only change what is shown")
	}
}

func TestSlowCreates(t *testing.T) {
	t.Run("past the client's timeout", func(t *testing.T) {
		b := newBench(t, SlowCreates(time.Hour))
		_, _, err := b.post(t, &http.Client{Timeout: 200 * time.Millisecond}, "idpc-k7q2-slow")
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err = %v, want the client's timeout", err)
		}
		if !b.holds(t, "idpc-k7q2-slow") {
			t.Error("the slow create did not reach the target")
		}
	})
	t.Run("answers in the end", func(t *testing.T) {
		b := newBench(t, SlowCreates(time.Millisecond))
		resp, body, err := b.post(t, http.DefaultClient, "idpc-k7q2-late")
		if err != nil || resp.StatusCode != http.StatusCreated || !json.Valid(body) {
			t.Fatalf("create = %v %s, want 201 with the resource", err, body)
		}
		if loc := resp.Header.Get("Location"); loc != "" {
			t.Errorf("Location %q: a slow create must not tell the id by its header", loc)
		}
	})
}

func TestCutMidBody(t *testing.T) {
	b := newBench(t, CutMidBody)
	resp, body, err := b.post(t, http.DefaultClient, "idpc-k7q2-cut")
	if err == nil {
		t.Fatalf("the body read whole: %s", body)
	}
	if resp == nil || resp.StatusCode != http.StatusCreated || resp.Header.Get("Location") != "" {
		t.Errorf("answer = %v, want 201 without Location before the cut", resp)
	}
	if len(body) == 0 || json.Valid(body) {
		t.Errorf("got %q before the cut, want the first half of the resource", body)
	}
	if !b.holds(t, "idpc-k7q2-cut") {
		t.Error("the create did not reach the target")
	}
}

func TestCreateWithoutID(t *testing.T) {
	b := newBench(t, CreateWithoutID)
	resp, body, err := b.post(t, http.DefaultClient, "idpc-k7q2-noid")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	meta, _ := res["meta"].(map[string]any)
	if resp.StatusCode != http.StatusOK || res["id"] != nil || meta["location"] != nil || resp.Header.Get("Location") != "" ||
		res["userName"] != "idpc-k7q2-noid" || meta["created"] == nil {
		t.Errorf("create = %d Location %q %s; want 200 and the resource without id or location", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if !b.holds(t, "idpc-k7q2-noid") {
		t.Error("the create did not reach the target")
	}
	// A refused create is the target's own answer.
	resp, body, err = b.post(t, http.DefaultClient, "idpc-k7q2-noid")
	if err != nil || resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "uniqueness") {
		t.Errorf("duplicate = %v %s, want the target's 409", err, body)
	}
}

func TestUnreadableCreate(t *testing.T) {
	b := newBench(t, UnreadableCreate)
	resp, body, err := b.post(t, http.DefaultClient, "idpc-k7q2-html")
	if err != nil || resp.StatusCode != http.StatusCreated || json.Valid(body) || resp.Header.Get("Location") != "" {
		t.Errorf("create = %v %v Location %q %q, want 201 with a body that is not JSON", resp, err, resp.Header.Get("Location"), body)
	}
	if !b.holds(t, "idpc-k7q2-html") {
		t.Error("the create did not reach the target")
	}
	// Reads stay readable: only creates are bent.
	if _, err := b.via.object(context.Background(), http.MethodGet, "/Users/"+b.refs[0].ID, nil, http.StatusOK); err != nil {
		t.Error(err)
	}
}

func TestDeleteNoop(t *testing.T) {
	b := newBench(t, DeleteNoop)
	ctx := context.Background()
	before := snapshot(t, b.up, b.refs)
	for _, r := range []Ref{b.refs[0], b.refs[10]} {
		status, body, err := b.via.do(ctx, http.MethodDelete, "/"+r.Endpoint+"/"+r.ID, nil)
		if err != nil || status != http.StatusNoContent {
			t.Errorf("delete %s = %d %s %v, want 204", r, status, body, err)
		}
	}
	if d := Diff(before, snapshot(t, b.up, b.refs)); d != nil {
		t.Errorf("a no-op delete changed the target: %q", d)
	}
}

func TestModesCombine(t *testing.T) {
	b := newBench(t, CreateWithoutID, RenameResources, IgnoreFilter, DeleteNoop)
	resp, body, err := b.post(t, http.DefaultClient, "idpc-k7q2-both")
	if err != nil || resp.StatusCode != http.StatusOK || strings.Contains(string(body), `"id"`) || !strings.Contains(string(body), `"zz-c-k7q2-both"`) {
		t.Errorf("create = %v %s, want 200, renamed, without id", err, body)
	}
	if total, names := b.list(t, "/Users?filter="+url.QueryEscape(`userName eq "idpc-k7q2-both"`)); total != 11 || !strings.HasPrefix(names[0], "zz-") {
		t.Errorf("lookup = %d %q, want all 11 renamed", total, names)
	}
}

// TestOnlyTestsImportHostile keeps this package out of the binary: it
// breaks targets on purpose.
func TestOnlyTestsImportHostile(t *testing.T) {
	const self = "github.com/idpconform/idpconform/fakes/hostile"
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "../.." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(gotoken.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == strconv.Quote(self) {
				t.Errorf("%s imports %s; only tests may", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
