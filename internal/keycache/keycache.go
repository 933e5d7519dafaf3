// Package keycache keeps the fakes' RSA keys between runs. A 2048-bit key
// takes 50 to 150 ms of CPU to find, and a run needs three (the SAML IdP's,
// its attacker's, the OIDC provider's): that was a sixth of a suite's CPU.
// Each key is made once per machine and kept, readable only by its owner,
// under the user's cache directory; certificates are still made per run.
package keycache

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// EnvDir overrides where keys are kept; "off" keeps none.
const EnvDir = "IDPCONFORM_KEY_CACHE"

var validName = regexp.MustCompile(`^[a-z0-9-]+$`)

// Dir is where keys are kept, "" when nowhere: $IDPCONFORM_KEY_CACHE, else
// idpconform/keys under the user's cache directory.
func Dir() string {
	switch d := os.Getenv(EnvDir); d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "" // no home (a FROM scratch container): keys are made per run
		}
		return filepath.Join(base, "idpconform", "keys")
	default:
		return d
	}
}

// RSA returns the 2048-bit key called name. A caller's own random source
// (a seeded test) gets a new key from it; otherwise the kept key is used,
// or one is made and kept. A key that cannot be kept is still returned:
// keeping only saves time.
func RSA(name string, random io.Reader) (*rsa.PrivateKey, error) {
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("keycache: bad key name %q", name)
	}
	if random != nil && random != rand.Reader {
		return rsa.GenerateKey(random, 2048)
	}
	dir := Dir()
	if dir == "" {
		return rsa.GenerateKey(rand.Reader, 2048)
	}
	path := filepath.Join(dir, name+".pem")
	if key, err := read(path); err == nil {
		return key, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	_ = write(dir, path, key)
	return key, nil
}

// read loads a kept key; anything but a readable 2048-bit RSA key is an
// error, and the key is made again.
func read(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("keycache: not a PEM private key")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok || key.N.BitLen() != 2048 {
		return nil, errors.New("keycache: not a 2048-bit RSA key")
	}
	return key, key.Validate()
}

// write keeps key at path, whole or not at all: runs side by side may
// write the same name, and the last rename wins.
func write(dir, path string, key *rsa.PrivateKey) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
