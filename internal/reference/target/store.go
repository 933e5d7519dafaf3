package target

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// resource is one stored user or group: its attributes as canonical JSON
// (map[string]any, canonical attribute case), plus what the server owns.
type resource struct {
	kind     *kind
	id       string
	data     map[string]any
	version  int
	created  time.Time
	modified time.Time
	seq      int  // creation order, the default list order
	gone     bool // removed, still in the store's order until compacted
}

// etag is the weak entity tag of the current version (RFC 7644 §3.14).
func (res *resource) etag() string { return fmt.Sprintf(`W/"%d"`, res.version) }

// location is the absolute URL of the resource, built from the request.
func (res *resource) location(r *http.Request) string {
	return baseURL(r) + "/" + res.kind.Endpoint + "/" + res.id
}

// touch records a change: a new version and lastModified.
func (res *resource) touch() {
	res.version++
	res.modified = time.Now().UTC()
}

// store holds every resource. One mutex is plenty for a reference target.
type store struct {
	mu  sync.Mutex
	all map[*kind]map[string]*resource
	seq int
	// order is each kind's resources in creation order, dead counts the
	// removed ones still in it; idx finds resources by attribute
	// (index.go): attribute → key → resources.
	order map[*kind][]*resource
	dead  map[*kind]int
	idx   map[*kind]map[string]map[string][]*resource
	// numericIDs (the numeric-ids liberty) issues ids from a counter.
	numericIDs bool
	nextID     int
	// freed are the ids of deleted resources by pool, for the fault that
	// reuses them.
	freed map[string][]string
}

func newStore(numericIDs bool) *store {
	st := &store{all: map[*kind]map[string]*resource{}, order: map[*kind][]*resource{}, dead: map[*kind]int{},
		idx: map[*kind]map[string]map[string][]*resource{}, numericIDs: numericIDs, nextID: 1000, freed: map[string][]string{}}
	for _, k := range []*kind{userKind, groupKind} {
		st.all[k] = map[string]*resource{}
		st.idx[k] = map[string]map[string][]*resource{"unique": {}}
		for name := range indexed[k] {
			st.idx[k][name] = map[string][]*resource{}
		}
	}
	return st
}

// add stores data as a new resource under id, or under one the store
// issues when id is "" (RFC 7643 §3.1: assigned by the server). Callers
// hold the lock.
func (st *store) add(k *kind, data map[string]any, id string) *resource {
	now := time.Now().UTC()
	st.seq++
	if id == "" {
		id = newID()
		if st.numericIDs {
			st.nextID++ // never reused, so a deleted resource's id is never reassigned
			id = strconv.Itoa(st.nextID)
		}
	}
	res := &resource{kind: k, id: id, data: data, version: 1, created: now, modified: now, seq: st.seq}
	if old := st.all[k][id]; old != nil {
		st.remove(old) // a fault that reuses ids: the new resource takes its place
	}
	st.all[k][res.id] = res
	st.order[k] = append(st.order[k], res)
	st.link(res)
	return res
}

// setData replaces a resource's attributes, keeping the indexes right.
// Callers hold the lock and touch the resource.
func (st *store) setData(res *resource, data map[string]any) {
	st.unlink(res)
	res.data = data
	st.link(res)
}

// remove deletes a resource. Callers hold the lock.
func (st *store) remove(res *resource) {
	if st.all[res.kind][res.id] != res {
		return
	}
	st.unlink(res)
	delete(st.all[res.kind], res.id)
	res.gone = true
	st.dead[res.kind]++
}

func (st *store) stats() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{Users: len(st.all[userKind]), Groups: len(st.all[groupKind])}
}

// baseURL is where this target is reached, from the request's Host.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/scim/v2"
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// copyValue deep-copies canonical JSON so PATCH can work on a copy and
// stay atomic.
func copyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = copyValue(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = copyValue(x)
		}
		return l
	}
	return v
}

func copyMap(m map[string]any) map[string]any { return copyValue(m).(map[string]any) }
