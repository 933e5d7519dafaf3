package steps

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

func registerUsernames(sc stepper, w *World) {
	sc.Step(`^the target's userName policy is known$`, w.thePolicyIsKnown)
	sc.Step(`^the target's userName policy has a character rule$`, w.thePolicyHasARule)
	sc.Step(`^I create a user with a userName of (the minimum|the maximum|one under the minimum|one over the maximum) length$`, w.iCreateWithLength)
	sc.Step(`^I create a user with a digits-only userName$`, w.iCreateDigitsOnly)
	sc.Step(`^I create a user with the userName "([^"]*)"$`, w.iCreateWithUserName)
	sc.Step(`^I replace the user "([^"]*)" with a userName of one over the maximum length$`, w.iRenameTooLong)
	sc.Step(`^the userName is accepted and stored exactly as sent$`, w.theUserNameIsStored)
	sc.Step(`^the userName is refused with 400 invalidValue$`, w.theUserNameIsRefused)
	sc.Step(`^the userName is either refused with 400 invalidValue or stored exactly as answered$`, w.theUserNameIsRefusedOrStored)
	sc.Step(`^the userName follows the policy on digits-only names$`, w.theDigitsOnlyPolicyHolds)
}

func (w *World) thePolicyIsKnown() error {
	if w.deps.Usernames.MaxLength == 0 {
		return skip("the profile states no usernames policy (minLength, maxLength)")
	}
	return nil
}

func (w *World) thePolicyHasARule() error {
	if w.deps.Usernames.Rule == "" {
		return skip("the profile's usernames policy names no character rule (usernames.rule)")
	}
	return nil
}

// nameOfLength makes a unique userName of exactly n characters: the
// scenario's prefix padded with letters, or random letters when the
// prefix itself is too long.
func (w *World) nameOfLength(n int) string {
	if n <= 0 {
		return ""
	}
	if n > len(w.prefix) {
		return w.prefix + strings.Repeat("x", n-len(w.prefix))
	}
	const letters = "abcdefghijkmnpqrstuvwxyz"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

func (w *World) iCreateWithLength(ctx context.Context, which string) error {
	p := w.deps.Usernames
	n := map[string]int{
		"the minimum": max(p.MinLength, 1), "one under the minimum": max(p.MinLength, 1) - 1,
		"the maximum": p.MaxLength, "one over the maximum": p.MaxLength + 1,
	}[which]
	return w.iCreateWithUserName(ctx, w.nameOfLength(n))
}

func (w *World) iCreateDigitsOnly(ctx context.Context) error {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return w.iCreateWithUserName(ctx, string(b))
}

// iCreateWithUserName creates the user "edge" with exactly this userName.
func (w *World) iCreateWithUserName(ctx context.Context, name string) error {
	name, err := w.expand(name)
	if err != nil {
		return err
	}
	w.sentName = name
	_, err = w.create(ctx, "edge", w.userBody("edge", map[string]any{"userName": name}), scim.Request{})
	return err
}

func (w *World) iRenameTooLong(ctx context.Context, alias string) error {
	return w.replace(ctx, alias, map[string]any{"userName": w.nameOfLength(w.deps.Usernames.MaxLength + 1)}, nil)
}

// storedExactly checks that the answer, the read-back and an exact filter
// all show want.
func (w *World) storedExactly(ctx context.Context, want string) error {
	o, err := w.lastObject()
	if err != nil {
		return err
	}
	if got := scim.Text(o["userName"]); got != want {
		return violated(fmt.Sprintf("userName %q in the answer", want), "%q", got)
	}
	if err := w.readBackEqual(ctx, "user", "edge", "userName", want); err != nil {
		return err
	}
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: `/Users?filter=userName eq "` + strings.ReplaceAll(want, `"`, `\"`) + `"`})
	if err != nil {
		return err
	}
	list, err := w.listResponse()
	if err != nil {
		return err
	}
	if got := w.aliasesOf(resources(list)); len(got) != 1 || got[0] != "edge" {
		return violated(fmt.Sprintf("a filter on userName %q to find the user", want), "%s", resp.Brief())
	}
	return nil
}

func (w *World) theUserNameIsStored(ctx context.Context) error {
	if w.last == nil || !statusOK(w.last.Status) {
		return violated(fmt.Sprintf("the userName %q (%d characters) accepted", w.sentName, len([]rune(w.sentName))), "%s", briefOrNone(w.last))
	}
	return w.storedExactly(ctx, w.sentName)
}

func (w *World) theUserNameIsRefused() error {
	if w.last == nil || w.last.Status != http.StatusBadRequest {
		return violated(fmt.Sprintf("400 invalidValue for the userName %q (%d characters)", w.sentName, len([]rune(w.sentName))), "%s", briefOrNone(w.last))
	}
	return w.theSCIMErrorHas("400", "invalidValue")
}

func (w *World) theUserNameIsRefusedOrStored(ctx context.Context) error {
	if w.last != nil && w.last.Status == http.StatusBadRequest {
		return w.theSCIMErrorHas("400", "invalidValue")
	}
	if w.last == nil || !statusOK(w.last.Status) {
		return violated("400 invalidValue, or success with the userName stored exactly", "%s", briefOrNone(w.last))
	}
	return w.storedExactly(ctx, w.sentName)
}

func (w *World) theDigitsOnlyPolicyHolds(ctx context.Context) error {
	if d := w.deps.Usernames.DigitsOnly; d != nil && *d {
		return w.theUserNameIsStored(ctx)
	}
	return w.theUserNameIsRefused()
}

func briefOrNone(r *scim.Response) string {
	if r == nil {
		return "no answer"
	}
	return r.Brief()
}
