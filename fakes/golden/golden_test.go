package golden

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// issuer is a target that issues a fresh id per create and echoes the
// body of a read with its timestamp, version and location.
func issuer(t *testing.T) http.Handler {
	n := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			n++
			id := fmt.Sprintf("%032x", n*7919+int(t.Name()[0]))
			w.Header().Set("Location", "http://"+r.Host+"/scim/v2/Users/"+id)
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"id":%q}`, id)
		default:
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func send(t *testing.T, method, url, body string, h map[string]string) string {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	return loc[strings.LastIndex(loc, "/")+1:]
}

func TestRecorderNormalises(t *testing.T) {
	rec := NewRecorder(issuer(t), "/scim/v2").Mask(regexp.MustCompile(`guid-[0-9]+`), "guid")
	base := rec.Serve(t)
	h := map[string]string{"Authorization": "Bearer s3cret", "User-Agent": "Test/1.0", "X-Ignored": "x"}
	send(t, http.MethodGet, base+`/Users?filter=userName%20eq%20%22guid-42%22&startIndex=1`, "", h)
	a := send(t, http.MethodPost, base+"/Users", `{"userName":"a"}`, h)
	send(t, http.MethodPost, base+"/Users", `{"userName":"b"}`, h)
	host := strings.TrimPrefix(strings.TrimSuffix(base, "/scim/v2"), "http://")
	put := fmt.Sprintf(`{"id":%q,"meta":{"lastModified":"2026-12-02T15:04:05.123Z","version":"W/\"abc\"","location":"http://%s/scim/v2/Users/%s"}}`, a, host, a)
	send(t, http.MethodPut, base+"/Users/"+a, put, h)
	send(t, http.MethodGet, base+`/Users?filter=userName%20eq%20%22guid-7%22`, "", h)
	send(t, http.MethodGet, base+`/Users?filter=userName%20eq%20%22guid-42%22`, "", h)
	Check(t, "recorder", Row{ID: "X1", Title: "the recorder's own transcript", Source: "https://example.com/doc", Notes: []string{"a note"}}, rec.Transcript())
	if got := string(rec.Transcript()); strings.Contains(got, "s3cret") || strings.Contains(got, a) || strings.Contains(got, "X-Ignored") {
		t.Errorf("the transcript keeps a secret, an id or an unchosen header:\n%s", got)
	}
	rec.Reset()
	if got := rec.Transcript(); len(got) != 0 {
		t.Errorf("after Reset: %q", got)
	}
}

// recT records what Check reports.
type recT struct {
	testing.TB
	msgs []string
}

func (r *recT) Errorf(f string, a ...any) { r.msgs = append(r.msgs, fmt.Sprintf(f, a...)) }
func (r *recT) Fatalf(f string, a ...any) { r.msgs = append(r.msgs, fmt.Sprintf(f, a...)) }

func TestCheckNamesTheFirstDifference(t *testing.T) {
	if Updating() {
		t.Skip("-update rewrites instead of comparing")
	}
	rt := &recT{TB: t}
	row := Row{ID: "X1", Title: "the recorder's own transcript", Source: "https://example.com/doc", Notes: []string{"a note"}}
	Check(rt, "recorder", row, []byte("GET /Users\n"))
	if len(rt.msgs) != 1 || !strings.Contains(rt.msgs[0], "line 5") || !strings.Contains(rt.msgs[0], `"GET /Users"`) {
		t.Errorf("Check reported %q, want the first differing line (5)", rt.msgs)
	}
	rt.msgs = nil
	Check(rt, "no-such-file", row, nil)
	if len(rt.msgs) != 1 || !strings.Contains(rt.msgs[0], "-update") {
		t.Errorf("a missing golden: %q, want a hint to -update", rt.msgs)
	}
}
