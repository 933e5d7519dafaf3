package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/idpconform/idpconform/internal/scim"
)

// Imported is what Okta's import keeps of one app user or group: the id it
// addresses it by afterwards, the externalId and name it matches on
// (userName, or a group's displayName), and how many times the pages held
// it (more than once: the target repeated it). Pages themselves are not
// kept, so an import of N users holds N of these and one page at a time.
type Imported struct {
	ID         string `json:"id,omitempty"`
	ExternalID string `json:"externalId,omitempty"`
	Name       string `json:"name,omitempty"`
	Times      int    `json:"times"`
}

// Import pages through /Users as Okta's import does (O16): startIndex=1
// and count=100, then "the startIndex becomes startIndex+100", until
// totalResults; whatever a page held. filter, if set, scopes the import to
// a scenario's users on a shared target (Okta sends none).
func (c *Client) Import(ctx context.Context, filter string) ([]Imported, error) {
	return c.importAll(ctx, "/Users", "userName", filter)
}

// ImportGroups pages through /Groups the same way (O16).
func (c *Client) ImportGroups(ctx context.Context, filter string) ([]Imported, error) {
	return c.importAll(ctx, "/Groups", "displayName", filter)
}

// importSlack is how many times the pages its first totalResults needs an
// import may take (a directory may grow while Okta pages through it).
// Okta documents no limit (O16); this is the fake's guard against a target
// whose list never ends, proportional to the list it announced.
const importSlack = 2

// importAll streams the pages: each is decoded to what Imported keeps and
// dropped. It ends at totalResults as Okta does, or earlier on an empty
// page (nothing follows one in a consistent list), and fails when a page
// holds only resources already imported (the target repeats its pages) or
// the pages outrun importSlack times the first totalResults.
func (c *Client) importAll(ctx context.Context, endpoint, nameAttr, filter string) ([]Imported, error) {
	size := c.opts.PageSize
	var out []Imported
	at := map[string]int{} // id → index in out
	first, maxPages := 0, 0
	for page, start := 1, 1; ; page, start = page+1, start+size {
		if page > 1 && page > maxPages {
			return out, fmt.Errorf("okta: import: the list did not end within %d pages of %d, %d times what the %d resources its first page announced need",
				maxPages, size, importSlack, first)
		}
		path := fmt.Sprintf("%s?startIndex=%d&count=%d", endpoint, start, size)
		if filter != "" {
			path += "&filter=" + filter
		}
		total, list, err := c.importPage(ctx, start, path, nameAttr)
		if err != nil {
			return out, err
		}
		if page == 1 {
			first, maxPages = total, importSlack*((max(total, 0)+size-1)/size)
		}
		fresh := 0
		for _, r := range list {
			if i, ok := at[r.ID]; ok {
				out[i].Times++
				continue
			}
			fresh++
			if r.ID != "" {
				at[r.ID] = len(out)
			}
			out = append(out, r)
		}
		switch {
		case start+size > total, len(list) == 0:
			return out, nil
		case fresh == 0:
			again := list[0].Name
			if again == "" {
				again = "id " + list[0].ID
			}
			return out, fmt.Errorf("okta: import: the page at startIndex=%d holds only resources already imported (%s first): the target repeats its pages",
				start, again)
		}
	}
}

// importPage reads one page: its totalResults and its resources as
// Imported (Times 1). Non-object entries are skipped, as Okta can import
// nothing from them.
func (c *Client) importPage(ctx context.Context, start int, path, nameAttr string) (total int, list []Imported, err error) {
	op := "import page at " + strconv.Itoa(start)
	resp, err := c.send(ctx, scim.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return 0, nil, err
	}
	if err := expect(op, resp, http.StatusOK); err != nil {
		return 0, nil, err
	}
	var p struct {
		TotalResults any        `json:"totalResults"`
		Resources    []resource `json:"Resources"`
	}
	err = json.Unmarshal(resp.Body, &p)
	var notList *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &notList) { // Resources not a list: nothing to import
		return 0, nil, fmt.Errorf("okta: %s: the body is not a JSON object: %w", op, err)
	}
	t, ok := p.TotalResults.(float64)
	if !ok {
		return 0, nil, fmt.Errorf("okta: %s: the answer is not a ListResponse (no totalResults)", op)
	}
	for _, r := range p.Resources {
		if !r.object {
			continue
		}
		name := r.UserName
		if nameAttr == "displayName" {
			name = r.Display
		}
		list = append(list, Imported{ID: string(r.ID), ExternalID: string(r.ExternalID), Name: string(name), Times: 1})
	}
	return int(max(min(t, 1<<53), 0)), list, nil // a total beyond float64's integers is a lie anyway
}

// resource is the part of a listed resource Imported keeps; object says
// it was a JSON object at all.
type resource struct {
	object     bool
	ID         text `json:"id"`
	ExternalID text `json:"externalId"`
	UserName   text `json:"userName"`
	Display    text `json:"displayName"`
}

func (r *resource) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return nil // not an object: nothing Okta can import
	}
	type fields resource // without this method
	if json.Unmarshal(b, (*fields)(r)) == nil {
		r.object = true
	}
	return nil
}

// text is an attribute read as scim.Text reads it: a string as is, any
// other JSON value as its text, so that a numeric id still names a user.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		*t = text(b[1 : len(b)-1]) // a plain string, the usual case
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = text(scim.Text(v))
	return nil
}
