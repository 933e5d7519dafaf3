// Package hostile is test support for issue 12 ("Safe on any target"): a
// proxy that makes the reference target (internal/reference/target) misbehave the way
// real SCIM endpoints do, plus foreign data to seed it with and the means
// to check afterwards what a run touched or left behind.
//
// The issue-12 tests use it for:
//   - §1, foreign data: Seed a target, run the suite (and fake okta|entra)
//     through Proxy with IgnoreFilter, AllUsersForAnyLookup,
//     WrongResourceForGet or RenameResources, then Snapshot again and
//     require an empty Diff;
//   - §2, leftovers: run through SlowCreates, CutMidBody, CreateWithoutID,
//     UnreadableCreate or DeleteNoop and require that Remaining finds
//     nothing of the run that its report does not list.
//
// Production code must not import it: it exists to break targets on
// purpose, and only tests may want that.
package hostile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Mode is one way Proxy misbehaves; modes combine freely. The create modes
// (SlowCreates, CutMidBody, CreateWithoutID, UnreadableCreate) bend only
// creates the target accepted, so the resource always exists upstream, and
// they drop the Location header so that the client cannot learn the id.
type Mode struct {
	name  string
	delay time.Duration // SlowCreates
}

// String names the mode, for test names.
func (m Mode) String() string { return m.name }

var (
	// IgnoreFilter drops the filter parameter of GET /Users and /Groups:
	// a lookup answers every resource, paged as the client asked.
	IgnoreFilter = Mode{name: "ignore-filter"}
	// AllUsersForAnyLookup answers a GET /Users or /Groups with a filter
	// with every resource of the endpoint in one page, totalResults = all.
	AllUsersForAnyLookup = Mode{name: "all-users-for-any-lookup"}
	// WrongResourceForGet answers GET /Users/{id} and /Groups/{id} with
	// another existing resource (the first one created other than id, with
	// its own id), status 200.
	WrongResourceForGet = Mode{name: "wrong-resource-for-get"}
	// RenameResources shows every user's userName and every group's
	// displayName with its first three characters replaced by "zz-", in
	// lists, reads and write answers alike.
	RenameResources = Mode{name: "rename-resources"}
	// CutMidBody creates upstream, then writes the status, the headers and
	// half the body, and closes the connection.
	CutMidBody = Mode{name: "cut-mid-body"}
	// CreateWithoutID creates upstream and answers 200 with the resource
	// minus id and meta.location.
	CreateWithoutID = Mode{name: "create-without-id"}
	// UnreadableCreate creates upstream and answers with a body that is not
	// JSON (status as the target gave it: 201).
	UnreadableCreate = Mode{name: "unreadable-create"}
	// DeleteNoop answers every DELETE 204 without forwarding it: nothing
	// is deleted (RFC 7644 §3.6 wants it gone).
	DeleteNoop = Mode{name: "delete-noop"}
)

// SlowCreates forwards POST /Users and /Groups (the resource is created)
// but holds the answer for d, or until the client gives up.
func SlowCreates(d time.Duration) Mode { return Mode{name: slowCreates, delay: d} }

const slowCreates = "slow-creates"

// Proxy serves upstream (a internal/reference/target Server) with modes switched on.
// Only /Users and /Groups are bent; discovery and everything else pass
// through unchanged. Requests the proxy makes on its own (to find another
// resource, to gather all pages) carry the client's credentials.
func Proxy(upstream http.Handler, modes ...Mode) http.Handler {
	p := &proxy{up: upstream, on: map[string]bool{}}
	for _, m := range modes {
		p.on[m.name] = true
		if m.name == slowCreates {
			p.delay = m.delay
		}
	}
	return p
}

type proxy struct {
	up    http.Handler
	on    map[string]bool
	delay time.Duration
}

// answer is what upstream said, held so that modes can bend it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	base, id, ok := route(r.URL.Path)
	switch {
	case !ok:
		p.up.ServeHTTP(w, r)
	case r.Method == http.MethodDelete && p.on[DeleteNoop.name]:
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost && id == "":
		p.create(w, r)
	case r.Method == http.MethodGet && id == "":
		p.write(w, p.list(r, base))
	case r.Method == http.MethodGet && p.on[WrongResourceForGet.name]:
		p.write(w, p.wrong(r, base, id))
	default:
		p.write(w, p.forward(r))
	}
}

// route splits a path ending in /Users or /Groups, optionally followed by
// one more segment (an id or .search), into the endpoint's path and that
// segment.
func route(path string) (base, id string, ok bool) {
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	n := len(segs)
	if ep := segs[n-1]; ep == "Users" || ep == "Groups" {
		return strings.Join(segs, "/"), "", true
	}
	if n >= 2 && (segs[n-2] == "Users" || segs[n-2] == "Groups") && segs[n-1] != "" {
		return strings.Join(segs[:n-1], "/"), segs[n-1], true
	}
	return "", "", false
}

func (p *proxy) forward(r *http.Request) answer {
	rec := httptest.NewRecorder()
	p.up.ServeHTTP(rec, r)
	return answer{rec.Code, rec.Result().Header, rec.Body.Bytes()}
}

// get asks upstream for path?q with r's credentials.
func (p *proxy) get(r *http.Request, path string, q url.Values) answer {
	sub := r.Clone(r.Context())
	sub.Method, sub.Body, sub.ContentLength = http.MethodGet, http.NoBody, 0
	sub.Header.Del("If-None-Match") // another resource may carry the same version
	sub.URL.Path, sub.URL.RawPath, sub.URL.RawQuery = path, "", q.Encode()
	sub.RequestURI = sub.URL.RequestURI()
	return p.forward(sub)
}

