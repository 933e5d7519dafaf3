package browser

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// NotLoopbackError is returned for a URL whose host is not on loopback. The
// harness sends traffic only to 127.0.0.0/8, ::1 and localhost, so an SP
// that redirects elsewhere shows up as this error rather than a request.
type NotLoopbackError struct {
	URL string
}

// Error implements error.
func (e *NotLoopbackError) Error() string {
	return fmt.Sprintf("browser: refused non-loopback URL %q", e.URL)
}

// IsLoopback reports whether host (without port) is localhost or a loopback
// IP. Names other than localhost are refused without resolving them, so no
// DNS query leaves the machine either.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckURL returns a *NotLoopbackError unless raw is an http(s) URL on
// loopback.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("browser: parse url %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || !IsLoopback(u.Hostname()) {
		return nil, &NotLoopbackError{URL: raw}
	}
	return u, nil
}

// loopback is the transport every browser and loopback client shares:
// cookies live in each browser's jar, not in connections, and a transport
// per browser left each SSO scenario's connections open to the end.
var loopback = LoopbackTransport()

// LoopbackTransport is an http.Transport that dials loopback addresses only:
// a second fence behind CheckURL, for clients that follow their own URLs.
func LoopbackTransport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		Proxy: nil, // a proxy would be a non-loopback hop
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, fmt.Errorf("browser: dial %s: %w", addr, err)
			}
			if !IsLoopback(host) {
				return nil, &NotLoopbackError{URL: addr}
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        32,
		MaxIdleConnsPerHost: 8, // a run's concurrent scenarios
		IdleConnTimeout:     30 * time.Second,
	}
}

// LoopbackClient is an http.Client over LoopbackTransport that does not
// follow redirects off loopback either.
func LoopbackClient() *http.Client {
	return &http.Client{
		Transport: loopback,
		Timeout:   10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return fmt.Errorf("browser: stopped after 10 redirects")
			}
			_, err := CheckURL(req.URL.String())
			return err
		},
	}
}

// Fetch GETs a document (metadata, a discovery document) from loopback:
// 200 and at most 1 MiB, within 10 seconds.
func Fetch(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := LoopbackClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return b, nil
}
