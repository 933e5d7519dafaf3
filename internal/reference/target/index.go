package target

import (
	"hash/maphash"
	"slices"
	"strings"
	"unicode"

	filter "github.com/scim2/filter-parser/v2"
)

// The reference target must answer at a customer's size (a million users):
// lookups by userName, externalId and displayName go through these indexes,
// and lists walk resources in creation order without sorting the store.

// indexed are the attributes an eq filter can look up, per kind, with how
// their values compare (caseExact false compares lower-cased, as filter.go
// does).
var indexed = map[*kind]map[string]func(string) string{
	userKind:  {"userName": strings.ToLower, "externalId": same},
	groupKind: {"displayName": strings.ToLower, "externalId": same},
}

func same(s string) string { return s }

// uniqueKey folds a name as strings.EqualFold compares it (rune by rune,
// each to the least rune of its simple-folding orbit), for the uniqueness
// checks, which use EqualFold.
func uniqueKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

// uniqueAttr is the attribute of each kind whose uniqueness the target
// enforces case-insensitively.
var uniqueAttr = map[*kind]string{userKind: "userName", groupKind: "displayName"}

// keys are the index entries of one resource's data: attribute (or
// "unique") → key.
func keys(k *kind, data map[string]any) map[string]string {
	out := map[string]string{}
	for name, norm := range indexed[k] {
		if v, ok := data[name].(string); ok {
			out[name] = norm(v)
		}
	}
	if v, ok := data[uniqueAttr[k]].(string); ok {
		out["unique"] = uniqueKey(v)
	}
	return out
}

// index finds resources by a key's hash. Nearly every key has one
// resource: a pointer per hash costs a tenth of a string and a slice per
// key. A hash may collide, so what an index finds is only a candidate:
// every caller checks the resources it gets.
type index struct {
	seed maphash.Seed
	one  map[uint64]*resource
	more map[uint64][]*resource // hashes that name several resources
}

func newIndex() *index {
	return &index{seed: maphash.MakeSeed(), one: map[uint64]*resource{}, more: map[uint64][]*resource{}}
}

func (ix *index) add(key string, res *resource) {
	h := maphash.String(ix.seed, key)
	if bucket, ok := ix.more[h]; ok {
		ix.more[h] = append(bucket, res)
	} else if first, ok := ix.one[h]; ok {
		delete(ix.one, h)
		ix.more[h] = []*resource{first, res}
	} else {
		ix.one[h] = res
	}
}

func (ix *index) drop(key string, res *resource) {
	h := maphash.String(ix.seed, key)
	if ix.one[h] == res {
		delete(ix.one, h)
		return
	}
	switch bucket := slices.DeleteFunc(ix.more[h], func(r *resource) bool { return r == res }); len(bucket) {
	case 0:
		delete(ix.more, h)
	case 1:
		delete(ix.more, h)
		ix.one[h] = bucket[0]
	default:
		ix.more[h] = bucket
	}
}

// get returns the candidates for key in creation order.
func (ix *index) get(key string) []*resource {
	h := maphash.String(ix.seed, key)
	if res, ok := ix.one[h]; ok {
		return []*resource{res}
	}
	out := slices.Clone(ix.more[h])
	slices.SortFunc(out, func(a, b *resource) int { return a.seq - b.seq })
	return out
}

// link and unlink keep the indexes in step with the stored attributes.
// Callers hold the lock.
func (st *store) link(res *resource, data map[string]any) {
	for name, key := range keys(res.kind, data) {
		st.idx[res.kind][name].add(key, res)
	}
}

func (st *store) unlink(res *resource) {
	for name, key := range keys(res.kind, res.attrs()) {
		st.idx[res.kind][name].drop(key, res)
	}
}

// find returns the resources whose attribute may have this key, in
// creation order; the caller checks each.
func (st *store) find(k *kind, name, key string) []*resource {
	return st.idx[k][name].get(key)
}

// ordered returns the live resources of kinds in creation order.
// The caller must not change the slice.
func (st *store) ordered(kinds ...*kind) []*resource {
	if len(kinds) == 1 {
		st.compact(kinds[0])
		return slices.Clip(st.order[kinds[0]])
	}
	var out []*resource
	for _, k := range kinds {
		st.compact(k)
		out = append(out, st.order[k]...)
	}
	if len(kinds) > 1 {
		slices.SortFunc(out, func(a, b *resource) int { return a.seq - b.seq })
	}
	return out
}

// compact drops removed resources from the creation order once they are
// many, so a delete costs O(1) and a list O(live).
func (st *store) compact(k *kind) {
	if st.dead[k] == 0 {
		return
	}
	st.order[k] = slices.DeleteFunc(st.order[k], func(res *resource) bool { return res.gone })
	st.dead[k] = 0
}

// candidates narrows a filter to the resources an index says can match,
// or returns false when the filter is not one eq on an indexed attribute
// or faults and liberties may bend how filters match. The caller still
// evaluates the filter on each, so an index only ever saves work.
func (s *Server) candidates(kinds []*kind, expr filter.Expression) ([]*resource, bool) {
	e, ok := expr.(*filter.AttributeExpression)
	if !ok || len(kinds) != 1 || len(s.faults) > 0 || s.scanAll || e.Operator != filter.EQ || e.AttributePath.SubAttribute != nil {
		return nil, false
	}
	want, ok := e.CompareValue.(string)
	if !ok {
		return nil, false
	}
	k := kinds[0]
	if uri := e.AttributePath.URI(); uri != "" && !strings.EqualFold(uri, k.Schema) {
		return nil, false
	}
	name := e.AttributePath.AttributeName
	if strings.EqualFold(name, "id") {
		if res := s.store.all[k][want]; res != nil {
			return []*resource{res}, true
		}
		return nil, true
	}
	for attr, norm := range indexed[k] {
		if strings.EqualFold(name, attr) {
			return s.store.find(k, attr, norm(want)), true
		}
	}
	return nil, false
}
