package scim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// directory is a scripted SCIM server: users by id, and a log of every
// write that reached it.
type directory struct {
	mu     sync.Mutex
	users  map[string]string // id → userName
	writes []string
	// create answers a POST; nil stores the user and answers 201.
	create func(w http.ResponseWriter, name string)
	// get overrides GET /Users/{id}.
	get func(w http.ResponseWriter, id string) bool
}

func (d *directory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := strings.TrimPrefix(r.URL.Path, "/Users/")
	w.Header().Set("Content-Type", MediaType)
	switch {
	case r.Method == http.MethodPost:
		var body struct{ UserName string }
		_ = jsonDecode(r, &body)
		if d.create != nil {
			d.create(w, body.UserName)
			return
		}
		id := fmt.Sprintf("u%d", len(d.users)+1)
		d.users[id] = body.UserName
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q,"userName":%q}`, id, body.UserName)
	case r.Method == http.MethodGet && r.URL.Path != "/Users":
		if d.get != nil && d.get(w, id) {
			return
		}
		name, ok := d.users[id]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		fmt.Fprintf(w, `{"id":%q,"userName":%q}`, id, name)
	case r.Method == http.MethodGet: // any filter: every user (a broken filter)
		var rs []string
		for id, name := range d.users {
			rs = append(rs, fmt.Sprintf(`{"id":%q,"userName":%q}`, id, name))
		}
		fmt.Fprintf(w, `{"totalResults":%d,"Resources":[%s]}`, len(rs), strings.Join(rs, ","))
	default:
		d.writes = append(d.writes, r.Method+" "+r.URL.Path)
		if r.Method == http.MethodDelete {
			delete(d.users, id)
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (d *directory) sent() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.writes...)
}

func guarded(t *testing.T, d *directory) *Client {
	t.Helper()
	if d.users == nil {
		d.users = map[string]string{}
	}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return New(Config{BaseURL: srv.URL, HTTP: srv.Client(), Timeout: 2 * time.Second, Marker: "k7mq2aab-"}, nil)
}

func TestGuardRefusesWritesToWhatTheRunDidNotCreate(t *testing.T) {
	d := &directory{users: map[string]string{"real1": "maria.garcia@acme.example"}}
	c := guarded(t, d)
	ctx := context.Background()
	for _, m := range []string{http.MethodDelete, http.MethodPatch, http.MethodPut} {
		_, err := c.Do(ctx, Request{Method: m, Path: "/Users/real1", Body: []byte(`{}`)})
		var refused *Refused
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), "maria.garcia") {
			t.Errorf("%s of a customer's user: got %v, want a refusal naming the user", m, err)
		}
	}
	if got := d.sent(); len(got) != 0 {
		t.Fatalf("writes reached the target: %v", got)
	}
	if _, ok := d.users["real1"]; !ok {
		t.Fatal("the customer's user is gone")
	}
}

func TestGuardAllowsWhatTheRunCreated(t *testing.T) {
	d := &directory{}
	c := guarded(t, d)
	ctx := context.Background()
	resp, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{"userName":"idpc-k7mq2aab-ada"}`)})
	if err != nil || resp.Status != http.StatusCreated {
		t.Fatalf("create: %v %v", resp, err)
	}
	// a two-letter name cannot carry the marker: a 201 echoing it is ours
	if _, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{"userName":"ab"}`)}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"u1", "u2"} {
		if _, err := c.Do(ctx, Request{Method: http.MethodDelete, Path: "/Users/" + id}); err != nil {
			t.Errorf("delete %s: %v", id, err)
		}
	}
	if got := d.sent(); len(got) != 2 {
		t.Fatalf("writes sent: %v, want both deletes", got)
	}
}

// A server that answers a create with an existing account of that name
// (an upsert) must not hand the harness that account.
func TestGuardDoesNotTakeAnUpsertedAccount(t *testing.T) {
	d := &directory{users: map[string]string{"real7": "ab"}}
	d.create = func(w http.ResponseWriter, name string) {
		w.WriteHeader(http.StatusOK)
		fmt.Fprintf(w, `{"id":"real7","userName":%q}`, name)
	}
	c := guarded(t, d)
	ctx := context.Background()
	if _, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{"userName":"ab"}`)}); err != nil {
		t.Fatal(err)
	}
	if in := c.Intents(); len(in) != 1 || in[0].Outcome != Created || in[0].ID != "real7" {
		t.Fatalf("intents: %+v", in)
	}
	_, err := c.Do(ctx, Request{Method: http.MethodDelete, Path: "/Users/real7"})
	var refused *Refused
	if !errors.As(err, &refused) || len(d.sent()) != 0 {
		t.Fatalf("delete of the upserted account: %v, sent %v", err, d.sent())
	}
}

