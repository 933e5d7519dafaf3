package console

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/idpconform/idpconform/reports"
)

// Progress counts scenarios as they finish: on a terminal one line,
// redrawn, with done/total, failures so far, the time spent and an
// estimate of the time left; a line for each violation or scenario that
// could not be checked as it happens, on a terminal and in a log alike.
// In a log (CI) there is no counter, which would only fill it.
type Progress struct {
	w      io.Writer
	total  int
	term   bool
	color  bool
	start  time.Time
	now    func() time.Time
	mu     sync.Mutex
	done   int
	failed int
}

// NewProgress counts total scenarios, written to w; term says whether w
// is a terminal (Terminal), read before w is wrapped in a redacting
// writer, and color whether it takes colours (Color).
func NewProgress(w io.Writer, total int, term, color bool) *Progress {
	return &Progress{w: w, total: total, term: term, color: color, start: time.Now(), now: time.Now}
}

// Done records one finished scenario.
func (p *Progress) Done(s reports.Scenario) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if line := FailureLine(s, p.color); line != "" {
		p.failed++
		if p.term {
			fmt.Fprint(p.w, "\r\x1b[K") // the counter gives way to the failure
		}
		fmt.Fprintln(p.w, line)
	}
	if p.term {
		fmt.Fprint(p.w, "\r\x1b[K"+p.status())
	}
}

// Finish ends the counter's line.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.term {
		fmt.Fprint(p.w, "\r\x1b[K"+p.status()+"\n")
	}
}

// status is the counter: "37/210 scenarios, 2 failed, 12s, about 55s left".
func (p *Progress) status() string {
	elapsed := p.now().Sub(p.start)
	s := fmt.Sprintf("%d/%d scenarios, %d failed, %s", p.done, p.total, p.failed, elapsed.Round(time.Second))
	if p.done > 0 && p.done < p.total {
		left := elapsed / time.Duration(p.done) * time.Duration(p.total-p.done)
		s += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return s
}

// FailureLine is the one line said about a scenario as it fails ("" for
// one that passed, warned or was skipped): the verdict, in red on a
// terminal that takes colours, the title, where it is and why.
func FailureLine(s reports.Scenario, color bool) string {
	var verdict string
	switch s.Status {
	case reports.Failed:
		verdict = "violation"
	case reports.Errored:
		verdict = "could not check"
	case reports.Undefined:
		verdict = "undefined"
	default:
		return ""
	}
	line := fmt.Sprintf("%s %s [%s]", Paint(color, Red, "× "+verdict+":"), s.Name, s.ID)
	if s.Failure != nil {
		why := s.Failure.Message
		if s.Failure.Actual != "" {
			why = s.Failure.Actual
		}
		line += ": " + Plain(why)
	}
	return line
}
