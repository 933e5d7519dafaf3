package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
	"github.com/idpconform/idpconform/internal/username"
)

// The regression steps run what `replay --to-feature` made of a cassette:
// each recorded request sent again, its answer's status class compared
// with the recorded one; the state it left is read back with the users
// steps ("… has "active" equal to "false" when read back"). Paths name
// resources by alias ({ada} as a path segment); bodies and filters use
// the usual placeholders ({{prefix}}, {{id:ada}}).
func registerRegression(sc stepper, w *World) {
	const send = "^the IdP sends `(GET|POST|PUT|PATCH|DELETE) ([^`]+)`"
	sc.Step(send+`$`, func(ctx context.Context, method, path string) error {
		return w.idpSends(ctx, method, path, "", "")
	})
	sc.Step(send+` with:$`, func(ctx context.Context, method, path string, body *godog.DocString) error {
		return w.idpSends(ctx, method, path, "", body.Content)
	})
	sc.Step(send+` creating the (?:user|group) "([^"]*)" with:$`, func(ctx context.Context, method, path, alias string, body *godog.DocString) error {
		return w.idpSends(ctx, method, path, alias, body.Content)
	})
	sc.Step(`^the target answers ([1-5])xx$`, w.theTargetAnswersClass)
}

// idpSends sends one recorded request; with an alias, a 2xx answer's id is
// remembered under it (and removed after the scenario).
func (w *World) idpSends(ctx context.Context, method, path, alias, body string) error {
	p, query, hasQuery := strings.Cut(path, "?")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if a, ok := strings.CutPrefix(s, "{"); ok && strings.HasSuffix(a, "}") && !strings.HasPrefix(a, "{") {
			r := w.find(strings.TrimSuffix(a, "}"))
			if r == nil {
				return fmt.Errorf("steps: %s names %s, which no earlier step created", path, s)
			}
			segs[i] = r.id
		}
	}
	path = strings.Join(segs, "/")
	if hasQuery {
		path += "?" + query
	}
	req := scim.Request{Method: method, Path: path}
	if body != "" {
		text, err := w.expand(body)
		if err != nil {
			return err
		}
		req.Body = []byte(text)
		if err := w.recordedNameFits(req.Body); err != nil {
			return err
		}
	}
	resp, err := w.do(ctx, req)
	if err != nil || alias == "" || resp.Status/100 != 2 {
		return err
	}
	var created struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(resp.Body, &created) != nil || created.ID == "" {
		return violatedOf("rfc7643-3.1", "a created resource with its server-assigned id, as recorded", "%s", resp.Brief())
	}
	w.track(strings.Trim(p, "/"), alias, created.ID)
	return nil
}

// recordedNameFits skips a replay whose recorded userName the target's
// character rule forbids: the IdP was not mapped to the rule when it was
// recorded, so the target's refusal would say nothing about the incident.
func (w *World) recordedNameFits(body []byte) error {
	var sent struct {
		UserName string `json:"userName"`
	}
	if json.Unmarshal(body, &sent) != nil || sent.UserName == "" {
		return nil
	}
	if err := username.Check(w.deps.Usernames.Rule, sent.UserName); err != nil {
		return skip(fmt.Sprintf("the recording sends the userName %q, which the target's %s rule forbids (%v); record the incident with the IdP's usernames mapped to the rule", sent.UserName, w.deps.Usernames.Rule, err))
	}
	return nil
}

// theTargetAnswersClass compares the status class with the recorded one.
func (w *World) theTargetAnswersClass(class int) error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	if w.last.Status/100 != class {
		return violated(fmt.Sprintf("a %dxx answer, as recorded", class), "%s", w.last.Brief())
	}
	return nil
}
