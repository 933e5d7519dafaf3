package okta

import (
	"context"
	"errors"
	"fmt"
)

// Names of the operations an Op carries: what an Okta admin does to the
// app, or what Okta's sync does on its own.
const (
	OpTestConnection = "test-connection"
	OpLookup         = "lookup"
	OpAssign         = "assign"
	OpCreate         = "create"
	OpPush           = "push"
	OpSetActive      = "set-active"
	OpSetPassword    = "set-password"
	OpImport         = "import"
	OpImportGroups   = "import-groups"
	OpPushGroup      = "push-group"
	OpRenameGroup    = "rename-group"
	OpUpdateMembers  = "update-members"
	OpReplaceMembers = "replace-members"
	OpDeleteGroup    = "delete-group"
)

// Op is one Okta operation as data, so that it runs the same in process
// (Client.Do) and in the Okta fake's container, which receives it whole
// (fakes/provision). A new behaviour is a Client method and a case in Do.
// Only the fields the operation reads are set.
type Op struct {
	Name     string   `json:"name"`
	User     User     `json:"user"`
	ID       string   `json:"id,omitempty"`    // the target's id of the user or group
	Login    string   `json:"login,omitempty"` // a lookup's userName
	Active   bool     `json:"active,omitempty"`
	Password string   `json:"password,omitempty"`
	Filter   string   `json:"filter,omitempty"` // an import's filter
	Group    string   `json:"group,omitempty"`  // a pushed group's displayName
	Members  []Member `json:"members,omitempty"`
	Remove   []string `json:"remove,omitempty"` // target ids of members to remove
}

// Result is what an Op returns: an id (and whether the target created
// it), or what an import kept of the resources it read.
type Result struct {
	ID       string     `json:"id,omitempty"`
	Created  bool       `json:"created,omitempty"`
	Imported []Imported `json:"imported,omitempty"`
}

// ErrUnknownOp is an Op whose Name no case handles.
var ErrUnknownOp = errors.New("okta: unknown operation")

// Do runs op against the target.
func (c *Client) Do(ctx context.Context, op Op) (Result, error) {
	var r Result
	var err error
	switch op.Name {
	case OpTestConnection:
		err = c.TestConnection(ctx)
	case OpLookup:
		r.ID, err = c.Lookup(ctx, op.Login)
	case OpAssign:
		r.ID, r.Created, err = c.Assign(ctx, op.User)
	case OpCreate:
		r.ID, err = c.Create(ctx, op.User)
	case OpPush:
		err = c.Push(ctx, op.ID, op.User)
	case OpSetActive:
		err = c.SetActive(ctx, op.ID, op.Active)
	case OpSetPassword:
		err = c.SetPassword(ctx, op.ID, op.Password)
	case OpImport:
		r.Imported, err = c.Import(ctx, op.Filter)
	case OpImportGroups:
		r.Imported, err = c.ImportGroups(ctx, op.Filter)
	case OpPushGroup:
		r.ID, r.Created, err = c.PushGroup(ctx, op.Group, op.Members)
	case OpRenameGroup:
		err = c.RenameGroup(ctx, op.ID, op.Group)
	case OpUpdateMembers:
		err = c.UpdateMembers(ctx, op.ID, op.Group, op.Members, op.Remove)
	case OpReplaceMembers:
		err = c.ReplaceMembers(ctx, op.ID, op.Group, op.Members)
	case OpDeleteGroup:
		err = c.DeleteGroup(ctx, op.ID)
	default:
		err = fmt.Errorf("%w %q", ErrUnknownOp, op.Name)
	}
	return r, err
}
