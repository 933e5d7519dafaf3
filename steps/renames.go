package steps

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// registerUsernameRules binds the userName steps beyond the policy's
// boundaries: collisions, look-alikes and renames.
func registerUsernameRules(sc stepper, w *World) {
	sc.Step(`^a user "([^"]*)" exists with the userName "([^"]*)"$`, w.aUserExistsWithUserName)
	sc.Step(`^a filter on the userName in (lower|upper) case finds the user "([^"]*)"$`, w.aFilterInCaseFinds)
	sc.Step(`^the look-alike is refused or kept apart from the user "([^"]*)"$`, w.theLookAlikeIsRefusedOrApart)
	sc.Step(`^I create a user with a userName of the maximum length in non-ASCII letters$`, w.iCreateMaxNonASCII)
	sc.Step(`^the userName follows the policy's pattern and character rule$`, w.theUserNameFollowsThePolicy)
	sc.Step(`^the userName is stored exactly as sent, or refused with 400 invalidValue if the policy forbids it$`, w.theUserNameFollowsThePolicy)
	sc.Step(`^I rename the user "([^"]*)" to the userName of "([^"]*)" in upper case$`, w.iRenameToUpperOf)
	sc.Step(`^I rename the user "([^"]*)" to a userName of (the minimum|the maximum|one under the minimum|one over the maximum) length$`, w.iRenameToLength)
	sc.Step(`^I rename the user "([^"]*)" by PATCH to a userName of (the minimum|the maximum|one under the minimum|one over the maximum) length$`, w.iPatchRenameToLength)
	sc.Step(`^I rename the user "([^"]*)" to a digits-only userName$`, w.iRenameToDigits)
	sc.Step(`^the user "([^"]*)" has the new userName when read back$`, w.theUserHasTheNewName)
	sc.Step(`^the rename follows the policy on digits-only names$`, w.theRenameFollowsDigitsPolicy)
}

func (w *World) aUserExistsWithUserName(ctx context.Context, alias, name string) error {
	name, err := w.expand(name)
	if err != nil {
		return err
	}
	return w.given(ctx, alias, map[string]any{"userName": name})
}

func (w *World) aFilterInCaseFinds(ctx context.Context, which, alias string) error {
	if w.find(alias) == nil && w.last != nil && w.last.Status == http.StatusBadRequest {
		return skip(fmt.Sprintf("the policy refused the userName %q, so there is no user to find by it", w.sentName))
	}
	name := strings.ToLower(w.sentName)
	if which == "upper" {
		name = strings.ToUpper(w.sentName)
	}
	return w.filterFindsOnly(ctx, name, alias)
}

// filterFindsOnly filters by userName eq name and expects exactly alias.
func (w *World) filterFindsOnly(ctx context.Context, name, alias string) error {
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: `/Users?filter=userName eq "` + strings.ReplaceAll(name, `"`, `\"`) + `"`})
	if err != nil {
		return err
	}
	list, err := w.listResponse()
	if err != nil {
		return err
	}
	if got := w.aliasesOf(resources(list)); len(got) != 1 || got[0] != alias {
		return violated(fmt.Sprintf("a filter on userName %q to find only the user %s", name, alias), "%v: %s", got, resp.Brief())
	}
	return nil
}

// theLookAlikeIsRefusedOrApart: a name that looks like the user's may be
// refused (400 invalidValue, 409 uniqueness) or stored as sent; then each
// name finds only its own user, so one person can never be matched,
// provisioned or logged in as the other.
func (w *World) theLookAlikeIsRefusedOrApart(ctx context.Context, alias string) error {
	switch {
	case w.last == nil:
		return fmt.Errorf("steps: no user was created")
	case w.last.Status == http.StatusBadRequest:
		return w.theSCIMErrorHas("400", "invalidValue")
	case w.last.Status == http.StatusConflict:
		return w.theSCIMErrorHas("409", "uniqueness")
	case !statusOK(w.last.Status):
		return violated("400 invalidValue, 409 uniqueness, or the look-alike stored exactly", "%s", w.last.Brief())
	}
	if err := w.storedExactly(ctx, w.sentName); err != nil {
		return err
	}
	o, err := w.readBack(ctx, "user", alias)
	if err != nil {
		return err
	}
	return w.filterFindsOnly(ctx, scim.Text(o["userName"]), alias)
}

