package target

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// query is a list request, from the URL or a SearchRequest body.
type query struct {
	filter            string
	startIndex, count int
	// explicitStart says the client sent startIndex: the fault that reads it
	// 0-based bends only what a client asked for.
	explicitStart          bool
	sortBy                 string
	descending             bool
	attributes, excludedAt string
}

const (
	defaultCount = 100
	maxResults   = 200 // ServiceProviderConfig filter.maxResults
)

// list is GET /Users and /Groups (RFC 7644 §3.4.2).
func (s *Server) list(w http.ResponseWriter, r *http.Request, k *kind) {
	v := r.URL.Query()
	if s.has(QueryPlusKept) {
		v = pathDecoded(r.URL.RawQuery)
	}
	s.answerList(w, r, query{
		filter:        v.Get("filter"),
		startIndex:    atoi(v.Get("startIndex"), 1),
		explicitStart: v.Get("startIndex") != "",
		count:         atoi(v.Get("count"), defaultCount),
		sortBy:        v.Get("sortBy"),
		descending:    strings.EqualFold(v.Get("sortOrder"), "descending"),
		attributes:    v.Get("attributes"), excludedAt: v.Get("excludedAttributes"),
	}, k)
}

// pathDecoded parses a query as a path: '+' stays '+', as a server that
// decodes queries by hand does (Entra sends spaces as '+', idp-behaviour E2).
func pathDecoded(raw string) url.Values {
	v := url.Values{}
	for _, kv := range strings.Split(raw, "&") {
		k, val, _ := strings.Cut(kv, "=")
		k, _ = url.PathUnescape(k)
		val, _ = url.PathUnescape(val)
		v.Add(k, val)
	}
	return v
}

// search is POST .search with a SearchRequest body (RFC 7644 §3.4.3).
func (s *Server) search(w http.ResponseWriter, r *http.Request, kinds ...*kind) {
	if s.has(NoSearchEndpoint) {
		s.writeError(w, errorf(http.StatusNotFound, "", "no such endpoint %s", r.URL.Path))
		return
	}
	body, serr := s.readBody(r)
	if serr != nil {
		s.writeError(w, serr)
		return
	}
	if s.has(SearchCreates) && len(kinds) == 1 {
		// Routed as POST /Users by a server that does not require userName:
		// the SearchRequest's members are no attributes, so the user is empty.
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		s.writeResource(w, r, s.store.add(kinds[0], map[string]any{}, ""), http.StatusCreated)
		return
	}
	str := func(key string) string { v, _ := lookupFold(body, key).(string); return v }
	num := func(key string, def int) int {
		switch v := lookupFold(body, key).(type) {
		case float64:
			return int(v)
		case string:
			return atoi(v, def)
		}
		return def
	}
	s.answerList(w, r, query{
		filter: str("filter"), startIndex: num("startIndex", 1), count: num("count", defaultCount),
		explicitStart: lookupFold(body, "startIndex") != nil,
		sortBy:        str("sortBy"), descending: strings.EqualFold(str("sortOrder"), "descending"),
		attributes: joined(lookupFold(body, "attributes")), excludedAt: joined(lookupFold(body, "excludedAttributes")),
	}, kinds...)
}

// joined accepts a SearchRequest's attribute list as an array of strings
// or as one comma-separated string.
func joined(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		parts := make([]string, 0, len(t))
		for _, it := range t {
			if s, ok := it.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	}
	return ""
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n
	}
	return def
}

// hit is one resource that matched, rendered.
type hit struct {
	kind *kind
	out  map[string]any
}

