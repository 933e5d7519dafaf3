package samlidp

import (
	"fmt"
	"time"

	"github.com/crewjam/saml"
)

// Shapes of signing an attack needs, whatever the profile.
func assertionSignedOnly(d *Draft) { d.SignAssertion, d.SignResponse = true, false }
func responseSignedOnly(d *Draft)  { d.SignAssertion, d.SignResponse = false, true }
func bothSigned(d *Draft)          { d.SignAssertion, d.SignResponse = true, true }

// before is a mutation of the Go values before anything is signed.
func before(f func(d *Draft)) func(Stage, *Draft) error {
	return at(StageBeforeSign, func(d *Draft) error { f(d); return nil })
}

// attacks is the catalogue, by id. Wrong values point at 127.0.0.1:9 (the
// discard port) or at example hosts no test ever contacts.
var attacks = []Attack{
	// 1A Signature presence and trust
	{ID: "SIG-01", Description: "a response with neither the response nor the assertion signed, claiming the victim",
		mutate: before(func(d *Draft) { d.SignAssertion, d.SignResponse = false, false; victimStruct(d) })},
	{ID: "SIG-02", Description: "a signed response with every signature stripped and the victim's NameID",
		prepare: bothSigned, mutate: at(StageResponseSigned, stripSignatures)},
	{ID: "SIG-03", Description: "an assertion edited to the victim's NameID after it was signed",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, editAfterSigning)},
	{ID: "SIG-04", Description: "an assertion for the victim re-signed with an attacker's key, the attacker's certificate in KeyInfo",
		prepare: assertionSignedOnly, mutate: resignAsAttacker},
	// 1B Signature wrapping
	{ID: "XSW1", Description: "the signed response cloned into its own Signature and the outer response made evil",
		prepare: responseSignedOnly, mutate: at(StageResponseSigned, xsw1)},
	{ID: "XSW2", Description: "the signed response cloned before its Signature and the outer response made evil",
		prepare: responseSignedOnly, mutate: at(StageResponseSigned, xsw2)},
	{ID: "XSW3", Description: "an evil unsigned assertion inserted before the signed one",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw3)},
	{ID: "XSW4", Description: "an evil assertion wrapping the signed one",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw4)},
	{ID: "XSW5", Description: "the signed assertion made evil in place, a clean copy appended",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw5)},
	{ID: "XSW6", Description: "the signed assertion made evil in place, a clean copy inside its Signature",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw6)},
	{ID: "XSW7", Description: "an Extensions element before the signed assertion holding an evil copy with the same ID",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw7)},
	{ID: "XSW8", Description: "the signed assertion made evil in place, a clean copy in a ds:Object",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xsw8)},
	{ID: "XSW-M", Description: "an unsigned evil assertion appended after the signed one (CVE-2022-41912)",
		prepare: assertionSignedOnly, mutate: at(StageResponseSigned, xswMultiple)},
	// 1C Parser differentials and XML hygiene
	{ID: "PD-01", Description: "comment injected into the signed NameID (victim@…<!---->.evil.com)",
		Expect: ExpectNotVictim, prepare: commentTarget, mutate: at(StageResponseSigned, injectComment),
		TwinUser: func(_, victim string) string { return victim + evilSuffix }},
	{ID: "PD-06", Description: "DOCTYPE with an external entity pointing at the harness canary URL",
		Expect: ExpectNoFetch, mutate: at(StageSerialized, prependXXE)},
	// 1D Protocol checks
	{ID: "P-01", Description: "a signed response whose Destination is not the target's ACS",
		prepare: bothSigned, mutate: before(func(d *Draft) { d.Response.Destination = wrongURL })},
	{ID: "P-03", Description: "a Recipient that is not the target's ACS",
		mutate: before(func(d *Draft) { scd(d).Recipient = wrongURL })},
	{ID: "P-04", Description: "an InResponseTo naming no request of the target",
		mutate: before(func(d *Draft) { setInResponseTo(d, "_not-a-request-of-this-sp") })},
	{ID: "P-06", Description: "InResponseTo removed from an SP-initiated login (unsolicited to an SP without IdP-initiated)",
		mutate: before(func(d *Draft) { setInResponseTo(d, "") })},
	{ID: "P-07", Description: "an Audience naming another service provider",
		mutate: before(func(d *Draft) {
			d.Assertion.Conditions.AudienceRestrictions[0].Audience.Value = otherSP
		})},
	{ID: "P-08", Description: "an assertion with no AudienceRestriction",
		mutate: before(func(d *Draft) { d.Assertion.Conditions.AudienceRestrictions = nil })},
	{ID: "P-09", Description: "an assertion with a second AudienceRestriction naming only another service provider",
		mutate: before(func(d *Draft) {
			c := d.Assertion.Conditions
			c.AudienceRestrictions = append(c.AudienceRestrictions, saml.AudienceRestriction{Audience: saml.Audience{Value: otherSP}})
		})},
	{ID: "P-10", Description: "an assertion valid only from ten minutes in the future",
		mutate: before(func(d *Draft) { d.Assertion.Conditions.NotBefore = d.Now.Add(10 * time.Minute) })},
	{ID: "P-11", Description: "an assertion that expired ten minutes ago",
		mutate: before(expireConditions)},
	{ID: "P-12", Description: "SubjectConfirmationData NotOnOrAfter ten minutes ago, Conditions still valid",
		mutate: before(func(d *Draft) { scd(d).NotOnOrAfter = d.Now.Add(-10 * time.Minute) })},
	{ID: "P-16", Description: "the accepted unsolicited response posted again (replay)",
		IdPInitiated: true, Replay: true},
	{ID: "P-16-SP", Description: "an accepted SP-initiated response posted again from another browser",
		Replay: true},
	{ID: "P-18", Description: "a response and assertion issued by another IdP",
		mutate: before(func(d *Draft) {
			d.Assertion.Issuer.Value = "https://evil-idp.example/metadata"
			d.Response.Issuer.Value = "https://evil-idp.example/metadata"
		})},
	// 1F RelayState and session
	{ID: "L-01", Description: "AuthnStatement SessionNotOnOrAfter ten minutes ago",
		mutate: before(func(d *Draft) { endSession(d, d.Now.Add(-10*time.Minute)) })},
	{ID: "R-01", Description: "RelayState pointing off-site (open redirect)",
		Expect: ExpectNoOffsiteRedirect, mutate: before(func(d *Draft) { d.RelayState = EvilRelayState })},
}

