package steps

import (
	"context"
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
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

// Leftover is something the run created that may remain on the target.
type Leftover struct {
	Base           string // the SCIM base URL of the target it is on
	Kind, ID, Name string // ID is empty for a create whose answer never came
	Why            string
}

func (l Leftover) String() string {
	what := l.Kind
	if l.ID != "" {
		what += "/" + l.ID
	}
	if l.Name != "" {
		what += " " + fmt.Sprintf("%q", l.Name)
	}
	return what + ": " + l.Why
}

// Cleanup tallies what the run removed from the target, proven by reading
// it back, and what may remain.
type Cleanup struct {
	mu        sync.Mutex
	Removed   int
	leftovers []Leftover
}

func (c *Cleanup) removed() {
	c.mu.Lock()
	c.Removed++
	c.mu.Unlock()
}

func (w *World) leftover(l Leftover) {
	l.Base = w.deps.SCIM.BaseURL
	w.deps.Cleanup.leftover(l)
}

func (c *Cleanup) leftover(l Leftover) {
	c.mu.Lock()
	c.leftovers = append(c.leftovers, l)
	c.mu.Unlock()
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

// Record adds one leftover or removal found outside a scenario (the sweep).
func (c *Cleanup) Record(l *Leftover) {
	if l == nil {
		c.removed()
		return
	}
	c.leftover(*l)
}

// cleanupDeadline bounds one scenario's cleanup, also after a failure or
// an interrupt.
const cleanupDeadline = 30 * time.Second

// cleanup removes what the scenario created, newest first: every create
// the ledger saw (the scenario's own, and the fakes'), and what the
// scenario took in otherwise (users a login created). A create whose
// outcome is unknown is looked up by name. Each removal is read back.
func (w *World) cleanup() {
	intents := w.client.Intents()
	if len(intents) == 0 && len(w.made) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), cleanupDeadline)
	defer cancel()
	c := w.client.Quiet() // cleanup traffic is not part of any check
	done := map[string]bool{}
	remove := func(kind, id, name string) {
		if done[kind+"/"+id] {
			return
		}
		done[kind+"/"+id] = true
		w.remove(ctx, c, kind, id, name)
	}
	for i := len(w.made) - 1; i >= 0; i-- {
		remove(w.made[i].kind, w.made[i].id, w.made[i].alias)
	}
	for i := len(intents) - 1; i >= 0; i-- {
		in := intents[i]
		switch in.Outcome {
		case scim.Created:
			remove(in.Kind, in.ID, in.Name)
		case scim.Unknown:
			w.resolve(ctx, c, in, remove)
		}
	}
}

func (w *World) remove(ctx context.Context, c *scim.Client, kind, id, name string) {
	wasThere, err := c.Remove(ctx, kind, id)
	switch {
	case err != nil:
		w.leftover(Leftover{Kind: kind, ID: id, Name: name, Why: err.Error()})
	case wasThere:
		w.deps.Cleanup.removed()
	}
}

// resolve settles a create whose answer never came: a resource of that
// name is looked for, and removed if its name carries the run's marker.
// One without the marker (a two-letter userName) may be a customer's own
// account: it is listed, never deleted.
func (w *World) resolve(ctx context.Context, c *scim.Client, in scim.Intent, remove func(kind, id, name string)) {
	if in.Name == "" {
		w.leftover(Leftover{Kind: in.Kind, Why: "a create without a name got no usable answer (" + in.Why + "); it cannot be looked up"})
		return
	}
	attr := scim.NameAttr(in.Kind)
	found, complete, err := c.Search(ctx, in.Kind, attr+" eq "+scim.Quote(in.Name), func(n string) bool { return strings.EqualFold(n, in.Name) })
	for _, r := range found {
		if !c.Marks(in.Name) && !c.Owns(in.Kind, scim.ID(r)) {
			w.leftover(Leftover{Kind: in.Kind, ID: scim.ID(r), Name: in.Name,
				Why: "the create got no usable answer (" + in.Why + ") and a resource of that name exists; its name does not carry the run's marker, so it was not deleted"})
			continue
		}
		remove(in.Kind, scim.ID(r), in.Name)
	}
	if err != nil || !complete {
		why := "the create got no usable answer (" + in.Why + ") and looking it up failed"
		if err != nil {
			why += ": " + err.Error()
		}
		w.leftover(Leftover{Kind: in.Kind, Name: in.Name, Why: why})
	}
}
