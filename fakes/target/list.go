package target

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// query is a list request, from the URL or a SearchRequest body.
type query struct {
	filter     string
	startIndex int
	count      int
	sortBy     string
	descending bool
	projection projection
}

const (
	defaultCount = 100
	maxResults   = 200 // ServiceProviderConfig filter.maxResults
)

// list is GET /Users and /Groups (RFC 7644 §3.4.2).
func (s *Server) list(w http.ResponseWriter, r *http.Request, k *kind) {
	v := r.URL.Query()
	q := query{
		filter:     v.Get("filter"),
		startIndex: atoi(v.Get("startIndex"), 1),
		count:      atoi(v.Get("count"), defaultCount),
		sortBy:     v.Get("sortBy"),
		descending: strings.EqualFold(v.Get("sortOrder"), "descending"),
		projection: projectionOf(v.Get("attributes"), v.Get("excludedAttributes")),
	}
	s.answerList(w, r, k, q)
}

// search is POST /.search (RFC 7644 §3.4.3).
func (s *Server) search(w http.ResponseWriter, r *http.Request, k *kind) {
	if s.has("no-search-endpoint") {
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
		return
	}
	body, serr := s.readBody(r)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	str := func(key string) string { v, _ := lookupFold(body, key).(string); return v }
	num := func(key string, def int) int {
		if f, ok := lookupFold(body, key).(float64); ok {
			return int(f)
		}
		return def
	}
	list := func(key string) string {
		items, _ := lookupFold(body, key).([]any)
		var parts []string
		for _, it := range items {
			if s, ok := it.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	}
	s.answerList(w, r, k, query{
		filter: str("filter"), startIndex: num("startIndex", 1), count: num("count", defaultCount),
		sortBy: str("sortBy"), descending: strings.EqualFold(str("sortOrder"), "descending"),
		projection: projectionOf(list("attributes"), list("excludedAttributes")),
	})
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func (s *Server) answerList(w http.ResponseWriter, r *http.Request, k *kind, q query) {
	var expr filter.Expression
	if q.filter != "" {
		e, err := filter.ParseFilter([]byte(q.filter))
		if err != nil {
			if s.has("malformed-filter-200") {
				s.writeJSON(w, http.StatusOK, map[string]any{"schemas": []any{listURN}, "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []any{}})
				return
			}
			s.writeError(w, errorf(http.StatusBadRequest, "invalidFilter", "the filter does not parse: %v", err))
			return
		}
		expr = e
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	all := make([]*resource, 0, len(s.store.all[k]))
	for _, res := range s.store.all[k] {
		all = append(all, res)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	var hits []map[string]any
	for _, res := range all {
		out := s.render(res, r)
		if expr == nil || s.matches(k, out, expr) {
			hits = append(hits, out)
		}
	}
	if q.sortBy != "" && !s.has("sort-ignored") {
		s.sortBy(k, hits, q.sortBy, q.descending)
	}
	total := len(hits)
	if s.has("total-results-wrong") {
		total = len(all)
	}
	// RFC 7644 §3.4.2.4: 1-based; below 1 is 1; a negative count is 0.
	start := max(q.startIndex, 1)
	count := min(max(q.count, 0), maxResults)
	if s.has("count-zero-ignored") && count == 0 {
		count = defaultCount
	}
	from := start - 1
	if s.has("start-index-zero-based") {
		from = start
	}
	page := []any{}
	for i := from; i < len(hits) && len(page) < count; i++ {
		page = append(page, q.projection.apply(k, hits[i], s))
	}
	perPage := len(page)
	if s.has("items-per-page-wrong") {
		perPage = total
	}
	s.writeJSON(w, http.StatusOK, map[string]any{
		"schemas": []any{listURN}, "totalResults": total, "startIndex": start, "itemsPerPage": perPage, "Resources": page,
	})
}

// sortBy orders by an attribute path (RFC 7644 §3.4.2.3); resources
// without a value sort last, whatever the order.
func (s *Server) sortBy(k *kind, hits []map[string]any, by string, descending bool) {
	p, err := filter.ParseAttrPath([]byte(by))
	if err != nil {
		return
	}
	key := func(m map[string]any) (string, bool) {
		_, vals := s.values(k, m, p, true)
		if len(vals) == 0 {
			return "", false
		}
		v, _ := vals[0].(string)
		return strings.ToLower(v), true
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, aok := key(hits[i])
		b, bok := key(hits[j])
		if aok != bok {
			return aok
		}
		if descending {
			return a > b
		}
		return a < b
	})
}
