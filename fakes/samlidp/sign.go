package samlidp

import (
	"crypto/tls"
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// signatureMethod is RSA-SHA256; crewjam would default to RSA-SHA1.
const signatureMethod = dsig.RSASHA256SignatureMethod

// signEnveloped returns a copy of el with an enveloped, exclusive-C14N,
// RSA-SHA256 signature by kp placed right after its Issuer, where the SAML
// schema wants it. The enveloped transform removes the Signature before
// digesting, so its position does not change the digest.
func signEnveloped(el *etree.Element, kp KeyPair) (*etree.Element, error) {
	ks := dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{kp.Cert.Raw}, PrivateKey: kp.Key})
	ctx := dsig.NewDefaultSigningContext(ks)
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(signatureMethod); err != nil {
		return nil, fmt.Errorf("samlidp: sign: %w", err)
	}
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		return nil, fmt.Errorf("samlidp: sign %s: %w", el.Tag, err)
	}
	out := el.Copy()
	at := 0
	if iss := out.SelectElement("Issuer"); iss != nil {
		at = iss.Index() + 1
	}
	out.InsertChildAt(at, sig)
	return out, nil
}

// removeSignatures deletes every direct ds:Signature child of el.
func removeSignatures(el *etree.Element) {
	for _, s := range el.SelectElements("Signature") {
		el.RemoveChild(s)
	}
}