func (s *Server) answerList(w http.ResponseWriter, r *http.Request, q query, kinds ...*kind) {
	if q.filter != "" && s.has("filter-unsupported") {
		// RFC 7644 §3.12: 501 "Service provider does not support the request operation".
		s.writeError(w, errorf(http.StatusNotImplemented, "", "filtering is not supported"))
		return
	}
	var expr filter.Expression
	if q.filter != "" {
		e, err := parseFilter(q.filter)
		if err != nil {
			if s.has(MalformedFilter200) {
				s.writeList(w, 0, 1, []any{})
				return
			}
			// RFC 7644 §3.4.2.2 and Table 9: invalidFilter.
			s.writeError(w, errorf(http.StatusBadRequest, "invalidFilter", "the filter does not parse: %v", err))
			return
		}
		expr = e
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	all, narrowed := s.candidates(kinds, expr)
	if !narrowed {
		all = s.store.ordered(kinds...)
	}
	if expr == nil && q.sortBy == "" && len(s.faults) == 0 && !s.scanAll {
		s.writePage(w, r, q, all) // nothing to match or sort: render the page alone
		return
	}
	if expr != nil && s.has(FilterAbsentAttribute500) &&
		slices.ContainsFunc(all, func(res *resource) bool { return lacks(s, res.kind, s.render(res, r), expr) }) {
		s.writeError(w, errorf(http.StatusInternalServerError, "", "internal error"))
		return
	}
	var hits []hit
	for _, res := range all {
		out := s.render(res, r)
		if expr != nil && res.kind == userKind && out["active"] == false && s.has(FilterHidesDeactivated) {
			continue
		}
		if expr == nil || s.matches(res.kind, out, expr) {
			s.listed(res, out)
			hits = append(hits, hit{res.kind, out})
		}
	}
	if expr != nil && slices.Contains(kinds, groupKind) && len(kinds) == 1 && s.has(GroupFilterEmpty) {
		hits = nil
	}
	if len(hits) == 0 && strings.HasPrefix(strings.TrimSpace(q.filter), "userName eq") && s.has(NoMatchFilter404) {
		s.writeError(w, errorf(http.StatusNotFound, "", "no user matches %s", q.filter))
		return
	}
	if q.sortBy != "" && !s.has(SortIgnored) && !s.has("sort-unsupported") {
		s.sortHits(hits, q.sortBy, q.descending)
	}
	total := len(hits)
	if s.has(TotalResultsWrong) {
		total = len(all)
	}
	// RFC 7644 §3.4.2.4: startIndex is 1-based, below 1 is 1; a negative
	// count is 0; count is capped at maxResults.
	start := max(q.startIndex, 1)
	count := min(max(q.count, 0), maxResults)
	if s.has("small-pages") {
		count = min(count, smallPage)
	}
	if s.has(CountZeroIgnored) && count == 0 {
		count = defaultCount
	}
	from := start - 1
	if s.has(StartIndexZeroBased) && q.explicitStart {
		from = start
	}
	if s.has(StartIndexIgnored) {
		from = 0
	}
	page := []any{}
	for i := from; i < len(hits) && len(page) < count; i++ {
		p := projectionOf(hits[i].kind, q.attributes, q.excludedAt)
		item := s.withNulls(hits[i].kind, p, s.project(p, hits[i].out))
		if s.has(ListResourcesWithoutSchemas) {
			delete(item, "schemas")
		}
		page = append(page, item)
	}
	if q.filter == "" && s.has(ListNotListresponse) {
		s.writeJSON(w, http.StatusOK, page)
		return
	}
	s.writeList(w, total, start, page)
}

// writePage answers one page of an unfiltered, unsorted list on a target
// without faults or liberties, rendering only the resources on it: paging
// through a large directory stays linear.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, q query, all []*resource) {
	start := max(q.startIndex, 1)
	count := min(max(q.count, 0), maxResults)
	page := []any{}
	for i := start - 1; i < len(all) && len(page) < count; i++ {
		p := projectionOf(all[i].kind, q.attributes, q.excludedAt)
		page = append(page, s.withNulls(all[i].kind, p, s.project(p, s.render(all[i], r))))
	}
	s.writeList(w, len(all), start, page)
}

// writeList answers a ListResponse (RFC 7644 §3.4.2).
func (s *Server) writeList(w http.ResponseWriter, total, start int, page []any) {
	perPage := len(page)
	if s.has(ItemsPerPageWrong) {
		perPage = total
	}
	s.writeJSON(w, http.StatusOK, map[string]any{
		"schemas": []any{listURN}, "totalResults": total, "startIndex": start, "itemsPerPage": perPage, "Resources": page,
	})
}

// sortHits orders by an attribute path (RFC 7644 §3.4.2.3); resources
// without a value sort last, whatever the order. Strings compare
// case-insensitively, which is right for every sortable attribute here.
func (s *Server) sortHits(hits []hit, by string, descending bool) {
	p, err := filter.ParseAttrPath([]byte(by))
	if err != nil {
		return
	}
	key := func(h hit) (string, bool) {
		_, vals := s.values(h.kind, h.out, p, true)
		if len(vals) == 0 {
			return "", false
		}
		switch v := vals[0].(type) {
		case string:
			return strings.ToLower(v), true
		case bool:
			return strconv.FormatBool(v), true
		}
		return "", false
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
