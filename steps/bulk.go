package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/idpconform/idpconform/internal/scim"
)

const bulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

// maxBulkSent bounds what the limit scenarios send: a target that declares
// larger limits is not flooded to prove them.
const (
	maxBulkSent        = 100
	maxBulkPayloadSent = 1 << 20
)

func registerBulk(sc stepper, w *World) {
	sc.Step(`^I send the bulk request:$`, w.iSendTheBulkRequest)
	sc.Step(`^every bulk operation answered status (\d+)$`, w.everyBulkOperationAnswered)
	sc.Step(`^the bulk response lists (\d+) operations?$`, w.theBulkResponseLists)
	sc.Step(`^I send a bulk request of one operation more than maxOperations$`, w.iSendTooManyOperations)
	sc.Step(`^I send a bulk request larger than maxPayloadSize$`, w.iSendTooLargeABulk)
}

// sendBulk POSTs a BulkRequest and tracks what its POST operations created,
// each under its bulkId as alias, so later steps and the cleanup find them.
func (w *World) sendBulk(ctx context.Context, body []byte) error {
	resp, err := w.do(ctx, scim.Request{Method: http.MethodPost, Path: "/Bulk", Body: body})
	if err != nil {
		return err
	}
	o, err := resp.Object()
	if err != nil {
		return nil // the checks that follow say what came back
	}
	for _, op := range bulkOps(o) {
		loc, _ := url.Parse(scim.Text(op["location"]))
		if loc == nil || !strings.EqualFold(scim.Text(op["method"]), http.MethodPost) || scim.Text(op["bulkId"]) == "" {
			continue
		}
		parts := strings.Split(strings.TrimRight(loc.Path, "/"), "/")
		if n := len(parts); n >= 2 && (parts[n-2] == "Users" || parts[n-2] == "Groups") && parts[n-1] != "" {
			w.track(parts[n-2], scim.Text(op["bulkId"]), parts[n-1])
		}
	}
	return nil
}

func bulkOps(o scim.Object) []map[string]any {
	list, _ := o["Operations"].([]any)
	var out []map[string]any
	for _, el := range list {
		if m, ok := el.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func (w *World) iSendTheBulkRequest(ctx context.Context, body *godog.DocString) error {
	text, err := w.expand(body.Content)
	if err != nil {
		return err
	}
	return w.sendBulk(ctx, []byte(text))
}

// bulkResponse is the last answer as a BulkResponse's operations.
func (w *World) bulkResponse() ([]map[string]any, error) {
	if w.last != nil && w.last.Status != http.StatusOK {
		return nil, violated("200 OK with a BulkResponse", "%s", w.last.Brief())
	}
	o, err := w.lastObject()
	if err != nil {
		return nil, err
	}
	return bulkOps(o), nil
}

func (w *World) everyBulkOperationAnswered(want string) error {
	ops, err := w.bulkResponse()
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		return violated("a status for each bulk operation", "no operations: %s", w.last.Brief())
	}
	for _, op := range ops {
		if got := scim.Text(op["status"]); got != want {
			return violated(fmt.Sprintf("status %s for every bulk operation", want), "%s for the operation %s: %s",
				got, scim.Text(op["bulkId"]), scim.Text(op["response"]))
		}
	}
	return nil
}

// theBulkResponseLists counts the operations run: with failOnErrors the
// job stops after that many errors (RFC 7644 §3.7.3).
func (w *World) theBulkResponseLists(n int) error {
	ops, err := w.bulkResponse()
	if err != nil {
		return err
	}
	if len(ops) != n {
		var got []string
		for _, op := range ops {
			got = append(got, scim.Text(op["bulkId"])+" "+scim.Text(op["status"]))
		}
		return violated(fmt.Sprintf("%d operations run", n), "%d: %s", len(ops), strings.Join(got, ", "))
	}
	return nil
}

// bulkLimit reads a limit from /ServiceProviderConfig's bulk; it skips the
// scenario when none is declared or it is larger than most.
func (w *World) bulkLimit(ctx context.Context, name string, most int) (int, error) {
	resp, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
	if err != nil {
		return 0, err
	}
	o, _ := resp.Object()
	limit, _ := value(o, "bulk."+name).(float64)
	switch {
	case limit < 1:
		return 0, skip("the target declares no bulk." + name)
	case int(limit) > most:
		return 0, skip(fmt.Sprintf("the target's bulk.%s (%d) is more than this check sends (%d)", name, int(limit), most))
	}
	return int(limit), nil
}

// bulkOfUsers is a BulkRequest creating n users named by their bulkIds,
// the first one's displayName padded by pad characters.
func (w *World) bulkOfUsers(n, pad int) ([]byte, error) {
	ops := make([]any, n)
	for i := range ops {
		alias := fmt.Sprintf("bulk%d", i+1)
		u := w.userBody(alias, nil)
		if i == 0 && pad > 0 {
			u["displayName"] = strings.Repeat("x", pad)
		}
		ops[i] = map[string]any{"method": "POST", "path": "/Users", "bulkId": alias, "data": u}
	}
	return json.Marshal(map[string]any{"schemas": []any{bulkRequestSchema}, "Operations": ops})
}

func (w *World) iSendTooManyOperations(ctx context.Context) error {
	limit, err := w.bulkLimit(ctx, "maxOperations", maxBulkSent-1)
	if err != nil {
		return err
	}
	body, err := w.bulkOfUsers(limit+1, 0)
	if err != nil {
		return err
	}
	return w.sendBulk(ctx, body)
}

func (w *World) iSendTooLargeABulk(ctx context.Context) error {
	limit, err := w.bulkLimit(ctx, "maxPayloadSize", maxBulkPayloadSent)
	if err != nil {
		return err
	}
	body, err := w.bulkOfUsers(1, limit)
	if err != nil {
		return err
	}
	return w.sendBulk(ctx, body)
}
