package samlidp

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/crewjam/saml"
)

// Form is an HTTP-POST binding message: what the auto-submitting page posts.
type Form struct {
	URL          string
	SAMLResponse string
	RelayState   string
}

var formPage = template.Must(template.New("post").Parse(`<!DOCTYPE html>
<html><body onload="document.forms[0].submit()">
<form method="post" action="{{.URL}}">
<input type="hidden" name="SAMLResponse" value="{{.SAMLResponse}}">
{{if .RelayState}}<input type="hidden" name="RelayState" value="{{.RelayState}}">{{end}}
<noscript><input type="submit" value="Continue"></noscript>
</form></body></html>
`))

// WriteForm writes f as an auto-submitting HTML page.
func WriteForm(w http.ResponseWriter, f Form) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = formPage.Execute(w, f)
}

// serveSSO answers an SP-initiated AuthnRequest (HTTP-Redirect or POST
// binding) with a response posted to the requested ACS.
func (idp *IdP) serveSSO(w http.ResponseWriter, r *http.Request) {
	ar, err := saml.NewIdpAuthnRequest(idp.crewjam(), r)
	if err != nil {
		http.Error(w, fmt.Sprintf("samlidp: sso: %v", err), http.StatusBadRequest)
		return
	}
	ar.Now = idp.opts.Clock()
	if err := ar.Validate(); err != nil {
		http.Error(w, fmt.Sprintf("samlidp: sso: validate request: %v", err), http.StatusBadRequest)
		return
	}
	if ar.ACSEndpoint.Binding != saml.HTTPPostBinding {
		http.Error(w, "samlidp: sso: only the HTTP-POST ACS binding is supported", http.StatusBadRequest)
		return
	}
	idp.respond(w, r, Request{
		SPEntityID: ar.ServiceProviderMetadata.EntityID, ACSURL: ar.ACSEndpoint.Location,
		RequestID: ar.Request.ID, RelayState: ar.RelayState,
	})
}

// serveIdPInitiated sends an unsolicited response to ?sp=<entityID> with
// ?relay= as RelayState.
func (idp *IdP) serveIdPInitiated(w http.ResponseWriter, r *http.Request) {
	t, ok := idp.serviceProvider(r.URL.Query().Get("sp"))
	if !ok {
		http.Error(w, "samlidp: idp-initiated: unknown sp", http.StatusNotFound)
		return
	}
	ed := t.ed
	acs, err := postACS(ed)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	idp.respond(w, r, Request{SPEntityID: ed.EntityID, ACSURL: acs, RelayState: r.URL.Query().Get("relay")})
}

// respond answers req in the session the browser's request r names.
func (idp *IdP) respond(w http.ResponseWriter, r *http.Request, req Request) {
	user, t, v, err := idp.sessionOf(r).takeTurn()
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	d, err := idp.issue(v, user, req, t)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	WriteForm(w, d.Form())
}
