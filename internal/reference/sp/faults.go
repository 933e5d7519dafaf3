package sp

import (
	"fmt"
	"sort"
)

// Fault is a named way in which the SP skips exactly one check. The tests
// prove each one lets its matching attack through.
type Fault struct {
	Name        string   // kebab-case, says what is broken
	Clauses     []string // catalogue ids (shared/sso-negative.md) and spec tags it breaks
	Description string   // one line
}

// Fault names, used where the code bends.
const (
	AcceptsUnsigned        = "accepts-unsigned"
	SkipsSignatureVerify   = "skips-signature-verification"
	TrustsKeyInfoCert      = "trusts-keyinfo-cert"
	FindsSignedElementByID = "finds-signed-element-by-id"
	TakesFirstAssertion    = "takes-first-assertion"
	TakesLastAssertion     = "takes-last-assertion"
	ReadsFirstTextNode     = "reads-first-text-node"
	ProcessesDTD           = "processes-dtd"
	SkipsDestination       = "skips-destination"
	SkipsRecipient         = "skips-recipient"
	SkipsInResponseTo      = "skips-inresponseto"
	SkipsAudience          = "skips-audience"
	SkipsTimeConditions    = "skips-time-conditions"
	NoReplayCache          = "no-replay-cache"
	SkipsIssuer            = "skips-issuer"
	FollowsAnyRelayState   = "follows-any-relaystate"
	JITReactivates         = "jit-reactivates"
	JITAppendsGroups       = "jit-appends-groups"
	SkipsIDTokenSignature  = "skips-id-token-signature"
	AcceptsAlgNone         = "accepts-alg-none"
	AcceptsHS256PublicKey  = "accepts-hs256-public-key"
	SkipsIDTokenIssuer     = "skips-id-token-iss"
	SkipsIDTokenAudience   = "skips-id-token-aud"
	SkipsIDTokenExpiry     = "skips-id-token-exp"
	SkipsNonce             = "skips-nonce"
	IgnoresKid             = "ignores-kid"
	SkipsUserinfoSub       = "skips-userinfo-sub"
	// Issue 19 §4: checks real SPs get subtly wrong.
	AcceptsAnyAudienceRestriction = "accepts-any-audience-restriction"
	IgnoresSessionNotOnOrAfter    = "ignores-session-not-on-or-after"
	WideClockSkew                 = "wide-clock-skew"
	NoClockSkew                   = "no-clock-skew"
	ReplayCacheUnsolicitedOnly    = "replay-cache-idp-initiated-only"
	ChecksConditionsExpiryOnly    = "checks-conditions-expiry-only"
	ChecksBearerExpiryOnly        = "checks-bearer-expiry-only"
	WideIDTokenLeeway             = "wide-id-token-leeway"
	SkipsIDTokenIat               = "skips-id-token-iat"
	AcceptsFutureIat              = "accepts-future-iat"
	SkipsIDTokenSub               = "skips-id-token-sub"
	AcceptsExtraAudiences         = "accepts-extra-audiences"
	// SessionsSurviveDeactivation: sessions outlive the user's deactivation.
	SessionsSurviveDeactivation = "sessions-survive-deactivation"
	// Faults that break good logins rather than let attacks in.
	RequiresSignedResponse = "requires-signed-response"
	FailsWhenBothSigned    = "fails-when-both-signed"
	RejectsIdPInitiated    = "rejects-idp-initiated"
	IgnoresRelayState      = "ignores-relaystate"
	LogoutKeepsSession     = "logout-keeps-session"
	SessionsByAddress      = "sessions-by-client-address"
	OmitsPKCE              = "omits-pkce"
	IgnoresClaimURIs       = "ignores-claim-uris"
	ReadsFirst50Groups     = "reads-first-50-groups"
	JITDropsAttributes     = "jit-drops-attributes"
	JITSkipsUpdates        = "jit-skips-updates"
	JITIgnoresSetting      = "jit-ignores-setting"
	// SignsWithUnpublishedKey applies to an SP that signs its AuthnRequests
	// (SAMLPolicy.SignAuthnRequests) only.
	SignsWithUnpublishedKey = "signs-with-unpublished-key"
	// RefusesEveryLogin: no login works, good or bad; every negative check
	// must then say "could not check" (steps/sso_twin.go).
	RefusesEveryLogin = "refuses-every-login"
)

