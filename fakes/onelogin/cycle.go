package onelogin

import (
	"context"

	"github.com/idpconform/idpconform/fakes/population"
)

// Cycle provisions a users file as a OneLogin app would: provisioning
// enabled (L6), then every user created from the app's template (L1, L2).
func Cycle(ctx context.Context, c *Client, pop population.Population) error {
	if err := c.Enable(ctx); err != nil {
		return err
	}
	for _, u := range pop.Users {
		ou := User{Username: u.UserName, FirstName: u.GivenName, LastName: u.FamilyName, Email: u.Email,
			DisplayName: u.DisplayName(), Department: u.Department, Active: true}
		if _, err := c.Create(ctx, ou); err != nil {
			return err
		}
	}
	return nil
}
