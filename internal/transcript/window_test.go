package transcript

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idpconform/idpconform/reports"
)

// A window keeps the first and the last exchanges, counts those between,
// and hands every one to its hook, in order; Reset starts it over. What
// it keeps is redacted, the last ones' bodies when they are read.
func TestWindowKeepsTheEndsAndCountsTheRest(t *testing.T) {
	var all []string
	l := NewWindow(NewRedactor("s3cr3t-token"), 2, 3, nil)
	add := func(n int) {
		for i := range n {
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("http://t/%d", i+1), nil)
			l.Add(req, []byte(`{"note":"s3cr3t-token"}`), &http.Response{StatusCode: 200, Header: http.Header{}}, []byte(`{"password":"pw"}`), 0, nil)
		}
	}
	add(10)
	first, last, _ := l.Window()
	for _, x := range append(first, last...) {
		if strings.Contains(x.RequestBody+x.ResponseBody, "s3cr3t") || strings.Contains(x.ResponseBody, `"pw"`) {
			t.Errorf("%s: a secret is kept: %s %s", x.URL, x.RequestBody, x.ResponseBody)
		}
	}
	l = NewWindow(NewRedactor(), 2, 3, func(x reports.Exchange) { all = append(all, x.URL) })
	add(10)
	first, last, left := l.Window()
	urls := func(xs []reports.Exchange) (out []string) {
		for _, x := range xs {
			out = append(out, x.URL)
		}
		return out
	}
	if got := fmt.Sprint(urls(first), urls(last), left); got != "[http://t/1 http://t/2] [http://t/8 http://t/9 http://t/10] 5" {
		t.Errorf("window of 10: %s", got)
	}
	if len(all) != 10 || all[9] != "http://t/10" || l.Len() != 10 {
		t.Errorf("the hook saw %v; Len %d", all, l.Len())
	}
	l.Reset()
	add(4)
	first, last, left = l.Window()
	if got := fmt.Sprint(urls(first), urls(last), left); got != "[http://t/1 http://t/2] [http://t/3 http://t/4] 0" {
		t.Errorf("after Reset, 4: %s", got)
	}
	if got := len(New(nil).Exchanges()); got != 0 {
		t.Errorf("a new log: %d", got)
	}
}
