package idps

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
)

const (
	testSP       = "https://sp.example/metadata"
	testACS      = "http://127.0.0.1:1/acs"
	testClient   = "rp"
	testSecret   = "rp-secret"
	testRedirect = "http://127.0.0.1:1/callback"
	testVerifier = "a-pkce-code-verifier-long-enough-for-rfc-7636-section-4-1"
)

// TestSessionsDoNotMix signs four sessions of the same IdPs in as four
// people and arms each differently, all before any of them logs in (a
// barrier), then logs all four in at once, SAML and OIDC: each login
// carries its own session's person and armed change, nobody else's, and
// each session counts only its own canary fetches. In process and through
// the control API, as container mode drives the IdPs.
func TestSessionsDoNotMix(t *testing.T) {
	ip, err := Start(Options{SAML: true, OIDC: true, Control: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ip.Close()
	ctx := context.Background()
	sp := SP{SAML: &SAMLSP{EntityID: testSP, ACSURL: testACS},
		OIDC: &OIDCClient{ID: testClient, Secret: testSecret, RedirectURI: testRedirect}}
	if _, err := ip.Trust(ctx, sp); err != nil {
		t.Fatal(err)
	}
	for name, ctl := range map[string]Control{"in process": ip, "control API": Dial(ip.SAMLURL(), ip.OIDCURL())} {
		t.Run(name, func(t *testing.T) {
			const n = 4
			var ready, done sync.WaitGroup
			ready.Add(n)
			errs := make([]error, n)
			sessions := make([]Session, n)
			for i := range n {
				done.Add(1)
				go func() {
					defer done.Done()
					errs[i] = loginAfterTheOthersArmed(ctx, ctl, ip, i, &ready, &sessions[i])
				}()
			}
			done.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("session %d: %v", i, err)
				}
			}
			for i, s := range sessions {
				if s == nil {
					continue
				}
				// Odd sessions sent the XXE attack and their SP fetched
				// the canary once; the even ones never did.
				if hits, err := s.CanaryHits(ctx); err != nil || hits != i%2 {
					t.Errorf("session %d: canary hits %d (%v), want %d", i, hits, err, i%2)
				}
				if err := s.End(ctx); err != nil {
					t.Errorf("session %d: end: %v", i, err)
				}
			}
		})
	}
}

