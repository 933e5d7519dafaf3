package keycache

import (
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestAKeyIsMadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	first, err := RSA("idp", nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := RSA("idp", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Equal(again) {
		t.Error("the second run made a new key instead of using the kept one")
	}
	other, err := RSA("attacker", nil)
	if err != nil {
		t.Fatal(err)
	}
	if other.Equal(first) {
		t.Error("two names share one key")
	}
	fi, err := os.Stat(filepath.Join(dir, "idp.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("a kept key is readable by others: %v", fi.Mode().Perm())
	}
}

func TestABrokenKeptKeyIsMadeAgain(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	path := filepath.Join(dir, "idp.pem")
	if err := os.WriteFile(path, []byte("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := RSA("idp", nil)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := read(path)
	if err != nil || !kept.Equal(key) {
		t.Errorf("the broken key was not replaced by the new one: %v", err)
	}
}

// TestRunsSideBySideAgreeOnAKey: processes starting at once may each make
// the key; whatever is kept at the end is whole.
func TestRunsSideBySideAgreeOnAKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := RSA("idp", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, err := read(filepath.Join(dir, "idp.pem")); err != nil {
		t.Errorf("the kept key is broken: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".key-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestOffAndOwnRandomKeepNothing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, "off")
	if _, err := RSA("idp", nil); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDir, dir)
	if _, err := RSA("idp", io.MultiReader(rand.Reader)); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("kept %d files", len(entries))
	}
	if _, err := RSA("../idp", nil); err == nil {
		t.Error("a name with a path in it was taken")
	}
}
