// Package browser is a browser-less SSO driver: a cookie jar that follows
// redirects as a browser would, auto-submits SAML POST-binding forms, and
// never leaves loopback.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// DefaultMaxHops bounds redirects plus auto-submitted forms per navigation.
const DefaultMaxHops = 20

// maxBody bounds each response body the browser reads.
const maxBody = 4 << 20

// Hop is one request the browser made.
type Hop struct {
	Method   string
	URL      string
	Status   int
	Location string // for redirects
	Form     url.Values
}

// Page is where a navigation ended.
type Page struct {
	URL    *url.URL
	Status int
	Header http.Header
	Body   []byte
	Hops   []Hop // every request of the navigation, in order
}

// Browser drives logins. It is not safe for concurrent use: like a real
// browser tab, one navigation at a time.
type Browser struct {
	// MaxHops bounds one navigation (redirects plus auto-submitted forms).
	MaxHops int
	// AutoSubmit submits SAML POST-binding forms, as their onload script
	// would. On by default.
	AutoSubmit bool
	// LastForm is the last SAML form auto-submitted, for replays.
	LastForm *Form
	// Observe, if set, sees every request and its answer (resp is nil and
	// err says why when there was none), e.g. to keep a transcript.
	Observe func(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, took time.Duration, err error)

	jar    http.CookieJar
	client *http.Client
}

// New returns a browser with an empty cookie jar.
func New() *Browser {
	b := &Browser{MaxHops: DefaultMaxHops, AutoSubmit: true}
	b.Reset()
	return b
}

// Reset empties the cookie jar: a fresh browser profile.
func (b *Browser) Reset() {
	jar, _ := cookiejar.New(nil) // never fails without options
	b.jar = jar
	b.client = &http.Client{
		Transport: loopback,
		Jar:       jar,
		// Redirects are followed by Browser itself, to check and count them.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Jar returns the cookie jar.
func (b *Browser) Jar() http.CookieJar { return b.jar }

// Get navigates to rawURL.
func (b *Browser) Get(ctx context.Context, rawURL string) (*Page, error) {
	return b.navigate(ctx, http.MethodGet, rawURL, nil)
}

// PostForm submits values to rawURL as a browser submits a form.
func (b *Browser) PostForm(ctx context.Context, rawURL string, values url.Values) (*Page, error) {
	return b.navigate(ctx, http.MethodPost, rawURL, values)
}

// Fetch makes one request with the browser's cookies and follows nothing:
// a session probe must not start a login of its own.
func (b *Browser) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	return b.do(ctx, http.MethodGet, u, nil)
}

// ErrTooManyHops is returned when a navigation exceeds MaxHops.
var ErrTooManyHops = errors.New("browser: too many hops")

// ErrLoginLoop is returned, before it is delivered, when a navigation is
// about to deliver a second login response (a SAML response, or an OIDC
// authorization code): the target started single sign-on again after a
// login. A real browser would loop, and each later login could overwrite
// the session the first one opened.
var ErrLoginLoop = errors.New("browser: the login started again after a login response was delivered (a redirect loop)")

// deliversLogin says whether a request hands the target a login response.
func deliversLogin(method string, u *url.URL, form url.Values) bool {
	if method == http.MethodPost && form.Has("SAMLResponse") {
		return true
	}
	q := u.Query()
	return q.Has("code") && q.Has("state")
}

func (b *Browser) navigate(ctx context.Context, method, rawURL string, form url.Values) (*Page, error) {
	var hops []Hop
	logins := 0
	for range b.MaxHops {
		u, err := CheckURL(rawURL)
		if err != nil {
			return &Page{Hops: hops}, err
		}
		if deliversLogin(method, u, form) {
			if logins++; logins > 1 {
				// The path only: a query may carry a code or a SAML message.
				return &Page{Hops: hops}, fmt.Errorf("%w, at %s %s://%s%s", ErrLoginLoop, method, u.Scheme, u.Host, u.Path)
			}
		}
		page, err := b.do(ctx, method, u, form)
		if err != nil {
			return &Page{Hops: hops}, err
		}
		hop := Hop{Method: method, URL: u.String(), Status: page.Status, Form: form}
		if page.Status >= 300 && page.Status < 400 && page.Header.Get("Location") != "" {
			next, err := u.Parse(page.Header.Get("Location"))
			if err != nil {
				return page, fmt.Errorf("browser: bad Location %q: %w", page.Header.Get("Location"), err)
			}
			hop.Location = next.String()
			hops = append(hops, hop)
			rawURL = next.String()
			// 307 and 308 keep method and body; the others become a GET.
			if page.Status != http.StatusTemporaryRedirect && page.Status != http.StatusPermanentRedirect {
				method, form = http.MethodGet, nil
			}
			continue
		}
		hops = append(hops, hop)
		page.Hops = hops
		if !b.AutoSubmit || !strings.Contains(page.Header.Get("Content-Type"), "html") {
			return page, nil
		}
		forms, err := ParseForms(u, page.Body)
		if err != nil {
			return page, err
		}
		f, ok := bindingForm(forms)
		if !ok {
			return page, nil
		}
		b.LastForm = &f
		method, rawURL, form = http.MethodPost, f.Action, f.Values
	}
	return &Page{Hops: hops}, fmt.Errorf("%w (%d) navigating to %s", ErrTooManyHops, b.MaxHops, rawURL)
}

func (b *Browser) observe(req *http.Request, sent []byte, resp *http.Response, data []byte, start time.Time, err error) {
	if b.Observe != nil {
		b.Observe(req, sent, resp, data, time.Since(start), err)
	}
}

func (b *Browser) do(ctx context.Context, method string, u *url.URL, form url.Values) (*Page, error) {
	var body io.Reader
	var sent []byte
	if form != nil {
		sent = []byte(form.Encode())
		body = bytes.NewReader(sent)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("browser: new request: %w", err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/json;q=0.9,*/*;q=0.8")
	start := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		b.observe(req, sent, nil, nil, start, err)
		return nil, fmt.Errorf("browser: %s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	b.observe(req, sent, resp, data, start, err)
	if err != nil {
		return nil, fmt.Errorf("browser: read %s: %w", u, err)
	}
	return &Page{URL: u, Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}
