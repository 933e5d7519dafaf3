package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// The guard keeps the harness from changing what it did not create. Every
// PUT, PATCH and DELETE of a resource (/Users/{id}, /Groups/{id}, …) is
// sent only if the resource is the run's: the client created it, or a
// target's answer showed it with a name that carries the client's marker
// (the scenario's prefix, which holds a random run token). Anything else is
// read back first, and refused unless that read shows the very id asked
// for under a name with the marker. A broken filter or a wrong answer to a
// GET by id can then fail a scenario, never touch a customer's account.
type guard struct {
	marker string // lower case; "" switches the guard off (unit tests of the fakes)
	mu     sync.Mutex
	owned  map[string]bool // "Users/2819c223"
}

func newGuard(marker string) *guard {
	return &guard{marker: strings.ToLower(marker), owned: map[string]bool{}}
}

// Marks says whether a name carries the marker. userName is case
// insensitive (RFC 7643 §4.1.1), so the comparison is too.
func (g *guard) marks(name string) bool {
	return g.marker != "" && strings.Contains(strings.ToLower(name), g.marker)
}

func (g *guard) adopt(key string) {
	g.mu.Lock()
	g.owned[key] = true
	g.mu.Unlock()
}

func (g *guard) owns(key string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.owned[key]
}

// Refused is a write the guard did not send: the resource is not one the
// run created. The target led the harness there (a lookup or a read gave
// it someone else's id), so callers report it as the target's finding.
type Refused struct {
	Method, Path string
	Why          string
}

func (e *Refused) Error() string {
	return fmt.Sprintf("idpconform refused to send %s %s: %s; it changes only what this run created", e.Method, e.Path, e.Why)
}

// resourceKey is "Users/{id}" for a path naming one resource of a resource
// type ("/Users/42"), else "".
func resourceKey(path string) string {
	p, _, _ := strings.Cut(path, "?")
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) != 2 || parts[1] == "" || !isResourceType(parts[0]) {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// collection is "Users" for a create's path ("/Users"), else "".
func collection(path string) string {
	p, _, _ := strings.Cut(path, "?")
	p = strings.Trim(p, "/")
	if strings.Contains(p, "/") || !isResourceType(p) {
		return ""
	}
	return p
}

// isResourceType: SCIM resource endpoints are capitalised nouns (/Users,
// /Groups); the discovery endpoints and /Bulk are not resources one writes.
func isResourceType(s string) bool {
	switch s {
	case "", "ServiceProviderConfig", "ResourceTypes", "Schemas", "Bulk", "Me", ".search":
		return false
	}
	return s[0] >= 'A' && s[0] <= 'Z'
}

// nameOf is what a resource is called: a user's userName, else its
// displayName (groups and other resources).
func nameOf(o Object) string {
	for _, attr := range []string{"userName", "displayName"} {
		if v, _ := o.Lookup(attr); v != nil {
			if n, ok := v.(string); ok && n != "" {
				return n
			}
		}
	}
	return ""
}

// learn adopts every resource in an answer that carries the marker: a
// single resource or a ListResponse's Resources.
func (g *guard) learn(kind string, body []byte) {
	if g.marker == "" || kind == "" || len(body) == 0 {
		return
	}
	var o Object
	if json.Unmarshal(body, &o) != nil {
		return
	}
	learnOne := func(r Object) {
		if id, _ := r["id"].(string); id != "" && g.marks(nameOf(r)) {
			g.adopt(kind + "/" + id)
		}
	}
	if list, ok := o["Resources"].([]any); ok {
		for _, r := range list {
			if m, ok := r.(map[string]any); ok {
				learnOne(m)
			}
		}
		return
	}
	learnOne(o)
}

// check decides whether a write to key may be sent, reading the resource
// back when the guard has not seen it as the run's.
func (c *Client) check(ctx context.Context, method, path, key string) error {
	g := c.guard
	if g.marker == "" || g.owns(key) {
		return nil
	}
	resp, err := c.Quiet().retrying(ctx, Request{Method: http.MethodGet, Path: "/" + key}) // no check's traffic
	if err != nil {
		return &Refused{Method: method, Path: path, Why: "it could not be read back to check whose it is (" + err.Error() + ")"}
	}
	if resp.Status != http.StatusOK {
		return &Refused{Method: method, Path: path, Why: "reading it back answered " + resp.Brief()}
	}
	o, err := resp.Object()
	if err != nil {
		return &Refused{Method: method, Path: path, Why: "reading it back gave no resource"}
	}
	_, id, _ := strings.Cut(key, "/")
	got, _ := o["id"].(string)
	switch name := nameOf(o); {
	case got != id:
		return &Refused{Method: method, Path: path, Why: fmt.Sprintf("reading it back answered another resource (id %q, name %q)", got, name)}
	case !g.marks(name):
		return &Refused{Method: method, Path: path, Why: fmt.Sprintf("it is %q, which this run did not create", name)}
	}
	g.adopt(key)
	return nil
}
