package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFakeSAMLWritesMetadataAndServesIt: `fake saml --metadata-out` writes
// the metadata a file-configured SP loads, serves the same on loopback, and
// stops cleanly when interrupted.
func TestFakeSAMLWritesMetadataAndServesIt(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	file := filepath.Join(t.TempDir(), "idp.xml")
	ctx, cancel := context.WithCancel(context.Background())
	root := newRoot("test")
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"fake", "saml", "--serve", addr, "--metadata-out", file, "--profile", "entra"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	var md []byte
	for i := 0; i < 200 && len(md) == 0; i++ {
		time.Sleep(10 * time.Millisecond)
		md, _ = os.ReadFile(file)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http://" + addr + "/saml/metadata", "X509Certificate", "emailAddress"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("metadata lacks %q:\n%s", want, md)
		}
	}
	if !strings.Contains(out.String(), "entra profile") {
		t.Errorf("output: %s", out.String())
	}
}
