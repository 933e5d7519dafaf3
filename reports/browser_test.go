package reports_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/idpconform/idpconform/internal/profile"
	"github.com/idpconform/idpconform/internal/reference/target"
	"github.com/idpconform/idpconform/internal/runner"
	"github.com/idpconform/idpconform/reports"
)

// faultedRun runs the Entra and discovery scenarios against the reference
// target with Entra's string booleans refused: a real run with failures
// and their exchanges, as a vendor would send it.
func faultedRun(t *testing.T, dir string) string {
	t.Helper()
	srv, err := target.New(target.Options{Token: "browser-test-token", Faults: []string{"rejects-string-booleans"}})
	if err != nil {
		t.Fatal(err)
	}
	running, err := target.Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = running.Close() })
	prof, err := profile.Complete(profile.Profile{SCIM: profile.SCIM{URL: running.URL(), Auth: profile.Auth{Token: "browser-test-token"}}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.Run(context.Background(), runner.Config{Profile: prof, Tags: "@entra,@discovery && ~@sso && ~@regression", OutDir: dir, Output: io.Discard,
		Concurrency: 2, Target: reports.Target{Reference: true, Faults: []string{"rejects-string-booleans"}}})
	if err != nil {
		t.Fatal(err)
	}
	if run.Verdict() != reports.Failed {
		t.Fatalf("the faulted run did not fail: %s", run.Totals())
	}
	return filepath.Join(dir, "report.html")
}

// chromium finds the browser: $CHROMIUM, or Debian's chromium. CI must have
// it (.ci/run installs it); elsewhere the test says why it skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI must run the browser test (.ci/run installs Debian's chromium)")
	}
	t.Skip("SKIPPED: chromium is not installed; apt-get install chromium to run the report.html browser test")
	return ""
}

// TestReportInBrowser opens report.html in headless Chromium: the verdict,
// the chart and the failures render, the filters hide and show scenarios,
// no JavaScript error is raised, and a screenshot is kept.
func TestReportInBrowser(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	page := faultedRun(t, dir)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1200, 900), chromedp.UserDataDir(filepath.Join(dir, "profile")))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	var mu sync.Mutex
	var jsErrors []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			jsErrors = append(jsErrors, e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				jsErrors = append(jsErrors, "console.error")
			}
		}
	})
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}

	text := func(sel string) string {
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("chromium: read %s: %v", sel, err)
		}
		return v
	}
	count := func(js string) int {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("chromium: %s: %v", js, err)
		}
		return v
	}
	choose := func(id, value string) {
		js := `(function(){var s=document.getElementById("` + id + `");s.value="` + value + `";s.dispatchEvent(new Event("change"));return 0})()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](js)); err != nil {
			t.Fatalf("chromium: choose %s=%s: %v", id, value, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	verdict := text("#verdict")
	bars := count(`document.querySelectorAll("#chart .bar").length`)
	failures := count(`document.querySelectorAll("#failures article").length`)
	shownAll := text("#shown")
	entra := text(`#idps tr[data-idp="entra"]`)
	exchanges := count(`document.querySelectorAll("#failures article details pre").length`)
	choose("f-status", "passed")
	shownPassed := text("#shown")
	visibleFailures := count(`[...document.querySelectorAll("#failures article")].filter(a => !a.hidden && a.offsetParent !== null).length`)
	choose("f-status", "failed")
	choose("f-area", "discovery")
	shownFailedDiscovery := text("#shown")
	choose("f-status", "")
	choose("f-area", "")
	// Quality 100 makes a PNG; anything lower, a JPEG.
	screenshot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium: screenshot: %v", err)
	}
	if verdict != "failed" || bars != 2 || failures == 0 || exchanges == 0 {
		t.Errorf("verdict %q, %d chart bars, %d failures, %d exchanges; want failed, 2 areas, some failures with exchanges", verdict, bars, failures, exchanges)
	}
	if !strings.Contains(entra, "issue") {
		t.Errorf("the IdP matrix row for Entra reads %q, want its issues", entra)
	}
	if shownAll == shownPassed || shownFailedDiscovery != "0 shown" {
		t.Errorf("filters: all %q, passed %q, failed discovery %q", shownAll, shownPassed, shownFailedDiscovery)
	}
	if visibleFailures != 0 {
		t.Errorf("with status=passed, %d failures are still visible", visibleFailures)
	}
	if len(jsErrors) > 0 {
		t.Errorf("JavaScript errors: %s", strings.Join(jsErrors, "; "))
	}
	out := os.Getenv("IDPC_SCREENSHOT_DIR")
	if out == "" {
		out = dir
	}
	if err := os.MkdirAll(out, 0o755); err == nil {
		shot := filepath.Join(out, "report-screenshot.png")
		if err := os.WriteFile(shot, screenshot, 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("screenshot: %s", shot)
	}
}