// loginAfterTheOthersArmed starts session i, signs it in as user-i and
// arms it: even sessions a SessionNotOnOrAfter i+1 hours on and an ID token
// for another audience, odd ones the XXE attack (PD-06) and a sound ID
// token. It waits at ready until every session has done so, then logs in.
func loginAfterTheOthersArmed(ctx context.Context, ctl Control, ip *IdPs, i int, ready *sync.WaitGroup, out *Session) error {
	armed := false
	defer func() {
		if !armed {
			ready.Done() // never leave the others waiting
		}
	}()
	s, err := ctl.Session(ctx, "victim@example.com")
	if err != nil {
		return err
	}
	*out = s
	user := fmt.Sprintf("user-%d@example.com", i)
	if err := s.LoginAs(ctx, samlidp.User{UserName: user, Email: user}); err != nil {
		return err
	}
	ends := time.Duration(i+1) * time.Hour
	if i%2 == 0 {
		err = s.ArmTiming(ctx, samlidp.Timing{SessionEndsIn: ends})
		if err == nil {
			err = s.ArmBreakage(ctx, "rp-id_token-aud")
		}
	} else {
		err = s.ArmAttack(ctx, "PD-06", false)
	}
	if err != nil {
		return err
	}
	armed = true
	ready.Done()
	ready.Wait()

	b := browser.New()
	b.AutoSubmit = false
	b.Prepare = s.Identify
	xml, err := samlResponse(ctx, b, s.IdPInitiatedURL(testSP, ""))
	if err != nil {
		return err
	}
	if got := nameID(xml); got != user {
		return fmt.Errorf("the SAML response asserts %q, want %q", got, user)
	}
	canary := regexp.MustCompile(`<!ENTITY % xxe SYSTEM "([^"]+)">`).FindStringSubmatch(xml)
	if i%2 == 0 {
		if canary != nil {
			return fmt.Errorf("another session's XXE attack reached this one: %.200s", xml)
		}
		if got, err := sessionLength(xml); err != nil || got != ends {
			return fmt.Errorf("the session ends %s after the login, want %s: %w", got, ends, err)
		}
	} else {
		if canary == nil {
			return fmt.Errorf("the armed XXE attack is missing: %.200s", xml)
		}
		if strings.Contains(xml, "SessionNotOnOrAfter") {
			return fmt.Errorf("another session's timing reached this one")
		}
		// Fetch the canary as a DTD-processing SP would.
		resp, err := browser.LoopbackClient().Get(canary[1])
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	claims, err := idToken(ctx, b, ip.OIDCURL())
	if err != nil {
		return err
	}
	wantAud := testClient
	if i%2 == 0 {
		wantAud = "some-other-client"
	}
	if claims["preferred_username"] != user || claims["aud"] != wantAud {
		return fmt.Errorf("the ID token names %v for %v, want %s for %s", claims["preferred_username"], claims["aud"], user, wantAud)
	}
	return nil
}

// samlResponse starts an IdP-initiated login and decodes the response the
// IdP's form would post.
func samlResponse(ctx context.Context, b *browser.Browser, start string) (string, error) {
	page, err := b.Get(ctx, start)
	if err != nil {
		return "", err
	}
	forms, err := browser.ParseForms(page.URL, page.Body)
	if err != nil || len(forms) != 1 {
		return "", fmt.Errorf("no SAML form: %d %s: %w", page.Status, page.Body, err)
	}
	raw, err := base64.StdEncoding.DecodeString(forms[0].Values.Get("SAMLResponse"))
	return string(raw), err
}

func nameID(xml string) string {
	doc := etree.NewDocument()
	start := strings.Index(xml, "<samlp:Response")
	if start < 0 {
		return "no samlp:Response"
	}
	if err := doc.ReadFromString(xml[start:]); err != nil {
		return err.Error()
	}
	if el := doc.FindElement("//NameID"); el != nil {
		return el.Text()
	}
	return ""
}

// sessionLength is SessionNotOnOrAfter less AuthnInstant.
func sessionLength(xml string) (time.Duration, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return 0, err
	}
	el := doc.FindElement("//AuthnStatement")
	if el == nil {
		return 0, fmt.Errorf("no AuthnStatement")
	}
	at, err1 := time.Parse(time.RFC3339, el.SelectAttrValue("AuthnInstant", ""))
	end, err2 := time.Parse(time.RFC3339, el.SelectAttrValue("SessionNotOnOrAfter", ""))
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("instants: %w", errors.Join(err1, err2))
	}
	return end.Sub(at), nil
}

// idToken runs the authorization-code flow with PKCE as a relying party
// would and returns the ID token's claims, unverified.
func idToken(ctx context.Context, b *browser.Browser, issuer string) (map[string]any, error) {
	sum := sha256.Sum256([]byte(testVerifier))
	q := url.Values{"client_id": {testClient}, "redirect_uri": {testRedirect}, "response_type": {"code"}, "scope": {"openid"},
		"state": {"s"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	page, err := b.Fetch(ctx, issuer+"/authorize?"+q.Encode())
	if err != nil {
		return nil, err
	}
	loc, err := url.Parse(page.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		return nil, fmt.Errorf("no code: %d %s %s", page.Status, page.Header.Get("Location"), page.Body)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {testRedirect},
		"client_id": {testClient}, "client_secret": {testSecret}, "code_verifier": {testVerifier}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, issuer+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := browser.LoopbackClient().Do(req) // the back channel: no session header
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var tok struct {
		IDToken string `json:"id_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		return nil, err
	}
	parts := strings.Split(tok.IDToken, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("token answered %d without an ID token", resp.StatusCode)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	return claims, json.Unmarshal(payload, &claims)
}

// TestIdentifyNamesTheSessionToTheIdPsOnly: the session header goes to the
// IdPs, under any loopback name of their port, and nowhere else.
func TestIdentifyNamesTheSessionToTheIdPsOnly(t *testing.T) {
	s := remote{c: Dial("http://127.0.0.1:7001", "http://127.0.0.1:7002"), id: "s1"}
	for raw, want := range map[string]string{
		"http://127.0.0.1:7001/saml/sso": "s1", "http://localhost:7002/authorize": "s1",
		"http://127.0.0.1:8080/sso/acs": "", "https://127.0.0.1:7001/saml/sso": "",
	} {
		req, err := http.NewRequest(http.MethodGet, raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Identify(req)
		if got := req.Header.Get(SessionHeader); got != want {
			t.Errorf("%s: session %q, want %q", raw, got, want)
		}
	}
}
