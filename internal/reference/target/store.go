package target

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// resource is one stored user or group: its attributes as canonical JSON
// (canonical attribute case), plus what the server owns. The attributes
// are kept encoded: as nested maps a user cost about 2 KB, as bytes about
// 300, which is what lets the target hold a customer's directory. For the
// same reason times are Unix nanoseconds.
type resource struct {
	kind     *kind
	id       string
	raw      []byte
	version  int
	created  int64
	modified int64
	seq      int  // creation order, the default list order
	gone     bool // removed, still in the store's order until compacted
}

// etag is the weak entity tag of the current version (RFC 7644 §3.14).
func (res *resource) etag() string { return fmt.Sprintf(`W/"%d"`, res.version) }

// location is the absolute URL of the resource, built from the request.
func (res *resource) location(r *http.Request) string {
	return baseURL(r) + "/" + res.kind.Endpoint + "/" + res.id
}

// attrs decodes the stored attributes into a fresh map the caller may
// change; nothing is stored until setData.
func (res *resource) attrs() map[string]any {
	var data map[string]any
	if err := json.Unmarshal(res.raw, &data); err != nil {
		panic(fmt.Sprintf("target: stored %s %s does not decode: %v", res.kind.Name, res.id, err))
	}
	return data
}

// str is one top-level string attribute, "" when absent.
func (res *resource) str(name string) string {
	v, _ := res.attrs()[name].(string)
	return v
}

// encode is canonical data as stored. Canonical data holds only what JSON
// decoding makes (maps, slices, strings, float64, bool), so it always
// encodes and decodes to an equal value.
func encode(data map[string]any) []byte {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(fmt.Sprintf("target: canonical data does not encode: %v", err))
	}
	return raw
}

// touch records a change: a new version and lastModified.
func (res *resource) touch() {
	res.version++
	res.modified = time.Now().UnixNano()
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
	idx   map[*kind]map[string]*index
	// numericIDs (the numeric-ids liberty) issues ids from a counter.
	numericIDs bool
	nextID     int
	// freed are the ids of deleted resources by pool, for the fault that
	// reuses them.
	freed map[string][]string
}

func newStore(numericIDs bool) *store {
	st := &store{all: map[*kind]map[string]*resource{}, order: map[*kind][]*resource{}, dead: map[*kind]int{},
		idx: map[*kind]map[string]*index{}, numericIDs: numericIDs, nextID: 1000, freed: map[string][]string{}}
	for _, k := range []*kind{userKind, groupKind} {
		st.all[k] = map[string]*resource{}
		st.idx[k] = map[string]*index{"unique": newIndex()}
		for name := range indexed[k] {
			st.idx[k][name] = newIndex()
		}
	}
	return st
}

// add stores data as a new resource under id, or under one the store
// issues when id is "" (RFC 7643 §3.1: assigned by the server). Callers
// hold the lock.
func (st *store) add(k *kind, data map[string]any, id string) *resource {
	now := time.Now().UnixNano()
	st.seq++
	if id == "" {
		id = newID()
		if st.numericIDs {
			st.nextID++ // never reused, so a deleted resource's id is never reassigned
			id = strconv.Itoa(st.nextID)
		}
	}
	res := &resource{kind: k, id: id, raw: encode(data), version: 1, created: now, modified: now, seq: st.seq}
	if old := st.all[k][id]; old != nil {
		st.remove(old) // a fault that reuses ids: the new resource takes its place
	}
	st.all[k][res.id] = res
	st.order[k] = append(st.order[k], res)
	st.link(res, data)
	return res
}

// setData replaces a resource's attributes, keeping the indexes right.
// Callers hold the lock and touch the resource.
func (st *store) setData(res *resource, data map[string]any) {
	st.unlink(res)
	res.raw = encode(data)
	st.link(res, data)
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
