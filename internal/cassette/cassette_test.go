package cassette

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/internal/transcript"
)

func TestRoundTripRedactsSecrets(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "v1.2.3", transcript.NewRedactor("planted-token-42"))
	if err != nil {
		t.Fatal(err)
	}
	x := Exchange{Method: "POST", URI: "/scim/v2/Users?token=planted-token-42", Status: 201,
		RequestHeaders:  map[string][]string{"Authorization": {"Bearer planted-token-42"}, "Cookie": {"s=abc"}},
		RequestBody:     `{"userName":"ada","password":"hunter2-secret","note":"planted-token-42"}`,
		ResponseHeaders: map[string][]string{"Set-Cookie": {"s=abcdefgh12345"}},
		ResponseBody:    `{"id":"1","userName":"ada","access_token":"tok-abcdef"}`}
	if err := w.Write(x); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"planted-token-42", "hunter2-secret", "s=abc", "tok-abcdef"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the cassette holds %q:\n%s", secret, buf.String())
		}
	}
	r, err := NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.Header.Recorder != "v1.2.3" || r.Header.Version != Version {
		t.Fatalf("header %+v", r.Header)
	}
	got, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "POST" || got.Status != 201 || got.RequestHeaders["Authorization"][0] != "Bearer "+transcript.Redacted ||
		!strings.Contains(got.RequestBody, `"userName":"ada"`) {
		t.Fatalf("read back %+v", got)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last exchange: %v, want io.EOF", err)
	}
}

func TestReadIsStrict(t *testing.T) {
	for name, c := range map[string]struct{ text, want string }{
		"empty":           {"", "no header"},
		"other format":    {`{"format":"har","version":1}`, `format "har"`},
		"unknown version": {`{"format":"idpconform-cassette","version":2,"recorder":"v9"}`, "version 2"},
		"unknown member":  {`{"format":"idpconform-cassette","version":1,"extra":true}`, "unknown field"},
	} {
		if _, err := NewReader(strings.NewReader(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
	header := `{"format":"idpconform-cassette","version":1,"recorder":"t"}` + "\n"
	for name, line := range map[string]string{
		"unknown member": `{"method":"GET","uri":"/","status":200,"colour":"red"}`,
		"no status":      `{"method":"GET","uri":"/"}`,
		"not JSON":       `GET / 200`,
	} {
		r, err := NewReader(strings.NewReader(header + line + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: %v, want an error naming line 2", name, err)
		}
	}
}

func TestRecordKeepsWhatWasServed(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	h := Record(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rw.Header().Set("Location", "/Users/7")
		rw.WriteHeader(http.StatusCreated)
		_, _ = rw.Write(append([]byte("echo:"), b...))
	}), w, func(r *http.Request) bool { return r.URL.Path == "/skip" }, func(err error) { t.Error(err) })
	for _, path := range []string{"/Users?x=1", "/skip"} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest("POST", path, strings.NewReader("body")))
		if rr.Code != http.StatusCreated || rr.Body.String() != "echo:body" {
			t.Fatalf("served %d %q", rr.Code, rr.Body.String())
		}
	}
	if w.Len() != 1 {
		t.Fatalf("%d exchanges written, want 1 (one skipped)", w.Len())
	}
	r, _ := NewReader(&buf)
	x, err := r.Next()
	if err != nil || x.URI != "/Users?x=1" || x.Status != 201 || x.RequestBody != "body" || x.ResponseBody != "echo:body" || x.ResponseHeaders["Location"][0] != "/Users/7" {
		t.Fatalf("recorded %+v, %v", x, err)
	}
}
