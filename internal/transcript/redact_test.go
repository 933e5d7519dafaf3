package transcript

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestRedactorHidesSecrets(t *testing.T) {
	r := NewRedactor("s3cr3t-token", "")
	h := http.Header{"Authorization": {"Bearer s3cr3t-token"}, "X-Echo": {"got s3cr3t-token"}}
	got := r.Header(h)
	if got["Authorization"][0] != "Bearer "+Redacted {
		t.Errorf("Authorization = %q, want the scheme kept and the value redacted", got["Authorization"][0])
	}
	if strings.Contains(got["X-Echo"][0], "s3cr3t") {
		t.Errorf("X-Echo still holds the secret: %q", got["X-Echo"][0])
	}
	body := r.Body([]byte(`{"userName":"ada","password":"hunter22","nested":[{"client_secret":"x"}]}`))
	for _, leak := range []string{"hunter22", `"x"`} {
		if strings.Contains(body, leak) {
			t.Errorf("body still holds %s: %s", leak, body)
		}
	}
	if !strings.Contains(body, `"userName":"ada"`) {
		t.Errorf("body lost ordinary data: %s", body)
	}
	if got := r.Body([]byte("not json s3cr3t-token")); strings.Contains(got, "s3cr3t") {
		t.Errorf("non-JSON body still holds the secret: %q", got)
	}
}

func TestLogClipsAndCaps(t *testing.T) {
	l := New(NewRedactor())
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	big := bytes.Repeat([]byte("a"), maxBody+10)
	for range maxExchanges + 5 {
		l.Add(req, big, nil, nil, 0, nil)
	}
	xs := l.Exchanges()
	if len(xs) != maxExchanges || l.Len() != maxExchanges+5 {
		t.Fatalf("kept %d of %d, want %d kept", len(xs), l.Len(), maxExchanges)
	}
	if len(xs[0].RequestBody) > maxBody+100 {
		t.Errorf("body not clipped: %d bytes", len(xs[0].RequestBody))
	}
}
