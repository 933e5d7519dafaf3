package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Remove deletes one resource and reads it back: only a read that answers
// 404 proves it gone (RFC 7644 §3.6), whatever the DELETE answered. An
// error says why it may remain; wasThere says whether the DELETE found it
// (a 404 means someone, usually the scenario, had removed it already).
func (c *Client) Remove(ctx context.Context, kind, id string) (wasThere bool, err error) {
	path := "/" + kind + "/" + id
	resp, err := c.Do(ctx, Request{Method: http.MethodDelete, Path: path})
	if err != nil {
		return false, err
	}
	if resp.Status != http.StatusNotFound && (resp.Status < 200 || resp.Status >= 300) {
		return false, fmt.Errorf("DELETE answered %s", resp.Brief())
	}
	check, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path})
	switch {
	case err != nil:
		return false, fmt.Errorf("DELETE answered %d, but reading it back to be sure failed: %w", resp.Status, err)
	case check.Status == http.StatusNotFound:
		return resp.Status != http.StatusNotFound, nil
	case check.Status == http.StatusOK:
		return false, fmt.Errorf("DELETE answered %d, but the target still serves it (RFC 7644 §3.6: a deleted resource MUST answer 404)", resp.Status)
	}
	return false, fmt.Errorf("DELETE answered %d, but reading it back answered %s", resp.Status, check.Brief())
}

// maxSearchPages bounds a listing that stands in for a broken filter.
const maxSearchPages = 20

// Search finds the resources of kind whose userName (Users) or displayName
// (anything else) satisfies match. It asks with filter first; when the
// target cannot filter, or answers a filter with resources it excludes, it
// lists every resource (at most maxSearchPages pages of 100) and matches
// them itself. complete is false when that listing did not reach the end.
func (c *Client) Search(ctx context.Context, kind, filter string, match func(name string) bool) (found []Object, complete bool, err error) {
	if filter != "" {
		found, ok, err := c.searchPage(ctx, "/"+kind+"?filter="+filter, match)
		if err == nil && ok {
			return found, true, nil
		}
		var na *NoAnswer
		if errors.As(err, &na) {
			return nil, false, err
		}
	}
	start := 1
	for range maxSearchPages {
		resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: fmt.Sprintf("/%s?startIndex=%d&count=100", kind, start)})
		if err != nil {
			return found, false, err
		}
		if resp.Status != http.StatusOK {
			return found, false, fmt.Errorf("listing %s answered %s", kind, resp.Brief())
		}
		o, err := resp.Object()
		if err != nil {
			return found, false, fmt.Errorf("listing %s: %w", kind, err)
		}
		list := resourcesOf(o)
		for _, r := range list {
			if match(nameOf(r)) {
				found = append(found, r)
			}
		}
		total, _ := o["totalResults"].(float64)
		if len(list) == 0 || start+len(list) > int(total) {
			return found, true, nil
		}
		start += len(list)
	}
	return found, false, fmt.Errorf("listing %s did not end within %d pages", kind, maxSearchPages)
}

// searchPage asks once with a filter; ok is false when the answer cannot
// be trusted (not a list, or holding resources match refuses).
func (c *Client) searchPage(ctx context.Context, path string, match func(string) bool) ([]Object, bool, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return nil, false, err
	}
	if resp.Status != http.StatusOK {
		return nil, false, nil
	}
	o, err := resp.Object()
	if err != nil {
		return nil, false, nil
	}
	list := resourcesOf(o)
	total, _ := o["totalResults"].(float64)
	if int(total) > len(list) {
		return nil, false, nil // paged: list it all instead
	}
	for _, r := range list {
		if !match(nameOf(r)) {
			return nil, false, nil
		}
	}
	return list, true, nil
}

func resourcesOf(o Object) []Object {
	list, _ := o["Resources"].([]any)
	out := make([]Object, 0, len(list))
	for _, r := range list {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// NameAttr is the attribute that names a resource of kind in filters.
func NameAttr(kind string) string {
	if kind == "Users" {
		return "userName"
	}
	return "displayName"
}

// Quote makes a filter's string literal (RFC 7644 §3.4.2.2, JSON rules).
func Quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// ID is a resource's id, "" if it has none.
func ID(o Object) string {
	id, _ := o["id"].(string)
	return id
}

// Name is a resource's userName, else its displayName.
func Name(o Object) string { return nameOf(o) }
