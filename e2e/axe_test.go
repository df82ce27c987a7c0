package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeInstallHint says how to get axe-core; .ci/run does the same on a fresh machine.
const axeInstallHint = "axe-core is needed for the accessibility test: install it with " +
	"`npm install -g axe-core@4.14.1` (Debian: `apt-get install npm` first), or point MINSHENG_AXE " +
	"at an axe.min.js"

var axeOnce struct {
	sync.Once
	src  string
	path string
	err  error
}

// axeSource returns axe.min.js: from $MINSHENG_AXE, else from the global npm folder. A missing
// axe fails the test; it never skips, so a machine without it cannot pass for accessible.
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		path := os.Getenv("MINSHENG_AXE")
		if path == "" {
			out, err := exec.Command("npm", "root", "-g").Output()
			if err != nil {
				axeOnce.err = fmt.Errorf("MINSHENG_AXE is not set and `npm root -g` failed (%v)", err)
				return
			}
			path = filepath.Join(strings.TrimSpace(string(out)), "axe-core", "axe.min.js")
		}
		b, err := os.ReadFile(path)
		if err != nil {
			axeOnce.err = err
			return
		}
		axeOnce.src, axeOnce.path = string(b), path
	})
	if axeOnce.err != nil {
		t.Fatalf("%s: %v", axeInstallHint, axeOnce.err)
	}
	return axeOnce.src
}

// axeViolation is one failed axe rule with the elements it failed on.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s):", v.ID, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-5)
			break
		}
		fmt.Fprintf(&b, "\n      %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// checkAxe runs every axe-core rule (WCAG 2 A/AA and best practices) on the page in tab and
// fails with each violation when there is one. axe is injected through DevTools; it needs
// timers, so on a tab with JavaScript off (scriptsOff) scripts are switched on for the run
// only, and off again after it (staff pages carry no script of their own to start meanwhile).
func checkAxe(t *testing.T, tab context.Context, scriptsOff bool, where string) {
	t.Helper()
	src := axeSource(t)
	if scriptsOff {
		setScripts(t, tab, true)
		defer setScripts(t, tab, false)
	}
	if _, err := run(tab, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		t.Fatalf("%s: inject axe-core from %s: %s", where, axeOnce.path, errContext(err))
	}
	const runAxe = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`
	violations, err := run(tab, chromedp.Evaluate[[]axeViolation](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %s", where, errContext(err))
	}
	for _, v := range violations {
		t.Errorf("%s: axe: %s", where, v)
	}
}

// setScripts switches the page's JavaScript on or off in tab.
func setScripts(t *testing.T, tab context.Context, on bool) {
	t.Helper()
	do(t, tab, fmt.Sprintf("switch JavaScript on=%v", on), chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}
