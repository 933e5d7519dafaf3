package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
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
