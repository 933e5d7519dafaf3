package samlidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/idpconform/idpconform/internal/keycache"
)

// KeyPair is an RSA signing key with its self-signed certificate.
type KeyPair struct {
	Key  *rsa.PrivateKey
	Cert *x509.Certificate
}

// NewKeyPair is a 2048-bit RSA key and a self-signed certificate for cn,
// valid from a day before now for a year, so small clock shifts in a
// scenario never make the certificate itself the reason for a rejection.
// The key is the one kept under name (keycache), or a new one when name is
// "".
func NewKeyPair(name string, random io.Reader, now time.Time, cn string) (KeyPair, error) {
	if random == nil {
		random = rand.Reader
	}
	var key *rsa.PrivateKey
	var err error
	if name == "" {
		key, err = rsa.GenerateKey(random, 2048)
	} else {
		key, err = keycache.RSA(name, random)
	}
	if err != nil {
		return KeyPair{}, fmt.Errorf("samlidp: generate key: %w", err)
	}
	serial, err := rand.Int(random, big.NewInt(1<<62))
	if err != nil {
		return KeyPair{}, fmt.Errorf("samlidp: generate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(random, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return KeyPair{}, fmt.Errorf("samlidp: self-sign certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return KeyPair{}, fmt.Errorf("samlidp: parse certificate: %w", err)
	}
	return KeyPair{Key: key, Cert: cert}, nil
}
