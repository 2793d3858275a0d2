package integration

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeVersion is the axe-core vendored in testdata/axe (from npm; see its README.md).
const axeVersion = "4.14.1"

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	return string(b), err
})

// axeViolation is one rule axe-core found broken, with the first few elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// accessible runs axe-core (WCAG 2.x A and AA rules and axe's best practices) on the page the
// browser shows and fails the test on every serious or critical violation; minor and moderate
// ones are logged. The script is evaluated through the DevTools protocol, so the pages' CSP
// (no script at all) stays as it is.
func accessible(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core %s: %v", axeVersion, err)
	}
	js := src + `;
axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary}))}))))`
	out := read(t, ctx, "axe-core on "+name, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe-core on %s: %v: %s", name, err, out)
	}
	for _, v := range vs {
		var b strings.Builder
		for _, n := range v.Nodes {
			b.WriteString("\n    " + strings.TrimSpace(n.HTML) + "\n      " + strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe-core on %s: %s %s: %s%s", name, v.Impact, v.ID, v.Help, b.String())
		} else {
			t.Logf("axe-core on %s (%s, not failing): %s: %s", name, v.Impact, v.ID, v.Help)
		}
	}
}

// fitsTheScreen checks the page the browser shows at its current width: nothing scrolls
// sideways, and (on a phone, 600 px or less) every button, field, menu link and pager is at
// least 44 px high (inline links within sentences are exempt, as WCAG 2.5.8 allows).
func fitsTheScreen(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	type report struct {
		Width, ScrollWidth int
		Small              []string
		Wide               []string
	}
	js := `(() => {
  const r = {Width: window.innerWidth, ScrollWidth: document.documentElement.scrollWidth, Small: [], Wide: []};
  if (r.ScrollWidth > r.Width) {
    for (const el of document.querySelectorAll('main *, header *')) {
      const b = el.getBoundingClientRect();
      if (b.right > r.Width + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > r.Width + 1)) {
        r.Wide.push(el.outerHTML.slice(0, 160) + " (ends at " + Math.round(b.right) + " px)");
        if (r.Wide.length == 3) break;
      }
    }
  }
  if (window.innerWidth <= 600) {
    for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, summary, header nav a, nav.pages a, a.csv, a.case, a.button, a.inbox')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue; // not shown (a folded filter)
      if (b.height < 44) r.Small.push(el.outerHTML.slice(0, 120) + " (" + Math.round(b.height) + " px)");
    }
  }
  return r;
})()`
	r := read(t, ctx, "measure "+name, chromedp.Evaluate[report](js))
	if r.ScrollWidth > r.Width {
		t.Errorf("%s at %d px scrolls sideways: the page is %d px wide; too wide: %s", name, r.Width, r.ScrollWidth, strings.Join(r.Wide, "; "))
	}
	for _, s := range r.Small {
		t.Errorf("%s at %d px: tap target under 44 px: %s", name, r.Width, s)
	}
}
