package scim

import (
	"context"
	"strings"
)

// Ref names one resource: Users/2819c223.
type Ref struct{ Kind, ID, Name string }

// Leftover is something a client created that may remain on the target.
type Leftover struct {
	Kind, ID, Name string // ID is empty for a create whose answer never came
	Why            string
}

func (l Leftover) String() string {
	what := l.Kind
	if l.ID != "" {
		what += "/" + l.ID
	}
	if l.Name != "" {
		what += " " + Quote(l.Name)
	}
	return what + ": " + l.Why
}

// Undo removes what the client created, newest first: every create its
// ledger holds, and also, first, the resources in also (taken in some other
// way, such as users a login created). A create whose outcome is unknown
// is looked up by name. Every removal is read back; removed counts those
// proven gone, left says what may remain and why.
func (c *Client) Undo(ctx context.Context, also []Ref) (removed int, left []Leftover) {
	done := map[string]bool{}
	remove := func(r Ref) {
		if done[r.Kind+"/"+r.ID] {
			return
		}
		done[r.Kind+"/"+r.ID] = true
		wasThere, err := c.Remove(ctx, r.Kind, r.ID)
		switch {
		case err != nil:
			left = append(left, Leftover{Kind: r.Kind, ID: r.ID, Name: r.Name, Why: err.Error()})
		case wasThere:
			removed++
		}
	}
	for i := len(also) - 1; i >= 0; i-- {
		remove(also[i])
	}
	intents := c.Intents()
	for i := len(intents) - 1; i >= 0; i-- {
		in := intents[i]
		switch in.Outcome {
		case Created:
			remove(Ref{in.Kind, in.ID, in.Name})
		case Unknown:
			left = append(left, c.resolve(ctx, in, remove)...)
		}
	}
	return removed, left
}

// resolve settles a create whose answer never came: a resource of that
// name is looked for, and removed if its name carries the marker. One
// without it (a two-letter userName) may be a customer's own account: it
// is listed, never deleted.
func (c *Client) resolve(ctx context.Context, in Intent, remove func(Ref)) (left []Leftover) {
	unknown := "the create got no usable answer (" + in.Why + ")"
	if in.Name == "" {
		return []Leftover{{Kind: in.Kind, Why: unknown + " and it had no name to look it up by"}}
	}
	found, complete, err := c.Search(ctx, in.Kind, NameAttr(in.Kind)+" eq "+Quote(in.Name), func(n string) bool { return strings.EqualFold(n, in.Name) })
	for _, r := range found {
		if !c.Marks(in.Name) && !c.Owns(in.Kind, ID(r)) {
			left = append(left, Leftover{Kind: in.Kind, ID: ID(r), Name: in.Name,
				Why: unknown + " and a resource of that name exists; its name does not carry the run's marker, so it was not deleted"})
			continue
		}
		remove(Ref{in.Kind, ID(r), in.Name})
	}
	if err != nil || !complete {
		why := unknown + " and looking it up failed"
		if err != nil {
			why += ": " + err.Error()
		}
		left = append(left, Leftover{Kind: in.Kind, Name: in.Name, Why: why})
	}
	return left
}
