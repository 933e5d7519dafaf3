package population

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/idpconform/idpconform/fixtures"
	"github.com/idpconform/idpconform/internal/username"
)

// Stream is a population whose users are never held together: each walk
// (Each) reads them one at a time again, from a users file decoded token
// by token or from a generator. Its groups and changes are small and held.
type Stream struct {
	Groups  []Group
	Changes []Change
	each    func(yield func(User) bool) error
	prefix  string
}

// Each calls yield with every user in order until it returns false; a
// users file that breaks off is an error.
func (s *Stream) Each(yield func(User) bool) error {
	return s.each(func(u User) bool {
		u.UserName = s.prefix + u.UserName
		return yield(u)
	})
}

// Mark is Population.Mark for a stream: users are marked as they are read.
func (s *Stream) Mark(prefix string) {
	s.prefix += prefix
	p := Population{Groups: s.Groups, Changes: s.Changes} // shares their arrays: marks them in place
	p.Mark(prefix)
}

// Collect reads every user into a Population, for the fakes that need them
// all at once.
func (s *Stream) Collect() (Population, error) {
	p := Population{Groups: s.Groups, Changes: s.Changes}
	err := s.Each(func(u User) bool { p.Users = append(p.Users, u); return true })
	return p, err
}

// Open streams the users file at path, or the built-in sample when path is
// "". It reads the file once now for its groups and changes, and again on
// every walk of its users.
func Open(path string) (*Stream, error) {
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	if path == "" {
		open = func() (io.ReadCloser, error) { return fixtures.FS.Open("users/sample.json") }
	}
	s := &Stream{}
	s.each = func(yield func(User) bool) error {
		err := decode(open, s, yield)
		if err != nil {
			return fmt.Errorf("users file: %w", err)
		}
		return nil
	}
	if err := decode(open, s, nil); err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	return s, nil
}

// errStop ends a walk its caller stopped.
var errStop = errors.New("stop")

// decode walks the file's top-level object: each user goes to yield (or
// is skipped when yield is nil, and then groups and changes go to s).
func decode(open func() (io.ReadCloser, error), s *Stream, yield func(User) bool) error {
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	d := json.NewDecoder(f)
	if err := expect(d, json.Delim('{')); err != nil {
		return err
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return err
		}
		switch key, _ := t.(string); key {
		case "users":
			err = eachUser(d, yield)
		case "groups":
			err = decodeInto(d, yield == nil, &s.Groups)
		case "changes":
			err = decodeInto(d, yield == nil, &s.Changes)
		default:
			err = decodeInto(d, false, nil)
		}
		if errors.Is(err, errStop) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%v: %w", t, err)
		}
	}
	return expect(d, json.Delim('}'))
}

// eachUser decodes the users array one element at a time.
func eachUser(d *json.Decoder, yield func(User) bool) error {
	if err := expect(d, json.Delim('[')); err != nil {
		return err
	}
	for i := 0; d.More(); i++ {
		var u User
		if err := d.Decode(&u); err != nil {
			return fmt.Errorf("user %d: %w", i+1, err)
		}
		if yield != nil && !yield(u) {
			return errStop
		}
	}
	return expect(d, json.Delim(']'))
}

// decodeInto decodes the next value into v when keep, or skips it.
func decodeInto(d *json.Decoder, keep bool, v any) error {
	if keep {
		return d.Decode(v)
	}
	var skip json.RawMessage
	return d.Decode(&skip)
}

func expect(d *json.Decoder, want json.Delim) error {
	t, err := d.Token()
	if err == nil && t != want {
		err = fmt.Errorf("expected %v, but read %v", want, t)
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// The names generated users draw from.
var (
	givenNames  = []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Niklaus", "Shafi", "Tim", "Leslie", "Hedy"}
	familyNames = []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson", "Perlman", "Wirth", "Goldwasser", "Berners-Lee", "Lamport", "Lamarr"}
	departments = []string{"Research", "Sales", "Platform", "Support", "Finance", "Legal"}
)

// Generate streams n users made up from seed, the same for the same seed
// and n: user i is drawn from seed and i alone, so no walk holds them all.
// Their userNames end in the user's number, so they are unique; they pass
// the userName rule (internal/username) once any marking prefix does, and
// are short, "ada.l42@example.com" ("ada-l42" under the Hub's rule), or
// "u42" where that is over maxLen characters (0: no limit). No managers,
// groups or changes.
func Generate(n int, seed uint64, rule string, maxLen int) *Stream {
	s := &Stream{}
	s.each = func(yield func(User) bool) error {
		for i := range n {
			if !yield(generated(i, seed, rule, maxLen)) {
				return nil
			}
		}
		return nil
	}
	return s
}

func generated(i int, seed uint64, rule string, maxLen int) User {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	given, family := givenNames[r.IntN(len(givenNames))], familyNames[r.IntN(len(familyNames))]
	g, f := strings.ToLower(given), strings.ToLower(family)
	u := User{Key: fmt.Sprintf("u%d", i+1), GivenName: given, FamilyName: family,
		Email: fmt.Sprintf("%s.%s.%d@example.com", g, f, i+1), Department: departments[r.IntN(len(departments))]}
	for _, name := range []string{fmt.Sprintf("%s.%s%d@example.com", g, f[:1], i+1), u.Key} {
		u.UserName = username.Edit(rule, name)
		if maxLen <= 0 || len(u.UserName) <= maxLen {
			break
		}
	}
	return u
}
