package idps

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/idpconform/idpconform/fakes/samlidp"
)

// TestClientErrorsAreClear: the control API refuses what the IdP cannot do
// with a message that names it.
func TestClientErrorsAreClear(t *testing.T) {
	ip, err := Start(Options{SAML: true, Control: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ip.Close()
	c := Dial(ip.SAMLURL(), "")
	ctx := context.Background()
	s, err := c.Session(ctx, "v")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ArmAttack(ctx, "XSW99", false); err == nil || !strings.Contains(err.Error(), `attack "XSW99": unknown`) {
		t.Errorf("unknown attack: %v", err)
	}
	if err := s.SetSAMLProfile(ctx, "ping"); err == nil || !strings.Contains(err.Error(), `profile "ping": unknown`) {
		t.Errorf("unknown profile: %v", err)
	}
	for _, err := range []error{s.Reset(ctx, "v"), s.End(ctx), s.LoginAs(ctx, samlidp.User{UserName: "u"}), s.ArmAttack(ctx, "P-07", true), s.ArmNotBefore(ctx, time.Minute), s.ArmTiming(ctx, samlidp.Timing{ClockAhead: time.Minute, SessionEndsIn: time.Minute})} {
		if err != nil {
			t.Errorf("good call: %v", err)
		}
	}
	if n, err := s.CanaryHits(ctx); err != nil || n != 0 {
		t.Errorf("canary: %d %v", n, err)
	}
	if c.HasOIDC() || !c.HasSAML() {
		t.Error("Has*")
	}
	// Nothing listens on the discard port: the error says where it tried.
	if _, err := Dial("http://127.0.0.1:9", "").Session(ctx, "v"); err == nil || !strings.Contains(err.Error(), "127.0.0.1:9/control/reset") {
		t.Errorf("unreachable: %v", err)
	}
}