func (p *proxy) list(r *http.Request, base string) answer {
	q := r.URL.Query()
	if q.Get("filter") == "" {
		return p.forward(r)
	}
	q.Del("filter")
	if p.on[AllUsersForAnyLookup.name] {
		return p.all(r, base, q)
	}
	if p.on[IgnoreFilter.name] {
		return p.get(r, base, q)
	}
	return p.forward(r)
}

// allPages bounds how many pages all gathers.
const allPages = 50

// all gathers every resource of the endpoint, page by page, into one
// ListResponse.
func (p *proxy) all(r *http.Request, base string, q url.Values) answer {
	var every []any
	for page := 0; page < allPages; page++ {
		q.Set("startIndex", strconv.Itoa(len(every)+1))
		q.Set("count", strconv.Itoa(pageSize))
		a := p.get(r, base, q)
		var list struct {
			Total     int   `json:"totalResults"`
			Resources []any `json:"Resources"`
		}
		if a.status != http.StatusOK || json.Unmarshal(a.body, &list) != nil {
			return a
		}
		every = append(every, list.Resources...)
		if len(list.Resources) == 0 || len(every) >= list.Total {
			break
		}
	}
	body, _ := json.Marshal(map[string]any{
		"schemas":      []any{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(every), "startIndex": 1, "itemsPerPage": len(every), "Resources": every,
	})
	return answer{http.StatusOK, http.Header{"Content-Type": {"application/scim+json"}}, body}
}

// wrong answers a read of id with the first resource created other than
// id; with no other resource it reads id itself.
func (p *proxy) wrong(r *http.Request, base, id string) answer {
	a := p.get(r, base, url.Values{"startIndex": {"1"}, "count": {"2"}, "attributes": {"id"}})
	var list struct {
		Resources []struct {
			ID string `json:"id"`
		} `json:"Resources"`
	}
	_ = json.Unmarshal(a.body, &list)
	for _, res := range list.Resources {
		if res.ID != id && res.ID != "" {
			return p.get(r, base+"/"+url.PathEscape(res.ID), r.URL.Query())
		}
	}
	return p.forward(r)
}

func (p *proxy) create(w http.ResponseWriter, r *http.Request) {
	a := p.bend(p.forward(r))
	if a.status/100 != 2 {
		p.send(w, a)
		return
	}
	if p.on[CreateWithoutID.name] || p.on[UnreadableCreate.name] || p.on[CutMidBody.name] || p.on[slowCreates] {
		a.header.Del("Location")
	}
	if p.on[CreateWithoutID.name] {
		a.status = http.StatusOK
		a.body = edit(a.body, func(res map[string]any) {
			delete(res, "id")
			if meta, ok := res["meta"].(map[string]any); ok {
				delete(meta, "location")
			}
		})
	}
	if p.on[UnreadableCreate.name] {
		a.header.Set("Content-Type", "text/html; charset=utf-8")
		a.body = []byte(unreadable)
	}
	if p.on[slowCreates] {
		t := time.NewTimer(p.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return // the client gave up; there is no one to answer
		}
	}
	if p.on[CutMidBody.name] {
		cut(w, a)
		return
	}
	p.send(w, a)
}

// unreadable is what UnreadableCreate answers: a gateway's page, not JSON.
const unreadable = "<html><body><h1>Created</h1><p>Your request was processed.</body></html>\n"

// write sends a to the client, bent by RenameResources.
func (p *proxy) write(w http.ResponseWriter, a answer) { p.send(w, p.bend(a)) }

func (p *proxy) send(w http.ResponseWriter, a answer) {
	for k, v := range a.header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// bend applies RenameResources, which changes what every answer shows.
func (p *proxy) bend(a answer) answer {
	if !p.on[RenameResources.name] {
		return a
	}
	a.body = edit(a.body, func(res map[string]any) {
		list, ok := res["Resources"].([]any)
		if !ok {
			rename(res)
			return
		}
		for _, el := range list {
			if m, ok := el.(map[string]any); ok {
				rename(m)
			}
		}
	})
	return a
}

// rename replaces the first three characters of a user's userName or a
// group's displayName with "zz-".
func rename(res map[string]any) {
	key := "displayName"
	if _, ok := res["userName"]; ok {
		key = "userName"
	}
	if name, ok := res[key].(string); ok {
		rs := []rune(name)
		res[key] = "zz-" + string(rs[min(3, len(rs)):])
	}
}

// edit decodes a JSON object, lets f change it and encodes it again; a
// body that is not a JSON object is left as it is.
func edit(body []byte, f func(map[string]any)) []byte {
	var res map[string]any
	if json.Unmarshal(body, &res) != nil || res == nil {
		return body
	}
	f(res)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(res) != nil {
		return body
	}
	return buf.Bytes()
}

// cut writes the status, headers announcing the whole body, and half of it,
// then closes the connection. Without a connection to take over (HTTP/2)
// it aborts the response instead.
func cut(w http.ResponseWriter, a answer) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	a.header.Set("Content-Length", strconv.Itoa(len(a.body)))
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", a.status, http.StatusText(a.status))
	_ = a.header.Write(buf)
	_, _ = buf.WriteString("\r\n")
	_, _ = buf.Write(a.body[:len(a.body)/2])
	_ = buf.Flush()
}
