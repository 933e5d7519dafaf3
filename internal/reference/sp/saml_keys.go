package sp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"slices"
	"time"

	"github.com/idpconform/idpconform/internal/keycache"
)

// keyPair is an RSA key with its self-signed certificate.
type keyPair struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

// spKeys are the SP's own keys; each is nil unless its policy needs it.
type spKeys struct {
	sign      *keyPair // signs AuthnRequests
	published *keyPair // the signing key the metadata names (sign, unless faulty)
	decrypt   *keyPair // the metadata's use="encryption" key
}

func newSPKeys(opts Options) (spKeys, error) {
	var k spKeys
	var err error
	if opts.SAML.SignAuthnRequests {
		if k.sign, err = newKeyPair("sp-signing", opts.Rand, opts.Clock(), "sp signing"); err != nil {
			return k, err
		}
		k.published = k.sign
		if slices.Contains(opts.Faults, SignsWithUnpublishedKey) {
			if k.published, err = newKeyPair("sp-unpublished", opts.Rand, opts.Clock(), "sp signing"); err != nil {
				return k, err
			}
		}
	}
	if opts.SAML.RequireEncryptedAssertions {
		if k.decrypt, err = newKeyPair("sp-encryption", opts.Rand, opts.Clock(), "sp encryption"); err != nil {
			return k, err
		}
	}
	return k, nil
}

// newKeyPair is the 2048-bit RSA key kept under name (keycache) and a
// certificate valid from a day before now for a year.
func newKeyPair(name string, random io.Reader, now time.Time, cn string) (*keyPair, error) {
	if random == nil {
		random = rand.Reader
	}
	key, err := keycache.RSA(name, random)
	if err != nil {
		return nil, fmt.Errorf("sp: generate key: %w", err)
	}
	serial, err := rand.Int(random, big.NewInt(1<<62))
	if err != nil {
		return nil, fmt.Errorf("sp: generate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(random, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("sp: self-sign certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("sp: parse certificate: %w", err)
	}
	return &keyPair{key: key, cert: cert}, nil
}
