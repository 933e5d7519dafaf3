package okta

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	reftarget "github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/transcript"
)

const importToken = "t0ken"

// fill creates n users on the reference target (fillUsers).
func fill(tb testing.TB, srv *reftarget.Server, n int) []string {
	tb.Helper()
	ids, err := fillUsers(srv, n)
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// fillUsers creates n users on the reference target through its handler,
// with no network: ids[i] is the id of user(i).
func fillUsers(srv *reftarget.Server, n int) (ids []string, err error) {
	ids = make([]string, n)
	for i := range n {
		u := user(strconv.Itoa(i))
		req := httptest.NewRequest(http.MethodPost, "/scim/v2/Users", bytes.NewReader(marshal(u.body())))
		req.Header.Set("Authorization", "Bearer "+importToken)
		req.Header.Set("Content-Type", scim.MediaType)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			return nil, fmt.Errorf("create user %d: %d %s", i, rec.Code, rec.Body)
		}
		o, err := (&scim.Response{Body: rec.Body.Bytes()}).Object()
		if err != nil {
			return nil, fmt.Errorf("create user %d: %w", i, err)
		}
		ids[i] = scim.Text(o["id"])
	}
	return ids, nil
}

// importer is an Okta client of the target at url, over loopback HTTP.
func importer(url string, pageSize int) *Client {
	auth := scim.Auth{Type: "bearer", Token: importToken}
	cfg := scim.Config{BaseURL: url, Auth: auth, HTTP: scim.NewHTTPClient(auth, 30*time.Second, nil), Timeout: 30 * time.Second}
	return New(scim.New(cfg, transcript.New(nil)), Options{PageSize: pageSize, Sleep: func(context.Context, time.Duration) error { return nil }})
}

// counted serves h on loopback and counts the requests it answers.
func counted(t *testing.T, h http.Handler) (url string, requests *atomic.Int64) {
	requests = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/scim/v2", requests
}

// TestImportGetsEveryUserOnce: 3 000 users in 300 pages of 10, each
// imported once with its userName and externalId, in as many requests as
// pages.
func TestImportGetsEveryUserOnce(t *testing.T) {
	const n, size = 3000, 10
	srv, err := reftarget.New(reftarget.Options{Token: importToken})
	if err != nil {
		t.Fatal(err)
	}
	ids := fill(t, srv, n)
	url, requests := counted(t, srv)
	got, err := importer(url, size).Import(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("imported %d users, want %d", len(got), n)
	}
	byID := map[string]Imported{}
	for _, r := range got {
		byID[r.ID] = r
	}
	for i, id := range ids {
		u := user(strconv.Itoa(i))
		r, ok := byID[id]
		if !ok || r.Times != 1 || r.Name != u.Login || r.ExternalID != u.OktaID {
			t.Fatalf("user %d (%s) imported as %+v (found %v), want once as %s, %s", i, id, r, ok, u.Login, u.OktaID)
		}
	}
	if got := requests.Load(); got != n/size {
		t.Errorf("%d requests, want one per page: %d", got, n/size)
	}
}

// lying answers every /Users page from page(startIndex, count), which
// returns totalResults and the users on it (user i is "u<i>").
func lying(page func(start, count int) (total int, users []int)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start, _ := strconv.Atoi(q.Get("startIndex"))
		count, _ := strconv.Atoi(q.Get("count"))
		total, users := page(start, count)
		var res []string
		for _, i := range users {
			res = append(res, fmt.Sprintf(`{"id":"u%d","userName":"user%d@example.com"}`, i, i))
		}
		w.Header().Set("Content-Type", scim.MediaType)
		fmt.Fprintf(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":%d,"startIndex":%d,"itemsPerPage":%d,"Resources":[%s]}`,
			total, start, len(users), strings.Join(res, ","))
	})
}

// span is the users from..to-1.
func span(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestImportGuardEndsListsThatNeverEnd: a target whose totalResults runs
// ahead of every page, or whose pages repeat, ends the import with a
// message that says so, in requests proportional to the first
// totalResults; one whose totalResults overstates ends at its first empty
// page with the users it has.
func TestImportGuardEndsListsThatNeverEnd(t *testing.T) {
	for _, tc := range []struct {
		name      string
		page      func(start, count int) (int, []int)
		imported  int
		repeated  int // imported twice
		requests  int64
		wantError string
	}{
		{name: "totalResults grows with every page",
			// 50 users announced first; every page is new and announces more.
			page:     func(start, count int) (int, []int) { return start + 49, span(start, start+count) },
			imported: 100, requests: 10,
			wantError: "okta: import: the list did not end within 10 pages of 10, 2 times what the 50 resources its first page announced need"},
		{name: "pages repeat under a huge totalResults",
			page:     func(start, count int) (int, []int) { return 1_000_000_000, span(1, 1+count) },
			imported: 10, repeated: 10, requests: 2,
			wantError: "okta: import: the page at startIndex=11 holds only resources already imported (user1@example.com first): the target repeats its pages"},
		{name: "pages repeat in part under a growing totalResults",
			// each page holds count new users and the last of the page before.
			page:     func(start, count int) (int, []int) { return start + 2*count, span(start-1, start+count) },
			imported: 61, repeated: 5, requests: 6, // 2 × ceil(21/10) pages
			wantError: "okta: import: the list did not end within 6 pages of 10, 2 times what the 21 resources its first page announced need"},
		{name: "totalResults overstates, then pages are empty",
			page: func(start, count int) (int, []int) {
				return 1_000_000_000, span(start, min(start+count, 26))
			},
			imported: 25, requests: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, requests := counted(t, lying(tc.page))
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			got, err := importer(url, 10).Import(ctx, "")
			switch {
			case tc.wantError == "" && err != nil:
				t.Fatalf("Import: %v, want no error", err)
			case tc.wantError != "" && (err == nil || err.Error() != tc.wantError):
				t.Fatalf("Import: %v\nwant: %s", err, tc.wantError)
			}
			repeated := 0
			for _, r := range got {
				if r.Times > 1 {
					repeated++
				}
			}
			if len(got) != tc.imported || repeated != tc.repeated {
				t.Errorf("imported %d users, %d of them twice; want %d, %d", len(got), repeated, tc.imported, tc.repeated)
			}
			if n := requests.Load(); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}
