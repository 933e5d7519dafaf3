package sp

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"sync"
	"time"
)

// store is a map whose entries expire: sessions, outstanding requests and
// the replay cache all need exactly that.
type store[V any] struct {
	clock func() time.Time
	mu    sync.Mutex
	m     map[string]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

func newStore[V any](clock func() time.Time) *store[V] {
	return &store[V]{clock: clock, m: map[string]entry[V]{}}
}

func (s *store[V]) put(k string, v V, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = entry[V]{v: v, expires: s.clock().Add(ttl)}
}

func (s *store[V]) get(k string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[k]
	if !ok || !s.clock().Before(e.expires) {
		delete(s.m, k) // an ended entry stays ended, even if a test clock goes back
		var zero V
		return zero, false
	}
	return e.v, true
}

// take gets and deletes k: an outstanding request is answered once.
func (s *store[V]) take(k string) (V, bool) {
	v, ok := s.get(k)
	s.mu.Lock()
	delete(s.m, k)
	s.mu.Unlock()
	return v, ok
}

func (s *store[V]) del(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
}

// token returns n random bytes, base64url-encoded.
func token(r io.Reader, n int) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("sp: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
