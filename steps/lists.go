package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/idpconform/idpconform/internal/scim"
)

// maxPages bounds a paging walk so that a target that never ends its list
// cannot keep the harness busy.
const maxPages = 50

func registerLists(sc stepper, w *World) {
	sc.Step(`^I filter (users|groups) by (.+?)(?: with startIndex (-?\d+) and count (\d+)| sorted by (\S+?)( descending)?)?$`, w.iFilter)
	sc.Step(`^I search (/\S*\.search) for (.+)$`, w.iSearch)
	sc.Step(`^the search created nothing$`, w.theSearchCreatedNothing)
	sc.Step(`^I page through users matching (.+) with count (\d+)$`, w.iPageThrough)
	sc.Step(`^the list contains exactly the (users|groups) "([^"]*)"$`, w.theListContainsExactly)
	sc.Step(`^the list contains no users$`, w.theListContainsNoUsers)
	sc.Step(`^the list has totalResults (\d+),(?: startIndex (\d+),)? itemsPerPage (\d+) and (\d+) resources$`, w.theListHas)
	sc.Step(`^the pages contain exactly the users "([^"]*)", each once$`, w.thePagesContain)
	sc.Step(`^the list is in the order "([^"]*)"$`, w.theListIsInTheOrder)
	sc.Step(`^every listed resource has `+quoted+`$`, w.everyListedHas)
	sc.Step(`^every listed resource has no `+quoted+`$`, w.everyListedHasNo)
	sc.Step(`^every listed resource lists the schema "([^"]*)"$`, w.everyListedListsTheSchema)
	sc.Step(`^the list contains a resource with "([^"]*)" equal to "([^"]*)"$`, w.theListContainsWith)
}

func (w *World) iFilter(ctx context.Context, kind, filter, start, count, sortBy, descending string) error {
	endpoint := "/Users"
	if kind == "groups" {
		endpoint = "/Groups"
	}
	f, err := w.expand(filter)
	if err != nil {
		return err
	}
	q := url.Values{"filter": {f}}
	if start != "" {
		q.Set("startIndex", start)
		q.Set("count", count)
	}
	if sortBy != "" {
		q.Set("sortBy", sortBy)
		if descending != "" {
			q.Set("sortOrder", "descending")
		}
	}
	if _, err = w.do(ctx, scim.Request{Method: http.MethodGet, Path: endpoint + "?" + rawQuery(q)}); err != nil || start != "" {
		return err
	}
	return w.readRemainingPages(ctx, endpoint, q)
}

// readRemainingPages follows a list the client asked for whole but the
// target answered in pages (RFC 7644 §3.4.2.4 lets it return fewer than
// asked): it reads the following pages and keeps, as the last answer, the
// first page with every page's Resources. Only a list whose totalResults
// says there is more is followed.
func (w *World) readRemainingPages(ctx context.Context, endpoint string, q url.Values) error {
	first, err := w.listResponse()
	if err != nil {
		return nil // the checks that follow say what is wrong with the answer
	}
	all := resources(first)
	total, _ := first["totalResults"].(float64)
	answer := w.last
	for range maxPages {
		if len(all) == 0 || len(all) >= int(total) {
			break
		}
		q.Set("startIndex", strconv.Itoa(len(all)+1))
		if _, err := w.do(ctx, scim.Request{Method: http.MethodGet, Path: endpoint + "?" + rawQuery(q)}); err != nil {
			return err
		}
		page, err := w.listResponse()
		if err != nil {
			return err
		}
		more := resources(page)
		if len(more) == 0 {
			break
		}
		all = append(all, more...)
	}
	if len(all) == len(resources(first)) {
		w.last = answer
		return nil
	}
	merged := map[string]any(first)
	list := make([]any, len(all))
	for i, m := range all {
		list[i] = m
	}
	merged["Resources"], merged["itemsPerPage"] = list, len(list)
	body, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	w.last = &scim.Response{Status: answer.Status, Header: answer.Header, Body: body}
	return nil
}

// rawQuery joins q unencoded: scim.Client encodes it, once.
func rawQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, k+"="+v)
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

