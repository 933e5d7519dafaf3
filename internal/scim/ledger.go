package scim

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Outcome is what became of an attempt to create a resource.
type Outcome string

// A create is known to have made the resource (its id came back), known
// not to have (the target refused it), or unknown: no answer, a cut
// connection, a 5xx, a success without an id or with an unreadable body.
// Cleanup looks unknown ones up by name.
const (
	Created    Outcome = "created"
	NotCreated Outcome = "not created"
	Unknown    Outcome = "unknown"
)

// Intent is one create the client sent: recorded before the request goes
// out, settled when its answer (or the lack of one) is known.
type Intent struct {
	Kind    string // the resource type: Users, Groups
	Name    string // the userName or displayName sent
	ID      string // once Created
	Outcome Outcome
	Why     string // for Unknown: what was wrong with the answer
}

// ledger holds a client's intents in the order they were sent.
type ledger struct {
	mu      sync.Mutex
	intents []*Intent
}

func (l *ledger) intend(kind string, body []byte) *Intent {
	in := &Intent{Kind: kind, Outcome: Unknown, Why: "the create had not been answered"}
	var o Object
	if json.Unmarshal(body, &o) == nil {
		in.Name = nameOf(o)
	}
	l.mu.Lock()
	l.intents = append(l.intents, in)
	l.mu.Unlock()
	return in
}

// settle records the outcome of in from the answer: status is 0 and
// noAnswer says why when there was none.
func (c *Client) settle(in *Intent, status int, body []byte, noAnswer string) {
	outcome, id, why := Unknown, "", ""
	var o Object
	switch {
	case noAnswer != "":
		why = noAnswer
	case status >= 400 && status < 500:
		outcome = NotCreated
	case status < 200 || status >= 300:
		why = "the target answered " + http.StatusText(status)
	case json.Unmarshal(body, &o) != nil || o == nil:
		why = "the answer had no readable body"
	default:
		id, _ = o["id"].(string)
		if id == "" {
			why = "the answer had no id"
		} else {
			outcome = Created
		}
	}
	if outcome == Created && c.createIsOurs(in.Name, status, o) {
		c.guard.adopt(in.Kind + "/" + id)
	}
	c.ledger.mu.Lock()
	in.Outcome, in.ID, in.Why = outcome, id, why
	c.ledger.mu.Unlock()
}

// createIsOurs: a create's answer names the resource the run asked for.
// A name without the marker (a two-letter userName) is taken as ours only
// from a 201 that echoes it, so that a server that answers a create with
// an existing account of that name never hands the harness that account.
func (c *Client) createIsOurs(sent string, status int, answer Object) bool {
	got := nameOf(answer)
	switch {
	case got != "" && c.guard.marks(got):
		return true
	case got != "":
		return status == http.StatusCreated && strings.EqualFold(got, sent)
	}
	return status == http.StatusCreated && c.guard.marks(sent)
}

// Intents returns a copy of every create the client sent, oldest first.
func (c *Client) Intents() []Intent {
	c.ledger.mu.Lock()
	defer c.ledger.mu.Unlock()
	out := make([]Intent, len(c.ledger.intents))
	for i, in := range c.ledger.intents {
		out[i] = *in
	}
	return out
}

// Owns says whether the guard knows the resource as the run's.
func (c *Client) Owns(kind, id string) bool { return c.guard.owns(kind + "/" + id) }

// Marks says whether a name carries the run's marker.
func (c *Client) Marks(name string) bool { return c.guard.marks(name) }
