package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/idpconform/idpconform/internal/cassette"
	"github.com/idpconform/idpconform/internal/reference/target"
)

const benchToken = "replay-bench-token"

// recordCycles writes a cassette of n exchanges: users created, found by
// filter, deactivated by PATCH and deleted, four exchanges each, recorded
// at a reference target's handler.
func recordCycles(b *testing.B, n int) string {
	b.Helper()
	name := filepath.Join(b.TempDir(), "cycles.jsonl")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w, err := cassette.NewWriter(f, "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := target.New(target.Options{Token: benchToken, Wrap: func(h http.Handler) http.Handler { return cassette.Record(h, w, nil, nil) }})
	if err != nil {
		b.Fatal(err)
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		b.Fatal(err)
	}
	defer running.Close()
	client := &http.Client{}
	send := func(method, uri, body string) string {
		req, err := http.NewRequest(method, running.Base()+uri, bytes.NewBufferString(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		req.Header.Set("Content-Type", "application/scim+json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return string(out)
	}
	for i := 0; w.Len() < n; i++ {
		var u struct{ ID string }
		created := send("POST", "/scim/v2/Users", fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"user%d"}`, i))
		if err := decodeID(created, &u.ID); err != nil {
			b.Fatalf("create: %v: %s", err, created)
		}
		send("GET", fmt.Sprintf("/scim/v2/Users?filter=userName%%20eq%%20%%22user%d%%22", i), "")
		send("PATCH", "/scim/v2/Users/"+u.ID, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`)
		send("DELETE", "/scim/v2/Users/"+u.ID, "")
	}
	return name
}

func decodeID(body string, id *string) error {
	var v struct {
		ID string `json:"id"`
	}
	if err := jsonUnmarshal(body, &v); err != nil {
		return err
	}
	*id = v.ID
	return nil
}

// BenchmarkReplay10k replays a 10 000-exchange cassette against a fresh
// in-process reference target. The cassette is read as a stream; the
// heap after the replay says what it kept (the id map, one entry per
// resource created).
func BenchmarkReplay10k(b *testing.B) {
	const n = 10000
	name := recordCycles(b, n)
	b.ResetTimer()
	var heap uint64
	for range b.N {
		srv, err := target.New(target.Options{Token: benchToken})
		if err != nil {
			b.Fatal(err)
		}
		running, err := target.Listen("127.0.0.1:0", srv)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		r, err := cassette.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Run(context.Background(), r, Options{Base: running.Base(), Header: http.Header{"Authorization": {"Bearer " + benchToken}}})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Sent != n || res.Different != 0 || srv.Stats() != (target.Stats{}) {
			b.Fatalf("sent %d of %d, %d differ, target holds %+v", res.Sent, n, res.Different, srv.Stats())
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		_ = running.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
	b.ReportMetric(float64(heap)/(1<<20), "heap-after-MiB")
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
