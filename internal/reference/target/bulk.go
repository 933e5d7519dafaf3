package target

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

const (
	bulkRequestURN  = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	bulkResponseURN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
	// maxBulkOperations and maxBulkPayload are what /ServiceProviderConfig
	// declares (RFC 7643 §5); a larger request answers 413 (RFC 7644 §3.7.4).
	maxBulkOperations = 10
	maxBulkPayload    = 64 << 10
)

// bulkOp is one operation of a BulkRequest (RFC 7644 §3.7).
type bulkOp struct {
	Method  string          `json:"method"`
	BulkID  string          `json:"bulkId"`
	Path    string          `json:"path"`
	Version string          `json:"version"`
	Data    json.RawMessage `json:"data"`
}

// bulk is POST /Bulk (RFC 7644 §3.7): each operation runs as the request it
// describes, in order; "bulkId:x" references take the id of the resource
// the operation with bulkId x created; failOnErrors stops the job after
// that many errors.
func (s *Server) bulk(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil || (len(raw) > maxBulkPayload && !s.has(BulkNoLimits)) {
		s.writeError(w, errorf(http.StatusRequestEntityTooLarge, "", "the bulk request is larger than maxPayloadSize (%d bytes)", maxBulkPayload))
		return
	}
	var req struct {
		FailOnErrors int      `json:"failOnErrors"`
		Operations   []bulkOp `json:"Operations"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		s.writeError(w, errorf(http.StatusBadRequest, "invalidSyntax", "the body is not a BulkRequest: %v", err))
		return
	}
	if len(req.Operations) > maxBulkOperations && !s.has(BulkNoLimits) {
		s.writeError(w, errorf(http.StatusRequestEntityTooLarge, "", "the bulk request has %d operations, more than maxOperations (%d)", len(req.Operations), maxBulkOperations))
		return
	}
	ids := map[string]string{} // bulkId → the id its POST got
	var out []any
	errs := 0
	for _, op := range req.Operations {
		res := s.bulkRun(r, op, ids)
		out = append(out, res)
		if st, _ := strconv.Atoi(res["status"].(string)); st >= 400 {
			errs++
		}
		if req.FailOnErrors > 0 && errs >= req.FailOnErrors && !s.has(BulkIgnoresFailOnErrors) {
			break
		}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"schemas": []any{bulkResponseURN}, "Operations": out})
}

// bulkRun runs one operation through the router and reports its outcome.
func (s *Server) bulkRun(r *http.Request, op bulkOp, ids map[string]string) map[string]any {
	res := map[string]any{"method": op.Method}
	if op.BulkID != "" {
		res["bulkId"] = op.BulkID
	}
	path, data := op.Path, []byte(op.Data)
	if !s.has(BulkIgnoresBulkidRefs) {
		path, data = resolveBulkIDs(path, ids), []byte(resolveBulkIDs(string(data), ids))
	}
	req := httptest.NewRequestWithContext(r.Context(), strings.ToUpper(op.Method), "/scim/v2"+path, bytes.NewReader(data))
	req.Host = r.Host
	if op.Version != "" {
		req.Header.Set("If-Match", op.Version)
	}
	rec := httptest.NewRecorder()
	p, _, _ := strings.Cut(strings.Trim(path, "/"), "?")
	switch first, _, _ := strings.Cut(p, "/"); first {
	case userKind.Endpoint, groupKind.Endpoint:
		s.route(rec, req, p)
	default:
		s.writeError(rec, errorf(http.StatusBadRequest, "invalidPath", "a bulk operation's path names /Users or /Groups, not %q", op.Path))
	}
	res["status"] = strconv.Itoa(rec.Code)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code >= 400 {
		res["response"] = body
		return res
	}
	if v := rec.Header().Get("ETag"); v != "" {
		res["version"] = v
	}
	if loc := rec.Header().Get("Location"); loc != "" {
		res["location"] = loc
	} else if id, _ := body["id"].(string); id != "" {
		if strings.EqualFold(op.Method, http.MethodPost) {
			p += "/" + id // a create's path names the collection
		}
		res["location"] = baseURL(r) + "/" + p
	}
	if id, _ := body["id"].(string); id != "" && op.BulkID != "" && strings.EqualFold(op.Method, http.MethodPost) {
		ids[op.BulkID] = id
	}
	return res
}

// resolveBulkIDs replaces each "bulkId:x" whose x is known by its id.
func resolveBulkIDs(s string, ids map[string]string) string {
	for bulkID, id := range ids {
		s = strings.ReplaceAll(s, "bulkId:"+bulkID+`"`, id+`"`)
		s = strings.ReplaceAll(s, "bulkId:"+bulkID+"/", id+"/")
		if strings.HasSuffix(s, "bulkId:"+bulkID) {
			s = strings.TrimSuffix(s, "bulkId:"+bulkID) + id
		}
	}
	return s
}