// iSearch sends a SearchRequest (RFC 7644 §3.4.3).
func (w *World) iSearch(ctx context.Context, endpoint, filter string) error {
	f, err := w.expand(filter)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(map[string]any{
		"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"},
		"filter":  f,
	})
	if err != nil {
		return err
	}
	_, err = w.do(ctx, scim.Request{Method: http.MethodPost, Path: endpoint, Body: raw})
	return err
}

// theSearchCreatedNothing checks the answer to a search is not a created
// resource (RFC 7644 §3.4.3: POST .search queries, it never creates). A
// created resource is tracked, so the cleanup tries to remove it.
func (w *World) theSearchCreatedNothing() error {
	if w.last == nil {
		return fmt.Errorf("steps: no request was sent before this check")
	}
	o, _ := w.last.Object()
	id, _ := o["id"].(string)
	if w.last.Status != http.StatusCreated && id == "" {
		return nil
	}
	if id != "" {
		w.track("Users", "created-by-a-search", id)
	}
	return violated("a search answered with results, creating nothing", "%s", w.last.Brief())
}

// iPageThrough walks the list as Okta's import does (okta-paging): 1-based
// startIndex, advancing by the page's size, until totalResults is reached.
func (w *World) iPageThrough(ctx context.Context, filter string, count int) error {
	w.pages = nil
	start := 1
	for range maxPages {
		if err := w.iFilter(ctx, "users", filter, strconv.Itoa(start), strconv.Itoa(count), "", ""); err != nil {
			return err
		}
		page, err := w.listResponse()
		if err != nil {
			return err
		}
		w.pages = append(w.pages, page)
		got := len(resources(page))
		total, _ := page["totalResults"].(float64)
		if got == 0 || start+got > int(total) {
			return nil
		}
		start += got
	}
	return violated(fmt.Sprintf("the list to end within %d pages", maxPages), "more pages")
}

// listResponse decodes the last answer as a ListResponse (RFC 7644 §3.4.2).
func (w *World) listResponse() (scim.Object, error) {
	if w.last != nil && w.last.Status != http.StatusOK {
		return nil, violated("200 OK with a ListResponse", "%s", w.last.Brief())
	}
	o, err := w.lastObject()
	if err != nil {
		return nil, err
	}
	if _, ok := o["totalResults"].(float64); !ok {
		return nil, violated("a ListResponse with a numeric totalResults", "%s", w.last.Brief())
	}
	return o, nil
}

