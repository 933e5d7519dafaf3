package hostile

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

const (
	pageSize = 200 // the reference target's maxResults
	maxPages = 50  // bounds a listing at 10,000 resources per endpoint
)

// Remaining lists every user and group on tg whose userName or displayName
// contains token (case-insensitively, as userName is caseExact false). It
// pages through /Users and /Groups without a filter, so a target whose
// filter is broken cannot hide anything; a target holding more than
// maxPages pages is an error rather than an endless listing.
func Remaining(ctx context.Context, tg Target, token string) ([]Ref, error) {
	var out []Ref
	for _, ep := range []string{"Users", "Groups"} {
		key := "userName"
		if ep == "Groups" {
			key = "displayName"
		}
		start, seen := 1, 0
		for page := 0; ; page++ {
			if page == maxPages {
				return out, fmt.Errorf("hostile: list /%s: more than %d resources, stopped", ep, maxPages*pageSize)
			}
			path := fmt.Sprintf("/%s?startIndex=%d&count=%d", ep, start, pageSize)
			list, err := tg.object(ctx, http.MethodGet, path, nil, http.StatusOK)
			if err != nil {
				return out, err
			}
			items, _ := list["Resources"].([]any)
			for _, it := range items {
				res, _ := it.(map[string]any)
				name, _ := res[key].(string)
				if strings.Contains(strings.ToLower(name), strings.ToLower(token)) {
					id, _ := res["id"].(string)
					out = append(out, Ref{ep, id, name})
				}
			}
			seen += len(items)
			total, _ := list["totalResults"].(float64)
			if len(items) == 0 || seen >= int(total) {
				break
			}
			start += len(items)
		}
	}
	return out, nil
}
