package target

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// resource is one stored user or group: its attributes as canonical JSON
// (map[string]any), plus what the server owns.
type resource struct {
	kind     *kind
	id       string
	data     map[string]any
	version  int
	created  time.Time
	modified time.Time
	seq      int // creation order, the default list order
}

// store holds every resource. One mutex is plenty for a reference target.
type store struct {
	mu  sync.Mutex
	all map[*kind]map[string]*resource
	seq int
}

func newStore() *store {
	return &store{all: map[*kind]map[string]*resource{userKind: {}, groupKind: {}}}
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (st *store) stats() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{Users: len(st.all[userKind]), Groups: len(st.all[groupKind])}
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
