// Package transcript records the HTTP exchanges of one scenario, with every
// secret redacted before it is stored, so reports can show exactly what was
// sent and answered without leaking credentials.
package transcript

import (
	"net/http"
	"sync"
	"time"

	"github.com/idpconform/idpconform/reports"
)

// Limits keep a hostile target from filling memory through the transcript.
const (
	maxExchanges = 200
	maxBody      = 64 << 10
)

// Log is the transcript of one scenario. It is safe for concurrent use.
type Log struct {
	redact  *Redactor
	mu      sync.Mutex
	entries []reports.Exchange // the first head
	dropped int
	head    int
	// last keeps the latest tail exchanges after the first head, a ring
	// whose oldest is at next (NewWindow).
	last []reports.Exchange
	raw  []bool // last[i]'s bodies are not redacted yet
	tail int
	next int
	each func(reports.Exchange)
}

// New returns an empty transcript that redacts with r and keeps the first
// exchanges of a scenario.
func New(r *Redactor) *Log { return &Log{redact: r, head: maxExchanges} }

// NewWindow returns a transcript for a long run (a fake IdP's cycle of
// 100 000 users) that keeps the first head exchanges and the last tail
// ones and counts those in between; each, unless nil, is handed every
// exchange as it is recorded, one at a time, to keep them all elsewhere.
func NewWindow(r *Redactor, head, tail int, each func(reports.Exchange)) *Log {
	return &Log{redact: r, head: head, tail: tail, each: each}
}

// Add records one exchange. resp is nil when the request never got an answer,
// and err then says why.
func (l *Log) Add(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, took time.Duration, err error) {
	if l == nil { // a nil Log records nothing, for traffic no report needs (cleanup)
		return
	}
	l.redact.learnCookies(req.Header)
	if resp != nil {
		l.redact.learnCookies(resp.Header)
	}
	// Past a window's first exchanges most are pushed out unread: their
	// bodies (JSON, the costly part) are redacted when read, in Window.
	l.mu.Lock()
	raw := l.each == nil && l.tail > 0 && len(l.entries) >= l.head
	l.mu.Unlock()
	body := func(b []byte) string {
		if raw {
			return string(clip(b))
		}
		return l.redact.Body(clip(b))
	}
	x := reports.Exchange{
		Method:         req.Method,
		URL:            l.redact.String(req.URL.String()),
		RequestHeaders: l.redact.Header(req.Header),
		RequestBody:    body(reqBody),
		Duration:       reports.Duration(took),
	}
	if resp != nil {
		x.Status = resp.StatusCode
		x.ResponseHeaders = l.redact.Header(resp.Header)
		x.ResponseBody = body(respBody)
	}
	if err != nil {
		x.Err = l.redact.String(err.Error())
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keep(x, raw)
}

// keep records x in the window; raw says its bodies are not redacted yet.
// Callers hold the lock.
func (l *Log) keep(x reports.Exchange, raw bool) {
	if l.each != nil {
		l.each(x)
	}
	switch {
	case len(l.entries) < l.head:
		if raw { // the log was Reset in between
			x = l.redactBodies(x)
		}
		l.entries = append(l.entries, x)
	case l.tail == 0:
		l.dropped++
	case len(l.last) < l.tail:
		l.last = append(l.last, x)
		l.raw = append(l.raw, raw)
	default:
		l.last[l.next], l.raw[l.next] = x, raw
		l.next = (l.next + 1) % l.tail
		l.dropped++
	}
}

func (l *Log) redactBodies(x reports.Exchange) reports.Exchange {
	x.RequestBody = l.redact.Body([]byte(x.RequestBody))
	x.ResponseBody = l.redact.Body([]byte(x.ResponseBody))
	return x
}

// Append records exchanges made elsewhere on the scenario's behalf (by a
// fake IdP in a container, which redacted them with the same credentials),
// redacting them once more with this log's secrets.
func (l *Log) Append(xs ...reports.Exchange) {
	if l == nil {
		return
	}
	for _, x := range xs {
		x.URL = l.redact.String(x.URL)
		x.RequestHeaders = l.redact.Header(x.RequestHeaders)
		x.ResponseHeaders = l.redact.Header(x.ResponseHeaders)
		x.RequestBody = l.redact.Body([]byte(x.RequestBody))
		x.ResponseBody = l.redact.Body([]byte(x.ResponseBody))
		x.Err = l.redact.String(x.Err)
		l.mu.Lock()
		l.keep(x, false)
		l.mu.Unlock()
	}
}

// Hide adds secrets made up during the run (a user's password) to what
// this log's redactor, shared by the run's reports, hides.
func (l *Log) Hide(secrets ...string) {
	if l != nil {
		l.redact.Add(secrets...)
	}
}

// Exchanges returns a copy of what was kept, in order.
func (l *Log) Exchanges() []reports.Exchange {
	first, last, _ := l.Window()
	return append(first, last...)
}

// Window returns copies of the first exchanges kept and the last ones,
// and how many were left out between them (or after the first, for New).
func (l *Log) Window() (first, last []reports.Exchange, left int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first = append([]reports.Exchange(nil), l.entries...)
	for i, raw := range l.raw {
		if raw {
			l.last[i], l.raw[i] = l.redactBodies(l.last[i]), false
		}
	}
	if len(l.last) > 0 {
		last = append(append([]reports.Exchange(nil), l.last[l.next:]...), l.last[:l.next]...)
	}
	return first, last, l.dropped
}

// Reset forgets what was recorded.
func (l *Log) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries, l.dropped, l.last, l.raw, l.next = nil, 0, nil, nil, 0
}

// Len is the number of exchanges recorded, including dropped ones.
func (l *Log) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries) + len(l.last) + l.dropped
}

func clip(b []byte) []byte {
	if len(b) <= maxBody {
		return b
	}
	out := append([]byte(nil), b[:maxBody]...)
	return append(out, "\n… (body clipped by idpconform)"...)
}
