package target

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// scimError is an error answer (RFC 7644 §3.12).
type scimError struct {
	status   int
	scimType string // only the values RFC 7644 Table 9 defines, or ""
	detail   string
}

func (e *scimError) Error() string { return e.detail }

func errorf(status int, scimType, format string, args ...any) *scimError {
	return &scimError{status: status, scimType: scimType, detail: fmt.Sprintf(format, args...)}
}

// writeError answers e. RFC 7644 §3.12: "status" is "the HTTP status code
// expressed as a JSON string"; scimType is set only where Table 9 has one.
func (s *Server) writeError(w http.ResponseWriter, e *scimError) {
	if e.status == http.StatusNotFound && s.has(HTML404) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body><h1>Not Found</h1></body></html>"))
		return
	}
	if e.status == http.StatusUnauthorized && s.has(UnauthorizedPlainText) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="idpconform"`)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(e.status)
		_, _ = w.Write([]byte("Unauthorized"))
		return
	}
	body := map[string]any{"schemas": []any{errorURN}, "status": strconv.Itoa(e.status)}
	if !s.has("error-no-detail") {
		body["detail"] = e.detail
	}
	if s.has(ErrorStatusNumber) {
		body["status"] = e.status
	}
	if e.scimType != "" && (!s.has("error-no-scimtype") || demandedScimType[e.scimType]) {
		body["scimType"] = e.scimType
	}
	if e.status == http.StatusNotFound && s.has(NotFoundScimtype) {
		body["scimType"] = "invalidValue"
	}
	if e.status == http.StatusUnauthorized && !s.has(UnauthorizedNoChallenge) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="idpconform"`)
	}
	s.writeJSON(w, e.status, body)
}

// writeJSON answers body as application/scim+json (RFC 7644 §3.1, §8.1).
func (s *Server) writeJSON(w http.ResponseWriter, status int, body any) {
	ct := "application/scim+json"
	if s.has(JSONContentType) {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	if body != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
	}
}

// readBody decodes a JSON object body: 413 when it is larger than maxBody,
// 400 invalidSyntax when it is not a JSON object (RFC 7644 §3.12).
func (s *Server) readBody(r *http.Request) (map[string]any, *scimError) {
	if s.has(ContentTypeCharsetRefused) && strings.Contains(r.Header.Get("Content-Type"), ";") {
		return nil, errorf(http.StatusUnsupportedMediaType, "", "unsupported Content-Type %q", r.Header.Get("Content-Type"))
	}
	if mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(mt) == "application/json" && s.has(JSONMediaTypeRefused) {
		return nil, errorf(http.StatusUnsupportedMediaType, "", "unsupported Content-Type %q: send application/scim+json", r.Header.Get("Content-Type"))
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body == nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return nil, errorf(http.StatusRequestEntityTooLarge, "", "the request body is larger than %d bytes", maxBody)
		case s.has(InvalidJSON500):
			return nil, errorf(http.StatusInternalServerError, "", "internal error")
		}
		return nil, errorf(http.StatusBadRequest, "invalidSyntax", "the body is not a JSON object: %v", err)
	}
	return body, nil
}

// demandedScimType are the scimTypes the RFC's prose, not only Table 9,
// requires: RFC 7644 §3.3 (uniqueness), §3.5.2 (mutability), §3.5.2.2 and
// §3.5.2.3 (noTarget). The error-no-scimtype liberty keeps these.
var demandedScimType = map[string]bool{"uniqueness": true, "mutability": true, "noTarget": true}
