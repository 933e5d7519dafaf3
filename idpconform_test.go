package idpconform_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/idpconform/idpconform"
	"github.com/idpconform/idpconform/reports"
)

func TestRunReportsTheViolationAFaultCauses(t *testing.T) {
	run, err := idpconform.Run(context.Background(), idpconform.ReferenceTarget(t, "no-location-header"), idpconform.Tags("@rfc7644-3.3"))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, s := range run.Scenarios {
		if s.Status == reports.Failed && strings.Contains(s.Problem(), "Location") && strings.Contains(s.Problem(), "RFC 7644 §3.3") {
			found = true
		}
	}
	if run.Verdict() != reports.Failed || !found {
		t.Errorf("verdict %s; no violation naming the Location header and RFC 7644 §3.3", run.Verdict())
	}
}

func TestRunSaysWhyATargetCannotBeUsed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	run, err := idpconform.Run(context.Background(), idpconform.Target{URL: "http://" + addr + "/scim/v2", Token: "t"})
	if !errors.Is(err, idpconform.ErrUnusable) || !strings.Contains(run.Stopped, "cannot reach the target") {
		t.Errorf("err = %v, stopped %q", err, run.Stopped)
	}
}