// wrongURL is a loopback URL nothing listens on (the discard port).
const wrongURL = "http://127.0.0.1:9/saml/acs"

// EvilRelayState is the off-site target of R-01.
const EvilRelayState = "https://evil.example/landing"

func setInResponseTo(d *Draft, id string) {
	d.Response.InResponseTo = id
	scd(d).InResponseTo = id
}

// otherSP is the entityID of a service provider that is not the target.
const otherSP = "https://other-sp.example/metadata"

// expireConditions expires the assertion's Conditions only: the bearer
// confirmation stays valid, so only an SP that checks Conditions refuses.
func expireConditions(d *Draft) {
	d.Assertion.Conditions.NotBefore = d.Now.Add(-20 * time.Minute)
	d.Assertion.Conditions.NotOnOrAfter = d.Now.Add(-10 * time.Minute)
}

// endSession sets SessionNotOnOrAfter on every AuthnStatement.
func endSession(d *Draft, at time.Time) {
	for i := range d.Assertion.AuthnStatements {
		d.Assertion.AuthnStatements[i].SessionNotOnOrAfter = &at
	}
}

// prependXXE puts a DOCTYPE with an external parameter entity in front of
// the signed response: a DTD-processing parser fetches the canary URL.
func prependXXE(d *Draft) error {
	if d.idp.opts.CanaryURL == "" {
		return fmt.Errorf("PD-06 needs Options.CanaryURL")
	}
	dtd := fmt.Sprintf(`<!DOCTYPE Response [<!ENTITY %% xxe SYSTEM %q> %%xxe;]>`+"\n", d.idp.canaryURL(d.session))
	d.XML = append([]byte(dtd), d.XML...)
	return nil
}
