package samlidp_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crewjam/saml/samlsp"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/browser"
)

// serve starts h (built from its own base URL) on a loopback port.
func serve(t *testing.T, build func(base string) http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: build(base), ReadHeaderTimeout: 5 * time.Second}}
	srv.Start()
	t.Cleanup(srv.Close)
	return base
}

// TestCrewjamSamlspLogsIn drives a login into an SP we did not write:
// crewjam's samlsp middleware, via our IdP and our driver.
func TestCrewjamSamlspLogsIn(t *testing.T) {
	for _, p := range []samlidp.Profile{samlidp.Okta, samlidp.OneLogin} {
		t.Run(p.Name, func(t *testing.T) {
			var idp *samlidp.IdP
			idpURL := serve(t, func(base string) http.Handler {
				var err error
				if idp, err = samlidp.New(samlidp.Options{BaseURL: base, Profile: p}); err != nil {
					t.Fatal(err)
				}
				return idp
			})
			_ = idpURL
			md, err := idp.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			idpMeta, err := samlsp.ParseMetadata(md)
			if err != nil {
				t.Fatal(err)
			}
			kp, err := samlidp.NewKeyPair("", nil, time.Now(), "samlsp")
			if err != nil {
				t.Fatal(err)
			}
			var mw *samlsp.Middleware
			spURL := serve(t, func(base string) http.Handler {
				root, _ := url.Parse(base)
				mw, err = samlsp.New(samlsp.Options{URL: *root, Key: kp.Key, Certificate: kp.Cert, IDPMetadata: idpMeta})
				if err != nil {
					t.Fatal(err)
				}
				mux := http.NewServeMux()
				mux.Handle("/saml/", mw)
				mux.Handle("/hello", mw.RequireAccount(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					s := samlsp.SessionFromContext(r.Context())
					sa, _ := s.(samlsp.SessionWithAttributes)
					fmt.Fprintf(w, "hello %s", sa.GetAttributes().Get(p.Email))
				})))
				return mux
			})
			spMeta, err := xml.Marshal(mw.ServiceProvider.Metadata())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := idp.AddServiceProvider(spMeta); err != nil {
				t.Fatal(err)
			}
			idp.LoginAs(samlidp.User{UserName: "ada@example.com", Email: "ada@example.com", GivenName: "Ada"})

			b := browser.New()
			page, err := b.Get(context.Background(), spURL+"/hello")
			if err != nil {
				t.Fatal(err)
			}
			if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "hello ada@example.com") {
				t.Fatalf("samlsp login: status %d body %.300q after %d hops", page.Status, page.Body, len(page.Hops))
			}
			// samlsp publishes a KeyDescriptor use="encryption": the
			// assertion it decrypted was encrypted to it.
			if x := string(idp.Last().XML); !strings.Contains(x, "EncryptedAssertion") || strings.Contains(x, "<saml:Assertion") {
				t.Errorf("the response to samlsp is not encrypted: %.300s", x)
			}
		})
	}
}