func resources(o scim.Object) []map[string]any {
	list, _ := o["Resources"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, el := range list {
		if m, ok := el.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// aliasesOf names the listed resources by alias; a resource this scenario
// did not create is named by its id so that a failure shows the stranger.
func (w *World) aliasesOf(list []map[string]any) []string {
	out := make([]string, 0, len(list))
	for _, m := range list {
		id := scim.Text(m["id"])
		name := "unknown " + id
		for _, r := range w.made {
			if r.id == id {
				name = r.alias
			}
		}
		out = append(out, name)
	}
	return out
}

func (w *World) theListContainsExactly(kind, names string) error {
	o, err := w.listResponse()
	if err != nil {
		return err
	}
	got := w.aliasesOf(resources(o))
	want := splitList(names)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return violated(fmt.Sprintf("exactly the %s %s", kind, strings.Join(want, ", ")), "%s", describeList(got))
	}
	return nil
}

func describeList(names []string) string {
	if len(names) == 0 {
		return "an empty list"
	}
	return strings.Join(names, ", ")
}

func (w *World) theListContainsNoUsers() error {
	return w.theListContainsExactly("users", "")
}

func (w *World) theListHas(ctx context.Context, total int, start string, perPage, n int) error {
	o, err := w.listResponse()
	if err != nil {
		return err
	}
	// A target may return fewer than count asks (RFC 7644 §3.4.2.4); one
	// that declares a smaller filter.maxResults is held to a full page of
	// that size.
	if limit := w.declaredMaxResults(ctx); limit > 0 && limit < n {
		n = limit
		perPage = min(perPage, limit)
	}
	got := map[string]string{
		"totalResults": scim.Text(o["totalResults"]),
		"itemsPerPage": scim.Text(o["itemsPerPage"]),
		"startIndex":   scim.Text(o["startIndex"]),
		"Resources":    strconv.Itoa(len(resources(o))),
	}
	want := map[string]string{
		"totalResults": strconv.Itoa(total),
		"itemsPerPage": strconv.Itoa(perPage),
		"Resources":    strconv.Itoa(n),
	}
	if start != "" {
		want["startIndex"] = start
	}
	var expected, actual []string
	for _, k := range []string{"totalResults", "startIndex", "itemsPerPage", "Resources"} {
		if v, ok := want[k]; ok {
			expected = append(expected, k+" "+v)
			actual = append(actual, k+" "+got[k])
		}
	}
	if !slices.Equal(expected, actual) {
		return &Violation{Expected: expected, Actual: strings.Join(actual, ", ")}
	}
	return nil
}

func (w *World) thePagesContain(names string) error {
	var all []map[string]any
	for _, p := range w.pages {
		all = append(all, resources(p)...)
	}
	got := w.aliasesOf(all)
	want := splitList(names)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return violated(fmt.Sprintf("the %d pages to hold %s, each once", len(w.pages), strings.Join(want, ", ")), "%s", describeList(got))
	}
	return nil
}

func (w *World) theListIsInTheOrder(names string) error {
	o, err := w.listResponse()
	if err != nil {
		return err
	}
	got := w.aliasesOf(resources(o))
	want := splitList(names)
	if !slices.Equal(got, want) {
		return violated("the order "+strings.Join(want, ", "), "%s", describeList(got))
	}
	return nil
}

func (w *World) everyListedHas(path string) error {
	return w.everyListed(unquote(path), true)
}

func (w *World) everyListedHasNo(path string) error {
	return w.everyListed(unquote(path), false)
}

func (w *World) everyListedListsTheSchema(schema string) error {
	list, err := w.someListed()
	if err != nil {
		return err
	}
	for _, m := range list {
		if !listHas(m["schemas"], schema) {
			return violated(`"schemas" with `+schema+" on every listed resource", "resource %s with %s", scim.Text(m["id"]), schemasText(m["schemas"]))
		}
	}
	return nil
}

// someListed is the last ListResponse's resources, of which a check of
// "every listed resource" needs at least one.
func (w *World) someListed() ([]map[string]any, error) {
	o, err := w.listResponse()
	if err != nil {
		return nil, err
	}
	list := resources(o)
	if len(list) == 0 {
		return nil, violated("at least one listed resource", "an empty list")
	}
	return list, nil
}

func (w *World) everyListed(path string, present bool) error {
	list, err := w.someListed()
	if err != nil {
		return err
	}
	for _, m := range list {
		v, ok := scim.Object(m).Lookup(path)
		if assigned(v, ok) != present {
			if present {
				return violated(path+" on every listed resource", "resource %s without it", scim.Text(m["id"]))
			}
			return violated("no "+path+" on any listed resource", "resource %s with %s", scim.Text(m["id"]), scim.Text(v))
		}
	}
	return nil
}

func (w *World) theListContainsWith(path, want string) error {
	o, err := w.listResponse()
	if err != nil {
		return err
	}
	for _, m := range resources(o) {
		if v, ok := scim.Object(m).Lookup(path); ok && scim.Text(v) == want {
			return nil
		}
	}
	return violated(fmt.Sprintf("a listed resource with %s %q", path, want), "%s", w.last.Brief())
}

// declaredMaxResults is the target's /ServiceProviderConfig
// filter.maxResults, or 0; it leaves the last answer alone.
func (w *World) declaredMaxResults(ctx context.Context) int {
	resp, err := w.client.Do(ctx, scim.Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
	if err != nil || resp.Status != http.StatusOK {
		return 0
	}
	o, err := resp.Object()
	if err != nil {
		return 0
	}
	v, _ := o.Lookup("filter.maxResults")
	f, _ := v.(float64)
	return int(f)
}
