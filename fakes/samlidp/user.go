package samlidp

// User is the person logged in at the IdP; the IdP asserts this identity.
type User struct {
	UserName   string // also the NameID value
	Email      string
	GivenName  string
	FamilyName string
	Groups     []string
}

// nameID is the NameID value the IdP asserts for u.
func (u User) nameID() string {
	if u.UserName != "" {
		return u.UserName
	}
	return u.Email
}
