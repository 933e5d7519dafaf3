package sp_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/idpconform/idpconform/fakes/oidc"
	"github.com/idpconform/idpconform/internal/browser"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

// oidcLetThrough maps each breakage to the fault that accepts it.
var oidcLetThrough = map[string]string{
	"rp-id_token-bad-sig-rs256":    sp.SkipsIDTokenSignature,
	"rp-id_token-sig-none":         sp.AcceptsAlgNone,
	"rp-id_token-hs256-public-key": sp.AcceptsHS256PublicKey,
	"rp-id_token-issuer-mismatch":  sp.SkipsIDTokenIssuer,
	"rp-id_token-aud":              sp.SkipsIDTokenAudience,
	"rp-id_token-expired":          sp.SkipsIDTokenExpiry,
	"rp-nonce-invalid":             sp.SkipsNonce,
	"rp-id_token-unknown-kid":      sp.IgnoresKid,
	"rp-userinfo-bad-sub-claim":    sp.SkipsUserinfoSub,
	"rp-id_token-exp-just-past":    sp.WideIDTokenLeeway,
	"rp-id_token-iat":              sp.SkipsIDTokenIat,
	"rp-id_token-iat-future":       sp.AcceptsFutureIat,
	"rp-id_token-sub":              sp.SkipsIDTokenSub,
	"rp-id_token-extra-aud":        sp.AcceptsExtraAudiences,
}

type oidcEnv struct {
	op      *oidc.Provider
	dir     *sp.MemoryDirectory
	spURL   string
	browser *browser.Browser
}

func newOIDCEnv(t *testing.T, faults ...string) *oidcEnv {
	t.Helper()
	e := &oidcEnv{dir: &sp.MemoryDirectory{}, browser: browser.New()}
	opURL := serve(t, func(base string) http.Handler {
		var err error
		if e.op, err = oidc.New(oidc.Options{Issuer: base, Victim: victim}); err != nil {
			t.Fatal(err)
		}
		return e.op
	})
	var rp *sp.SP
	e.spURL = serve(t, func(base string) http.Handler {
		var err error
		rp, err = sp.New(sp.Options{BaseURL: base, JIT: true, Directory: e.dir, Faults: faults,
			OIDC: sp.OIDCOptions{Issuer: opURL, ClientID: "app", ClientSecret: "s3cret"}})
		if err != nil {
			t.Fatal(err)
		}
		return rp
	})
	e.op.AddClient(oidc.Client{ID: "app", Secret: "s3cret", RedirectURIs: []string{rp.RedirectURI()}})
	e.dir.Put(sp.User{UserName: victim, Email: victim, GivenName: "Vic", Active: true})
	e.op.LoginAs(oidc.User{Subject: "sub-mallory", UserName: attacker, Email: attacker, GivenName: "Mal", Groups: []string{"staff"}})
	return e
}

func (e *oidcEnv) login(t *testing.T) string {
	t.Helper()
	if _, err := e.browser.Get(context.Background(), e.spURL+sp.OIDCLoginPath); err != nil {
		t.Fatal(err)
	}
	return whoami(t, e.browser, e.spURL)
}

func TestOIDCCodeFlowWithPKCE(t *testing.T) {
	e := newOIDCEnv(t)
	if got := e.login(t); got != attacker {
		t.Fatalf("logged in as %q", got)
	}
	u, err := e.dir.FindUser(context.Background(), attacker)
	if err != nil || u.GivenName != "Mal" || len(u.Groups) != 1 {
		t.Fatalf("jit user %+v %v", u, err)
	}
}

func TestOIDCBreakages(t *testing.T) {
	for _, b := range oidc.Breakages() {
		t.Run(b.ID, func(t *testing.T) {
			fault, ok := oidcLetThrough[b.ID]
			if !ok {
				t.Fatalf("no fault accepts %s", b.ID)
			}
			t.Run("clean RP rejects", func(t *testing.T) {
				e := newOIDCEnv(t)
				before := snapshot(e.dir)
				e.op.Arm(b)
				if got := e.login(t); got != "" {
					t.Fatalf("logged in as %q", got)
				}
				if after := snapshot(e.dir); after != before {
					t.Fatalf("directory changed:\n%s\n%s", before, after)
				}
			})
			t.Run("faulted RP accepts", func(t *testing.T) {
				e := newOIDCEnv(t, fault)
				e.op.Arm(b)
				want := attacker
				if b.ID == "rp-userinfo-bad-sub-claim" {
					want = victim
				}
				if got := e.login(t); got != want {
					t.Fatalf("logged in as %q, want %q", got, want)
				}
			})
		})
	}
}
