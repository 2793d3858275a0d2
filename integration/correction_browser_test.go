package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// refuseOneInBPJS makes BPJS refuse the first valid trainee of a cohort file (the population
// register knows the NIK under a longer name) and returns that trainee's case ID in pkg and the
// name the register knows.
func refuseOneInBPJS(t *testing.T, sys *system, file, pkg string) (string, string) {
	t.Helper()
	rows, err := cohort.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	cohort.Validate(rows, cohort.Rules{})
	for _, r := range rows {
		if r.Err == nil {
			right := r.Name + " Rahayu"
			sys.sims.BPJS.KnowPerson(r.NIK, right, r.BirthDate)
			return workflows.CaseIDFor(pkg, sys.svc.NIKHash(r.NIK)), right
		}
	}
	t.Fatal("no valid row in the cohort")
	return "", ""
}

// correctInABrowser corrects, from the case page at phone width, the name of a trainee BPJS
// refused: the page shows BPJS's words and the record on file; after sending, the record in the
// store holds the corrected name, the audit says who, and BPJS registers the trainee exactly
// once, under the key after the correction.
func correctInABrowser(t *testing.T, sys *system, ctx context.Context, shot *shots, caseID, rightName string) {
	t.Helper()
	c := sys.waitingCorrection(caseID, time.Minute)
	run(t, ctx, "open the refused case", chromedp.Navigate(sys.api.URL+"/cases/"+caseID), chromedp.WaitVisible(css("#correction-form")))
	if got := text(t, ctx, "#correction-reason"); !strings.Contains(got, "does not match the population register") {
		t.Fatalf("the case page shows the refusal as %q", got)
	}
	if got := text(t, ctx, "#correct-nik-masked"); strings.Count(got, "•") != 8 {
		t.Errorf("NIK on record shown as %q, want it masked", got)
	}
	if wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the case page is %d px wide on a 390 px phone", wide)
	}
	run(t, ctx, "correct the name", chromedp.SetValue(css("#correct-name"), rightName),
		chromedp.SetValue(css("#correct-note"), "nama sesuai KTP"))
	shot.take(ctx, "04b-phone-correction")
	run(t, ctx, "send the correction", chromedp.Click(css("#correct-send")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "koreksi diterima") {
		t.Fatalf("after sending the correction: %q", got)
	}
	eventually(t, time.Minute, "case "+caseID+" insured after its correction", func() (bool, string) {
		c, _ := sys.store.GetCase(context.Background(), caseID)
		return c.KPJ != "", fmt.Sprintf("stage=%s waiting=%s", c.Stage, c.WaitingOn)
	})
	if p, err := sys.store.GetParticipant(t.Context(), c.NIKHash); err != nil || p.Name != rightName {
		t.Fatalf("record after the correction: %q, %v", p.Name, err)
	}
	if recs, err := sys.store.CorrectionsOf(t.Context(), caseID); err != nil || len(recs) != 1 || recs[0].Actor != "siti" || recs[0].Changes[0].Field != "name" {
		t.Fatalf("audit: %+v, %v", recs, err)
	}
	if regs := sys.sims.BPJS.Registrations(); regs[caseID+"-bpjs-0"] != 0 || regs[caseID+"-bpjs-1"] != 1 {
		t.Fatalf("BPJS registrations of %s: %v, want exactly one after the correction", caseID, regs)
	}
}
