package username

import "testing"

func TestCheckHub(t *testing.T) {
	for name, ok := range map[string]bool{
		"ada": true, "Ada-Lovelace": true, "idpc-k7mq2aab-ada": true, "42": true,
		"ada.lovelace": false, "ada--l": false, "-ada": false, "ada-": false,
		"ada@example.com": false, "zoë": false, "ada l": false, "ada_l": false, "": true,
	} {
		if err := Check(Hub, name); (err == nil) != ok {
			t.Errorf("Check(hub, %q) = %v, want ok %v", name, err, ok)
		}
		if err := Check("", name); err != nil {
			t.Errorf("Check(\"\", %q) = %v, want nil: no rule allows everything", name, err)
		}
	}
}

// TestEditHub: Edit's answer always satisfies the rule, leaves an allowed
// name alone and is what HF's mapping makes of IdP-style names.
func TestEditHub(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ada.lovelace@example.com", "ada-lovelace"},
		{"idpc-k7mq2aab-Ada.MixedCase", "idpc-k7mq2aab-Ada-MixedCase"},
		{"idpc-k7-ada.l+ml@example.com", "idpc-k7-ada-l-ml"},
		{"--ada..l--", "ada-l"},
		{"idpc-k7mq2aab-zoë-ünal", "idpc-k7mq2aab-zo-nal"},
		{"Ada-Lovelace", "Ada-Lovelace"},
		{" idpc-spaced ", "idpc-spaced"},
		{"idpc-ｆｕｌｌ", "idpc"},
	} {
		in, want := tc.in, tc.want
		got := Edit(Hub, in)
		if got != want {
			t.Errorf("Edit(hub, %q) = %q, want %q", in, got, want)
		}
		if err := Check(Hub, got); err != nil {
			t.Errorf("Edit(hub, %q) = %q breaks the rule: %v", in, got, err)
		}
		if again := Edit(Hub, got); again != got {
			t.Errorf("Edit is not idempotent: %q then %q", got, again)
		}
	}
	if got := Edit("", "ada.l@x"); got != "ada.l@x" {
		t.Errorf("Edit without a rule changed the name to %q", got)
	}
}

func TestKnown(t *testing.T) {
	if !Known("") || !Known(Hub) || Known("github") {
		t.Error("Known: want \"\" and hub only")
	}
}
