package transcript

import (
	"io"
	"log"
	"strings"
	"unicode"

	"github.com/idpconform/idpconform/reports"
)

// Run redacts a whole run in place before it is written: failure messages
// quote target answers, and exchanges recorded before a secret was learned
// (a token issued mid-run) are redacted again with every secret known now.
func (r *Redactor) Run(run *reports.Run) {
	run.Target.SCIMURL, run.Stopped = r.String(run.Target.SCIMURL), r.String(run.Stopped)
	redactAll(r, run.Notes)
	redactAll(r, run.Cleanup.Leftovers)
	for i := range run.Scenarios {
		s := &run.Scenarios[i]
		for j := range s.Steps {
			s.Steps[j].Text = r.String(s.Steps[j].Text)
		}
		if f := s.Failure; f != nil {
			f.Step, f.Message, f.Actual = r.String(f.Step), r.String(f.Message), r.String(f.Actual)
			redactAll(r, f.Expected)
		}
		for j := range s.Exchanges {
			x := &s.Exchanges[j]
			x.URL, x.Err = r.String(x.URL), r.String(x.Err)
			x.RequestHeaders, x.ResponseHeaders = r.Header(x.RequestHeaders), r.Header(x.ResponseHeaders)
			x.RequestBody, x.ResponseBody = r.Body([]byte(x.RequestBody)), r.Body([]byte(x.ResponseBody))
		}
	}
}

func redactAll(r *Redactor, ss []string) {
	for i := range ss {
		ss[i] = r.String(ss[i])
	}
}

// Writer redacts each write to w: console output that quotes target
// answers. A secret split across two writes would pass, so callers write
// whole messages (godog's formatters do).
func (r *Redactor) Writer(w io.Writer) io.Writer { return redactingWriter{r, w} }

type redactingWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// maxLogLine bounds one line of an HTTP server's error log.
const maxLogLine = 200

// ErrorLog is an http.Server's ErrorLog: Go's server logs quote what a
// peer sent (a bad TLS record, a panic's value), so each message keeps its
// first line, up to the first quote, printable and redacted, then goes
// to w with prefix.
func ErrorLog(w io.Writer, prefix string, r *Redactor) *log.Logger {
	return log.New(errorLine{w, r}, prefix, 0)
}

type errorLine struct {
	w io.Writer
	r *Redactor
}

func (e errorLine) Write(p []byte) (int, error) {
	s, _, _ := strings.Cut(string(p), "\n")
	s, _, _ = strings.Cut(s, `"`)
	s = strings.Map(func(c rune) rune {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return -1
		}
		return c
	}, e.r.String(s))
	if len(s) > maxLogLine {
		s = s[:maxLogLine] + "..."
	}
	if _, err := io.WriteString(e.w, strings.TrimSpace(s)+"\n"); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Error is err with its message redacted; errors.Is and errors.As still
// see err.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{r.String(err.Error()), err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
