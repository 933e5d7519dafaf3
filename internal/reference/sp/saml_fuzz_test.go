package sp_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
	"github.com/idpconform/idpconform/internal/reference/sp"
)

var update = flag.Bool("update", false, "regenerate the SAML fuzz seeds and the metadata they are signed under")

// The seeds are signed by a key generated with -update; its metadata is
// committed next to them. The SP's clock stands at the instant they were
// issued, so they stay valid; no network is used (the URLs are never dialled).
var fuzzNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	fuzzIdP      = "http://127.0.0.1:4001"
	fuzzSP       = "http://127.0.0.1:4002"
	fuzzMetadata = "testdata/fuzz_idp_metadata.xml"
	fuzzSeeds    = "testdata/fuzz/FuzzSAMLResponse"
)

// FuzzSAMLResponse posts any document as the SAMLResponse to the reference
// SP's ACS. Nothing panics or answers 500, nothing is fetched, and a
// session, if any, is for an identity the IdP signed: never the victim's.
func FuzzSAMLResponse(f *testing.F) {
	md, err := os.ReadFile(fuzzMetadata)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		who, err := postSAMLResponse(md, doc)
		if err != nil {
			t.Fatal(err)
		}
		if who != "" && who != attacker && who != victim+".evil.com" {
			t.Fatalf("logged in as %q, an identity the IdP never signed", who)
		}
	})
}

// postSAMLResponse posts doc to a fresh SP trusting md and returns whom it
// logged in ("" for nobody), or an error for a 500 or a fetch.
func postSAMLResponse(md, doc []byte) (string, error) {
	var fetched atomic.Bool
	dir := &sp.MemoryDirectory{}
	dir.Put(sp.User{UserName: victim, Email: victim, Active: true})
	s, err := sp.New(sp.Options{
		BaseURL: fuzzSP, IdPMetadata: md, JIT: true, AllowIdPInitiated: true, Directory: dir,
		Clock:      func() time.Time { return fuzzNow },
		HTTPClient: &http.Client{Transport: refuse{&fetched}},
	})
	if err != nil {
		return "", err
	}
	form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(doc)}}
	req := httptest.NewRequest(http.MethodPost, fuzzSP+sp.SAMLACSPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code >= 500 {
		return "", fmt.Errorf("ACS answered %d: %s", w.Code, w.Body)
	}
	if fetched.Load() {
		return "", errors.New("the SP fetched a URL named in the response")
	}
	probe := httptest.NewRequest(http.MethodGet, fuzzSP+sp.WhoAmIPath, nil)
	for _, c := range w.Result().Cookies() {
		probe.AddCookie(c)
	}
	w = httptest.NewRecorder()
	s.ServeHTTP(w, probe)
	if w.Code == http.StatusUnauthorized {
		return "", nil
	}
	var me sp.WhoAmI
	if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil || w.Code != http.StatusOK {
		return "", fmt.Errorf("whoami answered %d: %s", w.Code, w.Body)
	}
	return me.UserName, nil
}

// refuse is a transport that dials nothing and notes that it was asked.
type refuse struct{ asked *atomic.Bool }

func (r refuse) RoundTrip(*http.Request) (*http.Response, error) {
	r.asked.Store(true)
	return nil, errors.New("no network in fuzzing")
}

// TestSAMLFuzzSeeds keeps the seeds meaningful: each login_ seed logs in as
// the attacker's own identity, so fuzzing starts from accepted responses,
// and each attack_ seed is resisted as its attack expects. With -update it
// first writes them anew.
func TestSAMLFuzzSeeds(t *testing.T) {
	if *update {
		writeSAMLSeeds(t)
	}
	md, err := os.ReadFile(fuzzMetadata)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(fuzzSeeds)
	if err != nil {
		t.Fatal(err)
	}
	logins := 0
	for _, e := range entries {
		name := e.Name()
		doc := readSeed(t, filepath.Join(fuzzSeeds, name))
		who, err := postSAMLResponse(md, doc)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		switch id, isAttack := strings.CutPrefix(name, "attack_"); {
		case strings.HasPrefix(name, "login_"):
			logins++
			if who != attacker {
				t.Errorf("%s logs in as %q, want %q", name, who, attacker)
			}
		case isAttack:
			a, err := samlidp.AttackByID(id)
			if err != nil {
				t.Fatal(err)
			}
			if refused := a.Expect == samlidp.ExpectReject || a.Expect == samlidp.ExpectNoFetch; (refused && who != "") || who == victim {
				t.Errorf("%s (%s) logs in as %q", name, a.Description, who)
			}
		}
	}
	if logins == 0 {
		t.Errorf("no login_ seed in %s", fuzzSeeds)
	}
}

// writeSAMLSeeds issues, with a fresh IdP key, one response per IdP profile
// and one per single-post attack, all IdP-initiated, and writes them
// with the IdP's metadata.
func writeSAMLSeeds(t *testing.T) {
	idp, err := samlidp.New(samlidp.Options{BaseURL: fuzzIdP, Clock: func() time.Time { return fuzzNow },
		Victim: victim, CanaryURL: "http://127.0.0.1:9/xxe"})
	if err != nil {
		t.Fatal(err)
	}
	md, err := idp.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(fuzzSeeds); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(fuzzSeeds, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fuzzMetadata, md, 0o644); err != nil {
		t.Fatal(err)
	}
	user := samlidp.User{UserName: attacker, Email: attacker, GivenName: "Mal", FamilyName: "Ory", Groups: []string{"staff", "admins"}}
	req := samlidp.Request{SPEntityID: fuzzSP + sp.SAMLMetadataPath, ACSURL: fuzzSP + sp.SAMLACSPath}
	issue := func(name string, tamper samlidp.Tamper) {
		d, err := idp.Issue(user, req, tamper)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seed := "go test fuzz v1\n[]byte(" + strconv.Quote(string(d.XML)) + ")\n"
		if err := os.WriteFile(filepath.Join(fuzzSeeds, name), []byte(seed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range samlidp.ProfileNames() {
		p, err := samlidp.ProfileByName(name)
		if err != nil {
			t.Fatal(err)
		}
		idp.SetProfile(p)
		issue("login_"+name, nil)
	}
	idp.SetProfile(samlidp.Okta)
	issue("login_response_signed_only", samlidp.TamperFunc(func(stage samlidp.Stage, d *samlidp.Draft) error {
		if stage == samlidp.StageBeforeSign {
			d.SignAssertion, d.SignResponse = false, true
		}
		return nil
	}))
	for _, a := range samlidp.Attacks() {
		// A replay takes two posts; P-06 is a login here, where
		// IdP-initiated logins are allowed; R-01 is in the RelayState.
		if !a.Replay && a.ID != "P-06" && a.ID != "R-01" {
			issue("attack_"+a.ID, a)
		}
	}
}

// readSeed reads a corpus file holding one []byte.
func readSeed(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, lit, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")"))
	if err != nil {
		t.Fatalf("%s: not a corpus file of one []byte: %v", path, err)
	}
	return []byte(s)
}