// A GET by id that answers another resource is no proof of ownership,
// even when that other resource is the run's own.
func TestGuardRefusesWhenTheReadBackIsAnotherResource(t *testing.T) {
	d := &directory{users: map[string]string{"real1": "maria@acme.example", "mine": "idpc-k7mq2aab-ada"}}
	d.get = func(w http.ResponseWriter, id string) bool {
		fmt.Fprint(w, `{"id":"mine","userName":"idpc-k7mq2aab-ada"}`)
		return true
	}
	c := guarded(t, d)
	_, err := c.Do(context.Background(), Request{Method: http.MethodDelete, Path: "/Users/real1"})
	if err == nil || !strings.Contains(err.Error(), "another resource") || len(d.sent()) != 0 {
		t.Fatalf("got %v, sent %v", err, d.sent())
	}
}

func TestLedgerSettlesEveryCreate(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){
		"created": func(w http.ResponseWriter) {
			w.WriteHeader(201)
			fmt.Fprint(w, `{"id":"1","userName":"idpc-k7mq2aab-a"}`)
		},
		"conflict":    func(w http.ResponseWriter) { w.WriteHeader(409); fmt.Fprint(w, `{"status":"409"}`) },
		"no-id":       func(w http.ResponseWriter) { w.WriteHeader(200); fmt.Fprint(w, `{"userName":"idpc-k7mq2aab-c"}`) },
		"unreadable":  func(w http.ResponseWriter) { w.WriteHeader(201); fmt.Fprint(w, `<html>`) },
		"server-fail": func(w http.ResponseWriter) { w.WriteHeader(502) },
		"hangs":       func(w http.ResponseWriter) { time.Sleep(300 * time.Millisecond) },
	}
	want := map[string]Outcome{"created": Created, "conflict": NotCreated, "no-id": Unknown, "unreadable": Unknown, "server-fail": Unknown, "hangs": Unknown}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { answer(w) }))
			defer srv.Close()
			c := New(Config{BaseURL: srv.URL, HTTP: srv.Client(), Timeout: 100 * time.Millisecond, Marker: "k7mq2aab-"}, nil)
			_, _ = c.Do(context.Background(), Request{Method: http.MethodPost, Path: "/Users", Body: []byte(`{"userName":"idpc-k7mq2aab-` + name + `"}`)})
			in := c.Intents()
			if len(in) != 1 || in[0].Outcome != want[name] || in[0].Name != "idpc-k7mq2aab-"+name {
				t.Fatalf("intents %+v, want one %s", in, want[name])
			}
			if in[0].Outcome == Unknown && in[0].Why == "" {
				t.Error("an unknown outcome says why")
			}
		})
	}
}

func TestFindOneRefusesWhatTheFilterExcludes(t *testing.T) {
	list := func(body string) *Response { return &Response{Status: 200, Body: []byte(body)} }
	if o, err := FindOne(list(`{"totalResults":1,"Resources":[{"id":"1","userName":"ADA"}]}`), "userName", "ada"); err != nil || ID(o) != "1" {
		t.Errorf("one match: %v %v", o, err)
	}
	if o, err := FindOne(list(`{"totalResults":0,"Resources":[]}`), "userName", "ada"); err != nil || o != nil {
		t.Errorf("no match: %v %v", o, err)
	}
	var mismatch *FilterMismatch
	for _, body := range []string{
		`{"totalResults":2,"Resources":[{"id":"9","userName":"maria"},{"id":"1","userName":"ada"}]}`,
		`{"totalResults":2,"Resources":[{"id":"1","userName":"ada"},{"id":"2","userName":"ada"}]}`,
		`{"totalResults":1,"Resources":[{"userName":"ada"}]}`,
	} {
		if _, err := FindOne(list(body), "userName", "ada"); !errors.As(err, &mismatch) || !strings.Contains(err.Error(), "3.4.2.2") {
			t.Errorf("%s: got %v, want a FilterMismatch citing §3.4.2.2", body, err)
		}
	}
}

func jsonDecode(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
