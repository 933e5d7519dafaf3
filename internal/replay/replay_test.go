package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/idpconform/idpconform/internal/cassette"
)

// cassetteOf writes xs as a cassette and opens it for reading.
func cassetteOf(t *testing.T, xs ...cassette.Exchange) *cassette.Reader {
	t.Helper()
	var buf bytes.Buffer
	w, err := cassette.NewWriter(&buf, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range xs {
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	r, err := cassette.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestIdsAreMappedEverywhere(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.URL.Query().Get("filter")+" "+string(b))
		mu.Unlock()
		switch {
		case r.Method == "POST" && r.URL.Path == "/Users":
			w.Header().Set("Location", "http://x/Users/new-u")
			w.WriteHeader(201)
			_, _ = io.WriteString(w, `{"id":"new-u","userName":"ada"}`)
		case r.Method == "GET" && r.URL.Path == "/Groups":
			// the replayed list comes in another order than the recorded one
			_, _ = io.WriteString(w, `{"Resources":[{"id":"new-g2","displayName":"two"},{"id":"new-g1","displayName":"one"}]}`)
		case r.Header.Get("Authorization") != "Bearer right":
			w.WriteHeader(401)
		default:
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{}`)
		}
	}))
	defer srv.Close()
	auth := map[string][]string{"Authorization": {"Bearer old"}}
	r := cassetteOf(t,
		cassette.Exchange{Method: "POST", URI: "/Users", RequestHeaders: auth, RequestBody: `{"userName":"ada"}`, Status: 201,
			ResponseBody: `{"id":"old-u","userName":"ada"}`},
		cassette.Exchange{Method: "GET", URI: "/Groups", RequestHeaders: auth, Status: 200,
			ResponseBody: `{"Resources":[{"id":"old-g1","displayName":"one"},{"id":"old-g2","displayName":"two"}]}`},
		cassette.Exchange{Method: "PATCH", URI: "/Groups/old-g1", RequestHeaders: auth, Status: 200,
			RequestBody: `{"Operations":[{"op":"remove","path":"members[value eq \"old-u\"]"},{"op":"add","value":[{"value":"old-u","$ref":"http://x/Users/old-u"}]}]}`},
		cassette.Exchange{Method: "GET", URI: `/Users?filter=id+eq+%22old-u%22&count=1`, RequestHeaders: auth, Status: 200},
		cassette.Exchange{Method: "GET", URI: "/Users/old-u", RequestHeaders: map[string][]string{"Authorization": {"Bearer x"}}, Status: 401},
	)
	var observed int
	res, err := Run(context.Background(), r, Options{Base: srv.URL, Header: http.Header{"Authorization": {"Bearer right"}},
		Observe: func(int, cassette.Exchange, cassette.Exchange, string) { observed++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 5 || res.Different != 0 || observed != 5 {
		t.Fatalf("result %+v (observed %d): %+v", res, observed, res.Differences)
	}
	patch := seen[2]
	if !strings.HasPrefix(patch, "PATCH /Groups/new-g1 ") || strings.Contains(patch, "old-") ||
		!strings.Contains(patch, `members[value eq \"new-u\"]`) || !strings.Contains(patch, `"$ref":"http://x/Users/new-u"`) {
		t.Errorf("the PATCH went out as %s", patch)
	}
	if seen[3] != `GET /Users id eq "new-u" ` {
		t.Errorf("the filter went out as %s", seen[3])
	}
	if seen[4] != "GET /Users/new-u  " {
		t.Errorf("the refused read went out as %s", seen[4])
	}
}

func TestADifferenceShowsBothExchanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200) // the recorded server answered 409
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "dup"})
	}))
	defer srv.Close()
	r := cassetteOf(t, cassette.Exchange{Method: "POST", URI: "/Users", Status: 409, ResponseBody: `{"status":"409"}`},
		cassette.Exchange{Method: "GET", URI: "/Users", Status: 200})
	res, err := Run(context.Background(), r, Options{Base: srv.URL, Until: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Different != 1 || len(res.Differences) != 1 {
		t.Fatalf("result %+v", res)
	}
	d := res.Differences[0]
	if d.Index != 1 || d.Reason != "status 200, recorded 409" || d.Recorded.Status != 409 || d.Replayed.Status != 200 || !strings.Contains(d.Replayed.ResponseBody, "dup") {
		t.Fatalf("difference %+v", d)
	}
}

func TestAUserCreatedOutsideTheCassetteIsNotSent(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		_, _ = io.WriteString(w, `{"Resources":[]}`)
	}))
	defer srv.Close()
	r := cassetteOf(t,
		cassette.Exchange{Method: "GET", URI: "/Users?filter=x", Status: 200, ResponseBody: `{"Resources":[{"id":"jit","userName":"grace"}]}`},
		cassette.Exchange{Method: "DELETE", URI: "/Users/jit", Status: 204})
	res, err := Run(context.Background(), r, Options{Base: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Foreign != 1 || hits != 1 {
		t.Fatalf("result %+v, %d requests", res, hits)
	}
}

func TestPrefixGoesBeforeNamesInBodiesAndFilters(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.URL.Query().Get("filter")+string(b))
		mu.Unlock()
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	r := cassetteOf(t,
		cassette.Exchange{Method: "POST", URI: "/Users", RequestBody: `{"userName":"ada","externalId":"e1","name":{"givenName":"Ada"}}`, Status: 200},
		cassette.Exchange{Method: "GET", URI: `/Users?filter=userName%20eq%20%22ada%22`, Status: 200})
	if _, err := Run(context.Background(), r, Options{Base: srv.URL, Prefix: "rp-"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen[0], `"userName":"rp-ada"`) || !strings.Contains(seen[0], `"externalId":"rp-e1"`) || !strings.Contains(seen[0], `"givenName":"Ada"`) {
		t.Errorf("the body went out as %s", seen[0])
	}
	if seen[1] != `userName eq "rp-ada"` {
		t.Errorf("the filter went out as %s", seen[1])
	}
}

// TestMembersAddedOutsideTheCassetteAreNotExpected: a group whose recorded
// members were users an SSO login created (never in the cassette) comes
// back without them; members the cassette created must come back.
func TestMembersAddedOutsideTheCassetteAreNotExpected(t *testing.T) {
	for _, c := range []struct {
		member string
		want   int
	}{{"jit-user", 0}, {"u1", 1}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, `{"id":"new-u1","userName":"ada"}`)
				return
			}
			_, _ = io.WriteString(w, `{"id":"new-g1","displayName":"ops"}`)
		}))
		r := cassetteOf(t,
			cassette.Exchange{Method: "POST", URI: "/Users", Status: 201, RequestBody: `{"userName":"ada"}`, ResponseBody: `{"id":"u1","userName":"ada"}`},
			cassette.Exchange{Method: "GET", URI: "/Groups/new-g1", Status: 200,
				ResponseBody: `{"id":"g1","displayName":"ops","members":[{"value":"` + c.member + `"}]}`})
		res, err := Run(context.Background(), r, Options{Base: srv.URL})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Different != c.want {
			t.Errorf("members [%s]: %d differences %+v, want %d", c.member, res.Different, res.Differences, c.want)
		}
	}
}
