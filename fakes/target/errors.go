package target

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// scimError is an error answer (RFC 7644 §3.12).
type scimError struct {
	status   int
	scimType string
	detail   string
}

func (e *scimError) Error() string { return e.detail }

func errorf(status int, scimType, format string, args ...any) *scimError {
	return &scimError{status: status, scimType: scimType, detail: fmt.Sprintf(format, args...)}
}

func (s *Server) writeError(w http.ResponseWriter, e *scimError) {
	if e.status == http.StatusNotFound && s.has("html-404") {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body>Not Found</body></html>"))
		return
	}
	body := map[string]any{"schemas": []any{errorURN}, "status": strconv.Itoa(e.status), "detail": e.detail}
	if s.has("error-status-number") {
		body["status"] = e.status
	}
	if e.scimType != "" {
		body["scimType"] = e.scimType
	}
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="idpconform"`)
	}
	s.writeJSON(w, e.status, body)
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, body any) {
	ct := "application/scim+json"
	if s.has("json-content-type") {
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
