package okta

import (
	"context"

	"github.com/idpconform/idpconform/fakes/population"
)

// Cycle provisions a users file as an Okta app would: the test
// connection, every user assigned, every group pushed, then the file's
// changes (deactivation, rename, membership).
func Cycle(ctx context.Context, c *Client, pop population.Population) error {
	ids := map[string]Member{}
	if err := c.TestConnection(ctx); err != nil {
		return err
	}
	for _, u := range pop.Users {
		ou := User{Login: u.UserName, GivenName: u.GivenName, FamilyName: u.FamilyName, Email: u.Email,
			DisplayName: u.DisplayName(), Locale: "en-US", OktaID: "00u" + u.Key}
		id, _, err := c.Assign(ctx, ou)
		if err != nil {
			return err
		}
		ids[u.Key] = Member{ID: id, Login: u.UserName}
	}
	for _, g := range pop.Groups {
		var members []Member
		for _, m := range g.Members {
			members = append(members, ids[m])
		}
		if _, _, err := c.PushGroup(ctx, g.DisplayName, members); err != nil {
			return err
		}
	}
	groups := map[string][2]string{} // key → id, name
	for _, g := range pop.Groups {
		id, err := c.FindGroup(ctx, g.DisplayName)
		if err != nil {
			return err
		}
		groups[g.Key] = [2]string{id, g.DisplayName}
	}
	for _, ch := range pop.Changes {
		if ch.User != "" && ch.Enabled != nil {
			if err := c.SetActive(ctx, ids[ch.User].ID, *ch.Enabled); err != nil {
				return err
			}
		}
		g, ok := groups[ch.Group]
		if !ok || g[0] == "" {
			continue
		}
		if ch.DisplayName != "" {
			if err := c.RenameGroup(ctx, g[0], ch.DisplayName); err != nil {
				return err
			}
			g[1] = ch.DisplayName
			groups[ch.Group] = g
		}
		if ch.Members != nil {
			var members []Member
			for _, m := range ch.Members {
				members = append(members, ids[m])
			}
			if err := c.ReplaceMembers(ctx, g[0], g[1], members); err != nil {
				return err
			}
		}
	}
	return nil
}
