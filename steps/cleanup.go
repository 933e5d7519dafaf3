package steps

import (
	"context"
	"crypto/rand"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/idpconform/idpconform/internal/scim"
)

// Mark names what one run creates. Every name carries the run's random
// token and a per-scenario number (prefix + token + nnn + "-"): the guard
// tells the run's resources from a customer's by it, and the final sweep
// finds whatever the run left by the token alone.
type Mark struct {
	Token string
	n     atomic.Uint32
}

// NewMark returns a mark with a fresh token.
func NewMark() *Mark { return &Mark{Token: randomLetters(5)} }

// next is the marker of the next scenario: the token and three characters
// of a counter, so no two scenarios of a run share one.
func (m *Mark) next() string {
	n := m.n.Add(1)
	b := []byte{alphabet[n>>10%32], alphabet[n>>5%32], alphabet[n%32]}
	return m.Token + string(b)
}

const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"

func randomLetters(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Leftover is something the run created that may remain on a target.
type Leftover struct {
	Base string // the SCIM base URL of the target it is on
	scim.Leftover
}

// Cleanup tallies what the run removed from the target, proven by reading
// it back, and what may remain.
type Cleanup struct {
	mu        sync.Mutex
	Removed   int
	leftovers []Leftover
}

// Add counts removals proven by a read-back, and what may remain.
func (c *Cleanup) Add(removed int, left ...Leftover) {
	c.mu.Lock()
	c.Removed += removed
	c.leftovers = append(c.leftovers, left...)
	c.mu.Unlock()
}

func (w *World) leftover(l scim.Leftover) {
	w.deps.Cleanup.Add(0, Leftover{Base: w.deps.SCIM.BaseURL, Leftover: l})
}

// Leftovers returns what may remain, in a stable order.
func (c *Cleanup) Leftovers() []Leftover {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]Leftover(nil), c.leftovers...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Settle replaces the leftovers with those still there: the final sweep
// calls it with a check of each one it could not account for itself.
func (c *Cleanup) Settle(stillThere func(Leftover) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.leftovers[:0]
	for _, l := range c.leftovers {
		if stillThere(l) {
			kept = append(kept, l)
		}
	}
	c.leftovers = kept
}

// cleanupDeadline bounds one scenario's cleanup, also after a failure or
// an interrupt.
const cleanupDeadline = 30 * time.Second

// cleanup removes what the scenario created (scim.Client.Undo): the
// creates its client's ledger saw, the scenario's own and the fakes', and
// what it took in otherwise (users a login created).
func (w *World) cleanup() {
	if len(w.client.Intents()) == 0 && len(w.made) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), cleanupDeadline)
	defer cancel()
	also := make([]scim.Ref, len(w.made))
	for i, r := range w.made {
		also[i] = scim.Ref{Kind: r.kind, ID: r.id, Name: r.alias}
	}
	removed, left := w.client.ForCleanup().Undo(ctx, also) // cleanup traffic is not part of any check
	w.deps.Cleanup.Add(removed)
	for _, l := range left {
		w.leftover(l)
	}
}
