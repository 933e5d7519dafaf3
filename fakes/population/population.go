// Package population is a users file: who is in an IdP, and what changes
// before an incremental cycle. `idpconform fake okta|entra|onelogin` reads
// one (fixtures/users/sample.json by default) and each fake provisions it
// its own way (okta.Cycle, entra.TenantOf, onelogin.Cycle).
package population

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/idpconform/idpconform/fixtures"
)

// Population is the file's content.
type Population struct {
	Users   []User   `json:"users"`
	Groups  []Group  `json:"groups"`
	Changes []Change `json:"changes"`
}

// User is one person; Key names them in groups, changes and Manager.
type User struct {
	Key, UserName, GivenName, FamilyName, Email, Department, Manager string
}

// DisplayName is the name an IdP shows: given and family name.
func (u User) DisplayName() string { return strings.TrimSpace(u.GivenName + " " + u.FamilyName) }

// Group is a group of users, by key.
type Group struct {
	Key, DisplayName string
	Members          []string
}

// Change is one edit between cycles: of the user User or the group Group.
// Nil Enabled and Members leave those alone.
type Change struct {
	User, Group, Department, DisplayName string
	Enabled                              *bool
	Members                              []string
}

// Load reads path, or the built-in sample when path is "".
func Load(path string) (Population, error) {
	var raw []byte
	var err error
	if path == "" {
		raw, err = fixtures.FS.ReadFile("users/sample.json")
	} else {
		raw, err = os.ReadFile(path)
	}
	var p Population
	if err == nil {
		err = json.Unmarshal(raw, &p)
	}
	if err != nil {
		return p, fmt.Errorf("users file: %w", err)
	}
	return p, nil
}

// Mark starts every userName and group name with prefix, so that a run's
// guard lets the fakes change only what they created.
func (p *Population) Mark(prefix string) {
	for i := range p.Users {
		p.Users[i].UserName = prefix + p.Users[i].UserName
	}
	for i := range p.Groups {
		p.Groups[i].DisplayName = prefix + p.Groups[i].DisplayName
	}
	for i := range p.Changes {
		if p.Changes[i].DisplayName != "" && p.Changes[i].Group != "" {
			p.Changes[i].DisplayName = prefix + p.Changes[i].DisplayName
		}
	}
}
