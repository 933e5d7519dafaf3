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
	if err := c.ArmAttack(ctx, "XSW99", false); err == nil || !strings.Contains(err.Error(), `attack "XSW99": unknown`) {
		t.Errorf("unknown attack: %v", err)
	}
	if err := c.SetSAMLProfile(ctx, "ping"); err == nil || !strings.Contains(err.Error(), `profile "ping": unknown`) {
		t.Errorf("unknown profile: %v", err)
	}
	for _, err := range []error{c.Reset(ctx, "v"), c.LoginAs(ctx, samlidp.User{UserName: "u"}), c.ArmAttack(ctx, "P-07", true), c.ArmNotBefore(ctx, time.Minute), c.ArmTiming(ctx, samlidp.Timing{ClockAhead: time.Minute, SessionEndsIn: time.Minute})} {
		if err != nil {
			t.Errorf("good call: %v", err)
		}
	}
	if n, err := c.CanaryHits(ctx); err != nil || n != 0 {
		t.Errorf("canary: %d %v", n, err)
	}
	if c.HasOIDC() || !c.HasSAML() {
		t.Error("Has*")
	}
	// Nothing listens on the discard port: the error says where it tried.
	if err := Dial("http://127.0.0.1:9", "").Reset(ctx, "v"); err == nil || !strings.Contains(err.Error(), "127.0.0.1:9/control/reset") {
		t.Errorf("unreachable: %v", err)
	}
}