var faults = []Fault{
	{AcceptsUnsigned, []string{"SIG-01", "SIG-02", "saml-prof-4.1.4.5"}, "a response with no signature on response or assertion is accepted"},
	{SkipsSignatureVerify, []string{"SIG-03", "saml-core-5.4"}, "a signature is required to be present but is not verified"},
	{TrustsKeyInfoCert, []string{"SIG-04", "saml-core-5.4"}, "signatures are verified with the certificate in KeyInfo instead of the metadata certificate"},
	{FindsSignedElementByID, []string{"SIG-08", "XSW1", "XSW2", "XSW5", "XSW6", "XSW8"}, "the signed element is looked up by its Reference ID anywhere in the document, not required to be the element holding the signature"},
	{TakesFirstAssertion, []string{"XSW3", "XSW4", "XSW7", "saml-core-5.4"}, "any signed assertion makes the response trusted, and the first assertion in document order is read"},
	{TakesLastAssertion, []string{"XSW-M", "saml-core-5.4"}, "any signed assertion makes the response trusted, and the last assertion is read (CVE-2022-41912)"},
	{ReadsFirstTextNode, []string{"PD-01", "saml-core-5.4"}, "NameID is read up to the first comment (only its first text node)"},
	{ProcessesDTD, []string{"PD-06"}, "a DOCTYPE is processed and its external entities fetched"},
	{SkipsDestination, []string{"P-01", "saml-bind-3.5.5.2"}, "the response Destination is not compared with the ACS URL"},
	{SkipsRecipient, []string{"P-03", "saml-prof-4.1.4.3"}, "SubjectConfirmationData Recipient is not compared with the ACS URL"},
	{SkipsInResponseTo, []string{"P-04", "P-06", "saml-prof-4.1.4.3"}, "InResponseTo is not matched with an outstanding request, and unsolicited responses are taken"},
	{SkipsAudience, []string{"P-07", "P-08", "P-09", "saml-prof-4.1.4.2", "saml-core-2.5.1.4"}, "AudienceRestriction is not required to name the SP"},
	{SkipsTimeConditions, []string{"P-10", "P-11", "saml-core-2.5.1.2"}, "NotBefore and NotOnOrAfter are ignored"},
	{NoReplayCache, []string{"P-16", "saml-prof-4.1.4.5"}, "assertion IDs are not remembered, so a response can be replayed"},
	{SkipsIssuer, []string{"P-18", "saml-prof-4.1.4.2"}, "the Issuer is not compared with the IdP's entityID"},
	{FollowsAnyRelayState, []string{"R-01"}, "after login the SP redirects to whatever RelayState says"},
	{JITReactivates, []string{"J-08"}, "a login by a deactivated user reactivates them"},
	{JITAppendsGroups, []string{"J-03"}, "groups from a login are added to the user's groups instead of replacing them"},
	{SessionsSurviveDeactivation, []string{"J-08"}, "a live session keeps working after the user is deactivated"},
	{RequiresSignedResponse, []string{"saml-prof-4.1.3", "saml-prof-4.1.5"}, "a response whose assertion alone is signed (the Okta, Entra ID and Google default) is refused"},
	{FailsWhenBothSigned, []string{"onelogin", "saml-prof-4.1.3", "saml-prof-4.1.5"}, "a response with both the response and the assertion signed (OneLogin) is refused"},
	{RejectsIdPInitiated, []string{"saml-prof-4.1.5", "saml-bind-3.5.3", "P-16"}, "unsolicited (IdP-initiated) responses are refused although the SP claims to take them"},
	{IgnoresRelayState, []string{"saml-bind-3.5.3"}, "RelayState is ignored: every login lands on the default page"},
	{LogoutKeepsSession, []string{"hub-logout"}, "the logout URL answers but ends nothing"},
	{SessionsByAddress, []string{"saml-prof-4.1.3"}, "a browser without a session cookie gets the last session opened from its address"},
	{OmitsPKCE, []string{"rfc7636-4", "oidc-core-3.1.3.7"}, "the authorization request carries no PKCE code_challenge"},
	{IgnoresClaimURIs, []string{"entra", "saml-core-2.7.3"}, "only short attribute names are mapped, not Entra ID's claim URIs"},
	{ReadsFirst50Groups, []string{"J-06"}, "only the first 50 groups of a login are read"},
	{JITDropsAttributes, []string{"J-01", "saml-core-2.7.3", "oidc-core-5.1", "J-02"}, "JIT creates users with the userName only, dropping names and email"},
	{JITSkipsUpdates, []string{"J-02"}, "later logins do not update the user's attributes"},
	{JITIgnoresSetting, []string{"J-01"}, "users are created at login although JIT is off"},
	{SignsWithUnpublishedKey, []string{"saml-bind-3.4.4.1", "saml-meta-2.4.1.1"}, "AuthnRequests are signed with a key the SP's metadata does not publish (a rotated key never republished), so the IdP refuses them"},
	{RefusesEveryLogin, []string{"saml-prof-4.1.3", "saml-prof-4.1.5", "oidc-core-3.1.3.7"}, "every login is refused, good or bad, after its checks pass"},
	{SkipsIDTokenSignature, []string{"rp-id_token-bad-sig-rs256", "rp-id_token-unknown-kid", "oidc-core-3.1.3.7"}, "the ID token signature is not verified"},
	{AcceptsAlgNone, []string{"rp-id_token-sig-none", "oidc-core-3.1.3.7"}, `an ID token with alg "none" is accepted`},
	{AcceptsHS256PublicKey, []string{"rp-id_token-hs256-public-key"}, "HS256 ID tokens are verified with the OP's RSA public key as the HMAC secret"},
	{SkipsIDTokenIssuer, []string{"rp-id_token-issuer-mismatch", "oidc-core-3.1.3.7"}, "iss is not compared with the issuer"},
	{SkipsIDTokenAudience, []string{"rp-id_token-aud", "oidc-core-3.1.3.7"}, "aud is not required to contain the client_id"},
	{SkipsIDTokenExpiry, []string{"rp-id_token-expired", "rp-id_token-exp-just-past", "oidc-core-3.1.3.7", "oidc-core-2"}, "exp is not checked"},
	{SkipsNonce, []string{"rp-nonce-invalid", "oidc-core-3.1.3.7"}, "nonce is not compared with the one sent"},
	{IgnoresKid, []string{"rp-id_token-unknown-kid"}, "an unknown kid falls back to trying every key"},
	{SkipsUserinfoSub, []string{"rp-userinfo-bad-sub-claim", "oidc-core-5.3.2"}, "userinfo sub is not compared with the ID token sub"},
	{AcceptsAnyAudienceRestriction, []string{"P-09", "saml-core-2.5.1.4"}, "one AudienceRestriction naming the SP is enough, whatever the others name"},
	{IgnoresSessionNotOnOrAfter, []string{"L-01", "saml-core-2.7.2"}, "AuthnStatement SessionNotOnOrAfter is ignored: sessions last the SP's own lifetime"},
	{WideClockSkew, []string{"P-10", "saml-core-2.5.1.2"}, "SAML time conditions allow 10 minutes of clock skew"},
	{NoClockSkew, []string{"saml-core-2.5.1.2"}, "SAML time conditions allow no clock skew, so an IdP clock a little ahead is refused"},
	{ReplayCacheUnsolicitedOnly, []string{"P-16-SP", "P-16", "saml-prof-4.1.4.5"}, "assertion IDs are remembered only for unsolicited responses; a solicited one is trusted to InResponseTo, which is matched against every request the SP sent, not bound to the browser nor used up"},
	{ChecksConditionsExpiryOnly, []string{"P-12", "saml-prof-4.1.4.3"}, "SubjectConfirmationData NotOnOrAfter is ignored: only the Conditions bound the assertion"},
	{ChecksBearerExpiryOnly, []string{"P-11", "saml-core-2.5.1.2"}, "Conditions NotOnOrAfter is ignored: only the SubjectConfirmationData bounds the assertion"},
	{WideIDTokenLeeway, []string{"rp-id_token-exp-just-past", "oidc-core-2"}, "exp is checked with 5 minutes of leeway (Microsoft.IdentityModel's default)"},
	{SkipsIDTokenIat, []string{"rp-id_token-iat", "oidc-core-2"}, "an ID token without iat is accepted"},
	{AcceptsFutureIat, []string{"rp-id_token-iat-future", "oidc-core-3.1.3.7"}, "iat is not compared with the current time"},
	{SkipsIDTokenSub, []string{"rp-id_token-sub", "oidc-core-2"}, "an ID token without sub is accepted, and userinfo is then taken without a sub to compare"},
	{AcceptsExtraAudiences, []string{"rp-id_token-extra-aud", "oidc-core-3.1.3.7"}, "aud must contain the client_id, but audiences the RP does not trust are ignored, with or without azp"},
}

// Faults returns the fault table.
func Faults() []Fault { return append([]Fault(nil), faults...) }

// faultSet is the set of faults an SP runs with.
type faultSet map[string]bool

func newFaultSet(names []string) (faultSet, error) {
	known := map[string]bool{}
	for _, f := range faults {
		known[f.Name] = true
	}
	s := faultSet{}
	for _, n := range names {
		if !known[n] {
			all := make([]string, 0, len(faults))
			for _, f := range faults {
				all = append(all, f.Name)
			}
			sort.Strings(all)
			return nil, fmt.Errorf("sp: fault %q: unknown (have %v)", n, all)
		}
		s[n] = true
	}
	return s, nil
}
