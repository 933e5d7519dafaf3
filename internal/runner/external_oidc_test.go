package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/client/rp"
	httphelper "github.com/zitadel/oidc/v3/pkg/http"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/profile"
)

// zitadelRPApp is an OpenID Connect relying party we did not write:
// github.com/zitadel/oidc/v3's rp package wired up as its own example app
// does (state and PKCE verifier in secure cookies, the code exchange and ID
// token checks of rp.CodeExchangeHandler, then rp.UserinfoCallback, which
// checks the userinfo sub), plus a per-login nonce, which the library
// checks through WithNonce when the app supplies one. Like samlspApp it
// reads the provider's discovery document on the first request, because
// the harness's OP starts with the run.
type zitadelRPApp struct {
	base, issuer, clientID, secret string

	once    sync.Once
	rp      rp.RelyingParty
	cookies *httphelper.CookieHandler
	err     error

	sessions *cookieSessions
}

const (
	zitadelNonceCookie   = "nonce"
	zitadelSessionCookie = "session"
)

type nonceKey struct{}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (a *zitadelRPApp) relyingParty(ctx context.Context) (rp.RelyingParty, error) {
	a.once.Do(func() {
		a.cookies = httphelper.NewCookieHandler([]byte(randomHex(16)), []byte(randomHex(16)), httphelper.WithUnsecure())
		a.rp, a.err = rp.NewRelyingPartyOIDC(ctx, a.issuer, a.clientID, a.secret, a.base+"/callback",
			[]string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail},
			rp.WithCookieHandler(a.cookies), rp.WithPKCE(a.cookies), rp.WithHTTPClient(browser.LoopbackClient()),
			rp.WithSigningAlgsFromDiscovery(),
			rp.WithVerifierOpts(rp.WithIssuedAtOffset(5*time.Second),
				rp.WithNonce(func(ctx context.Context) string { n, _ := ctx.Value(nonceKey{}).(string); return n })))
	})
	return a.rp, a.err
}

func (a *zitadelRPApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	party, err := a.relyingParty(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch r.URL.Path {
	case "/login":
		nonce := randomHex(16)
		if err := a.cookies.SetCookie(w, zitadelNonceCookie, nonce); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rp.AuthURLHandler(func() string { return randomHex(16) }, party, rp.WithURLParam("nonce", nonce)).ServeHTTP(w, r)
	case "/callback":
		nonce, err := a.cookies.CheckCookie(r, zitadelNonceCookie)
		if err != nil {
			http.Error(w, "no nonce for this browser", http.StatusUnauthorized)
			return
		}
		a.cookies.DeleteCookie(w, zitadelNonceCookie)
		r = r.WithContext(context.WithValue(r.Context(), nonceKey{}, nonce))
		rp.CodeExchangeHandler(rp.UserinfoCallback(a.loggedIn), party).ServeHTTP(w, r)
	case "/whoami":
		w.Header().Set("Content-Type", "application/json")
		if name, ok := a.sessions.get(r); ok {
			_ = json.NewEncoder(w).Encode(map[string]string{"userName": name})
			return
		}
		http.Error(w, `{"error":"no session"}`, http.StatusUnauthorized)
	case "/logout":
		a.sessions.end(w, r)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// loggedIn runs once the library has accepted the ID token and userinfo:
// the app's session names the userinfo's preferred_username.
func (a *zitadelRPApp) loggedIn(w http.ResponseWriter, r *http.Request, _ *oidc.Tokens[*oidc.IDTokenClaims], _ string, _ rp.RelyingParty, info *oidc.UserInfo) {
	a.sessions.start(w, info.PreferredUsername)
	http.Redirect(w, r, "/whoami", http.StatusFound)
}

// TestOIDCAgainstZitadelRP runs the OIDC scenarios against zitadel/oidc's
// relying party, described by an OIDC-only profile (no scim section) as a
// vendor would write it; the scenarios that need SCIM skip.
func TestOIDCAgainstZitadelRP(t *testing.T) {
	opAddr := freeLoopbackAddr(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := &zitadelRPApp{base: "http://" + l.Addr().String(), issuer: "http://" + opAddr,
		clientID: "zitadel-rp", secret: randomHex(16), sessions: newCookieSessions(zitadelSessionCookie)}
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(l) }()
	t.Cleanup(func() { _ = hs.Close() })

	prof, err := profile.Complete(profile.Profile{
		Name: "zitadel/oidc rp",
		SSO: &profile.SSO{
			Users: profile.UsersJIT, // the app logs in whoever the IdP vouches for
			OIDC: &profile.OIDC{ClientID: app.clientID, ClientSecret: app.secret, RedirectURI: app.base + "/callback",
				LoginURL: app.base + "/login", OP: profile.IdPEndpoint{Listen: opAddr}},
			Session:   profile.Session{URL: app.base + "/whoami"},
			LogoutURL: app.base + "/logout",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// zitadel's rp checks everything the OIDC scenarios break: no findings.
	expectOutcomes(t, runExternal(t, prof, "@oidc", 10), nil)
}
