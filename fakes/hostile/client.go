package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Target is a SCIM target that Seed, Snapshot and Remaining talk to. Give
// them the target itself, never the Proxy in front of it, so that what
// they see is what the target holds.
type Target struct {
	base   string // SCIM base URL
	token  string
	client *http.Client
}

// Direct serves requests in process with h (a internal/reference/target Server) under
// /scim/v2; nothing goes over the network.
func Direct(h http.Handler, token string) Target {
	return Target{base: "http://127.0.0.1/scim/v2", token: token, client: &http.Client{Transport: handlerTransport{h}}}
}

// At reaches a target at its SCIM base URL ("http://127.0.0.1:PORT/scim/v2").
func At(url, token string) Target {
	return Target{base: strings.TrimSuffix(url, "/"), token: token, client: &http.Client{Timeout: 30 * time.Second}}
}

// handlerTransport answers a client's requests with a handler.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = r.URL.Host // a server-side request carries its Host; the target builds locations from it
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// maxAnswer bounds what is read of one answer.
const maxAnswer = 16 << 20

// do sends one request, with in as its JSON body unless nil, and returns
// the status and body of the answer.
func (tg Target) do(ctx context.Context, method, path string, in any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, fmt.Errorf("hostile: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, tg.base+path, body)
	if err != nil {
		return 0, nil, fmt.Errorf("hostile: %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+tg.token)
	req.Header.Set("Accept", "application/scim+json")
	if in != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := tg.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("hostile: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, fmt.Errorf("hostile: %s %s: %w", method, path, err)
	}
	return resp.StatusCode, b, nil
}

// object sends one request and decodes the JSON object it must answer
// with the wanted status.
func (tg Target) object(ctx context.Context, method, path string, in any, want int) (map[string]any, error) {
	status, b, err := tg.do(ctx, method, path, in)
	if err != nil {
		return nil, err
	}
	if status != want {
		return nil, fmt.Errorf("hostile: %s %s: status %d, want %d: %.200s", method, path, status, want, b)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("hostile: %s %s: the answer is not a JSON object: %w", method, path, err)
	}
	return out, nil
}
