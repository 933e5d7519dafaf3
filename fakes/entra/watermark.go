package entra

import "encoding/binary"

// watermark is the User a link last brought the target to, packed into
// one string: at a customer's size a User struct per link, holding on to
// every string it names, cost twice as much.
type watermark string

// fields are User's strings in packing order; the test fills every field
// of User, so one left out here fails it.
func (u *User) fields() []*string {
	return []*string{&u.ObjectID, &u.UPN, &u.GivenName, &u.Surname, &u.DisplayName, &u.Mail, &u.Department,
		&u.Title, &u.Phone, &u.Mobile, &u.Fax, &u.StreetAddress, &u.PostalCode, &u.EmployeeNumber, &u.Manager}
}

func (u *User) flags() []*bool { return []*bool{&u.Enabled, &u.InScope, &u.SoftDeleted} }

func markOf(u User) watermark {
	n := 1
	for _, f := range u.fields() {
		n += binary.MaxVarintLen64 + len(*f)
	}
	b := make([]byte, 0, n)
	var bits byte
	for i, f := range u.flags() {
		if *f {
			bits |= 1 << i
		}
	}
	b = append(b, bits)
	for _, f := range u.fields() {
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	return watermark(b)
}

// User unpacks the watermark; the zero watermark is the zero User.
func (w watermark) User() User {
	var u User
	if w == "" {
		return u
	}
	for i, f := range u.flags() {
		*f = w[0]&(1<<i) != 0
	}
	rest := string(w[1:])
	for _, f := range u.fields() {
		n, k := binary.Uvarint([]byte(rest[:min(len(rest), binary.MaxVarintLen64)]))
		*f, rest = rest[k:k+int(n)], rest[k+int(n):]
	}
	return u
}

// with is the watermark with its manager changed: references are sent
// apart from the other attributes (E28).
func (w watermark) with(manager string) watermark {
	u := w.User()
	u.Manager = manager
	return markOf(u)
}