func (w *World) iCreateMaxNonASCII(ctx context.Context) error {
	n := w.deps.Usernames.MaxLength - utf8.RuneCountInString(w.prefix)
	if n < 1 {
		return fmt.Errorf("steps: the policy's maxLength %d leaves no room after the prefix %q", w.deps.Usernames.MaxLength, w.prefix)
	}
	return w.iCreateWithUserName(ctx, w.prefix+strings.Repeat("é", n))
}

// theUserNameFollowsThePolicy expects acceptance when the profile's
// pattern and character rule allow the name (or it has neither), refusal
// with 400 invalidValue otherwise.
func (w *World) theUserNameFollowsThePolicy(ctx context.Context) error {
	forbidden, err := w.forbids(w.sentName)
	if err != nil {
		return err
	}
	if forbidden {
		return w.theUserNameIsRefused()
	}
	return w.theUserNameIsStored(ctx)
}

// forbids says whether the profile's pattern or character rule refuses name.
func (w *World) forbids(name string) (bool, error) {
	if p := w.deps.Usernames.Pattern; p != "" {
		re, err := regexp.Compile(p)
		if err != nil {
			return false, fmt.Errorf("steps: usernames.pattern: %w", err)
		}
		if !re.MatchString(name) {
			return true, nil
		}
	}
	return username.Check(w.deps.Usernames.Rule, name) != nil, nil
}

func (w *World) rename(ctx context.Context, alias, name string) error {
	w.sentName = name
	return w.replace(ctx, alias, map[string]any{"userName": name}, nil)
}

func (w *World) iRenameToUpperOf(ctx context.Context, alias, other string) error {
	return w.rename(ctx, alias, strings.ToUpper(w.userName(other)))
}

func (w *World) lengthOf(which string) int {
	p := w.deps.Usernames
	return map[string]int{
		"the minimum": max(p.MinLength, 1), "one under the minimum": max(p.MinLength, 1) - 1,
		"the maximum": p.MaxLength, "one over the maximum": p.MaxLength + 1,
	}[which]
}

func (w *World) iRenameToLength(ctx context.Context, alias, which string) error {
	return w.rename(ctx, alias, w.nameOfLength(w.lengthOf(which)))
}

func (w *World) iPatchRenameToLength(ctx context.Context, alias, which string) error {
	r, err := w.resource("user", alias)
	if err != nil {
		return err
	}
	w.sentName = w.nameOfLength(w.lengthOf(which))
	raw, err := json.Marshal(map[string]any{"schemas": []any{patchSchema},
		"Operations": []any{map[string]any{"op": "replace", "path": "userName", "value": w.sentName}}})
	if err != nil {
		return err
	}
	_, err = w.do(ctx, scim.Request{Method: http.MethodPatch, Path: "/Users/" + r.id, Body: raw})
	return err
}

func (w *World) iRenameToDigits(ctx context.Context, alias string) error {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return w.rename(ctx, alias, string(b))
}

func (w *World) theUserHasTheNewName(ctx context.Context, alias string) error {
	return w.readBackEqual(ctx, "user", alias, "userName", w.sentName)
}

func (w *World) theRenameFollowsDigitsPolicy(ctx context.Context) error {
	alias := w.lastAlias
	if d := w.deps.Usernames.DigitsOnly; d != nil && *d {
		if err := w.theResponseStatusIs(http.StatusOK); err != nil {
			return err
		}
		return w.theUserHasTheNewName(ctx, alias)
	}
	if err := w.theUserNameIsRefused(); err != nil {
		return err
	}
	return w.readBackEqual(ctx, "user", alias, "userName", w.userName(alias))
}
