// Package cassette reads and writes recorded HTTP exchanges as JSON Lines:
// a header line (format, version, recorder), then one exchange per line.
// Secrets are redacted when written, so a cassette can be shared.
package cassette

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/idpconform/idpconform/internal/transcript"
)

// Format names the file type in the header; Version is the only layout
// this build reads and writes.
const (
	Format  = "idpconform-cassette"
	Version = 1
)

// Header is a cassette's first line.
type Header struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Recorder string    `json:"recorder"` // the idpconform version that wrote it
	Created  time.Time `json:"created"`
}

// Exchange is one request and its answer. URI is the path and query as
// sent ("/scim/v2/Users?filter=…"); bodies are kept as text.
type Exchange struct {
	Time            time.Time           `json:"time"`
	Method          string              `json:"method"`
	URI             string              `json:"uri"`
	RequestHeaders  map[string][]string `json:"requestHeaders,omitempty"`
	RequestBody     string              `json:"requestBody,omitempty"`
	Status          int                 `json:"status"`
	ResponseHeaders map[string][]string `json:"responseHeaders,omitempty"`
	ResponseBody    string              `json:"responseBody,omitempty"`
}

// Writer appends exchanges to a cassette; it is safe for concurrent use.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	redact *transcript.Redactor
	n      int
}

// NewWriter writes the header to w. Every exchange is redacted by r (its
// known secrets, Authorization and cookie headers, password and token
// members) before it is written.
func NewWriter(w io.Writer, recorder string, r *transcript.Redactor) (*Writer, error) {
	if r == nil {
		r = transcript.NewRedactor()
	}
	cw := &Writer{w: w, redact: r}
	return cw, cw.line(Header{Format: Format, Version: Version, Recorder: recorder, Created: time.Now().UTC()})
}

// Write redacts x and appends it.
func (cw *Writer) Write(x Exchange) error {
	x.URI = cw.redact.String(x.URI)
	x.RequestHeaders = cw.redact.Header(x.RequestHeaders)
	x.ResponseHeaders = cw.redact.Header(x.ResponseHeaders)
	x.RequestBody = cw.redact.Body([]byte(x.RequestBody))
	x.ResponseBody = cw.redact.Body([]byte(x.ResponseBody))
	cw.mu.Lock()
	defer cw.mu.Unlock()
	cw.n++
	return cw.line(x)
}

// Len is the number of exchanges written so far.
func (cw *Writer) Len() int {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	return cw.n
}

func (cw *Writer) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = cw.w.Write(append(b, '\n'))
	return err
}

// maxLine bounds one exchange; bodies the reference target accepts are
// at most 1 MiB, and a cassette line holds two of them.
const maxLine = 8 << 20

// Reader reads a cassette one exchange at a time, so memory does not grow
// with its length.
type Reader struct {
	Header Header
	sc     *bufio.Scanner
	line   int
}

// NewReader reads and checks the header: another format or version is an
// error rather than a guess.
func NewReader(r io.Reader) (*Reader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	cr := &Reader{sc: sc}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("cassette: read the header: %w", err)
		}
		return nil, errors.New("cassette: empty file, no header line")
	}
	cr.line = 1
	if err := strict(sc.Bytes(), &cr.Header); err != nil {
		return nil, fmt.Errorf("cassette: line 1 is not a cassette header: %w", err)
	}
	if cr.Header.Format != Format {
		return nil, fmt.Errorf("cassette: line 1: format %q, want %q", cr.Header.Format, Format)
	}
	if cr.Header.Version != Version {
		return nil, fmt.Errorf("cassette: version %d (written by %q) is not readable by this build, which reads version %d",
			cr.Header.Version, cr.Header.Recorder, Version)
	}
	return cr, nil
}

// Next returns the next exchange, or io.EOF after the last.
func (cr *Reader) Next() (Exchange, error) {
	for cr.sc.Scan() {
		cr.line++
		if len(bytes.TrimSpace(cr.sc.Bytes())) == 0 {
			continue
		}
		var x Exchange
		if err := strict(cr.sc.Bytes(), &x); err != nil {
			return Exchange{}, fmt.Errorf("cassette: line %d: %w", cr.line, err)
		}
		if x.Method == "" || x.URI == "" || x.Status < 100 || x.Status > 999 {
			return Exchange{}, fmt.Errorf("cassette: line %d: an exchange needs a method, a uri and a status", cr.line)
		}
		return x, nil
	}
	if err := cr.sc.Err(); err != nil {
		return Exchange{}, fmt.Errorf("cassette: line %d: %w", cr.line+1, err)
	}
	return Exchange{}, io.EOF
}

// strict decodes one JSON value, refusing unknown members and trailing data.
func strict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Record serves with next and writes each exchange to w once it is
// answered, so a request that depends on an earlier answer always comes
// after it. Bodies are read in full (the reference target caps them).
// skip, if not nil, leaves some requests out (they are still served).
func Record(next http.Handler, w *Writer, skip func(*http.Request) bool, onErr func(error)) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if skip != nil && skip(r) {
			next.ServeHTTP(rw, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxLine/4))
		r.Body = io.NopCloser(bytes.NewReader(body))
		x := Exchange{Time: time.Now().UTC(), Method: r.Method, URI: r.URL.RequestURI(),
			RequestHeaders: r.Header.Clone(), RequestBody: string(body)}
		got := &capture{ResponseWriter: rw, status: http.StatusOK}
		next.ServeHTTP(got, r)
		x.Status, x.ResponseHeaders, x.ResponseBody = got.status, rw.Header().Clone(), got.body.String()
		if err := w.Write(x); err != nil && onErr != nil {
			onErr(err)
		}
	})
}

// capture keeps a copy of what the handler answers.
type capture struct {
	http.ResponseWriter
	status int
	wrote  bool
	body   bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	if !c.wrote {
		c.status, c.wrote = code, true
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	c.wrote = true
	if c.body.Len() < maxLine/4 {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *capture) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
