package integration

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Issue 16 point 6 in a browser at 390 px, as an LSP certification manager (the LSP's own
// result comes an hour late, so a person enters it): on the case page, a partial set of unit
// results is refused naming the two missing units, with what was entered kept; the full set is
// recorded (the read model's assessment-result event holds K per unit and the assessor, the
// case is competent and waits for certification); then the manager approves the certificate
// from the inbox (the read model records the approval by the manager and the case leaves the
// inbox).
func TestLSPAssessmentResultsInABrowser(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Simulators.LSP.ResultDelay = time.Hour
	sys := startSystem(t, cfg)
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-ASSESS", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(5 * time.Second).Format(time.RFC3339), Hours: 240, AutoApprove: true})
	id := enrol(t, sys, pkg.Code, validPeople(t, now.Add(3*time.Second), 1))[0]
	scheme := []string{"LOG.OO01.002.01", "LOG.OO01.003.01", "LOG.OO02.005.01", "LOG.OO09.001.01", "LOG.OO18.002.01"}
	eventually(t, 60*time.Second, "the assessment waits for its result", func() (bool, string) {
		var v api.CaseView
		if code := sys.call("GET", "/api/v1/cases/"+id, nil, &v); code != http.StatusOK || v.State == nil {
			return false, v.StateError
		}
		return v.Case.WaitingOn == vocab.WaitingLSP && v.State.Assessment.Schedule != nil, string(v.Case.Stage) + " " + string(v.Case.WaitingOn)
	})

	ctx := newBrowser(t)
	shot := newShots(t)
	base := sys.api.URL
	unit := func(code, result string) string {
		return `#assess-form input[name="result.` + code + `"][value=` + result + `]`
	}
	run(t, ctx, "phone size, name given", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/cases/"+id), chromedp.WaitVisible(css("#assess-form")),
		chromedp.SetValue(css("#actor-name"), "budi"), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")))
	if n := read(t, ctx, "count the units", chromedp.Evaluate[int](`document.querySelectorAll("#assess-form ul.unit-results li").length`)); n != len(scheme) {
		t.Fatalf("the form has %d units, the scheme %d", n, len(scheme))
	}

	// A partial set: three of the five units.
	run(t, ctx, "enter three units", chromedp.Click(css(unit(scheme[0], "K"))), chromedp.Click(css(unit(scheme[1], "K"))),
		chromedp.Click(css(unit(scheme[2], "K"))), chromedp.SetValue(css("#assessor-id"), "ASR-007"))
	run(t, ctx, "send the partial set", chromedp.Click(css("#assess-submit")), chromedp.WaitVisible(css("#assess-error")))
	if got := text(t, ctx, "#assess-error"); !strings.Contains(got, "missing units LOG.OO09.001.01, LOG.OO18.002.01") {
		t.Fatalf("the refusal does not name the missing units: %q", got)
	}
	if n := read(t, ctx, "choices kept", chromedp.Evaluate[int](`document.querySelectorAll("#assess-form input[type=radio]:checked").length`)); n != 3 {
		t.Errorf("after the refusal %d choices are kept, want 3", n)
	}
	if got := read(t, ctx, "assessor kept", chromedp.Evaluate[string](`document.querySelector("#assessor-id").value`)); got != "ASR-007" {
		t.Errorf("after the refusal the assessor reads %q", got)
	}
	if wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the case page is %d px wide on a 390 px phone", wide)
	}
	shot.take(ctx, "01-phone-partial-refused")
	if evs, _ := sys.store.CaseEvents(t.Context(), id); slices.ContainsFunc(evs, func(e store.Event) bool { return e.Kind == "assessment-result" }) {
		t.Fatal("the partial set reached the read model")
	}

	// The rest: the full set is recorded.
	run(t, ctx, "enter the last two", chromedp.Click(css(unit(scheme[3], "K"))), chromedp.Click(css(unit(scheme[4], "K"))),
		chromedp.Click(css("#assess-submit")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "5 K, 0 BK (assessor ASR-007)") {
		t.Fatalf("after the full set: %q", got)
	}
	c := sys.caseIn(id, vocab.StageCertification, 30*time.Second)
	if !c.Competent || !c.Assessed {
		t.Fatalf("milestones after the full set: %+v", c.Milestones)
	}
	latest, err := sys.store.LatestEvents(t.Context(), []string{id}, "assessment-result")
	if err != nil {
		t.Fatal(err)
	}
	ev := latest[id]
	if ev.ActorID != "budi" || ev.Evidence == nil || ev.Evidence.Assessor != "ASR-007" || len(ev.Evidence.Units) != len(scheme) {
		t.Fatalf("assessment-result in the read model: %+v (evidence %+v)", ev, ev.Evidence)
	}
	for _, u := range ev.Evidence.Units {
		if u.Result != "K" || !slices.Contains(scheme, u.Unit) {
			t.Errorf("unit %+v in the read model", u)
		}
	}

	// The certificate: approved from the inbox.
	eventually(t, 20*time.Second, "waiting on the LSP manager", func() (bool, string) {
		c, _ = sys.store.GetCase(t.Context(), id)
		return c.WaitingOn == vocab.WaitingLSPManager, string(c.WaitingOn)
	})
	run(t, ctx, "open the inbox", chromedp.Navigate(base+"/inbox?role=lsp-manager"), chromedp.WaitVisible(css("#inbox-"+id+" button.approve")))
	if got := text(t, ctx, "#inbox-"+id+" table.units"); !strings.Contains(got, "ASR-007") {
		t.Errorf("the inbox card does not show the results entered: %q", got)
	}
	shot.take(ctx, "02-phone-inbox-certification")
	run(t, ctx, "approve the certificate", chromedp.Click(css("#inbox-"+id+" button.approve")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "certification approved") {
		t.Fatalf("after approving: %q", got)
	}
	eventually(t, 20*time.Second, "the approval in the read model", func() (bool, string) {
		evs, _ := sys.store.CaseEvents(t.Context(), id)
		ok := slices.ContainsFunc(evs, func(e store.Event) bool {
			return e.Kind == "certification-approved" && e.ActorID == "budi" && e.ActorRole == vocab.RoleLSPManager
		})
		c, _ = sys.store.GetCase(t.Context(), id)
		return ok && c.WaitingOn != vocab.WaitingLSPManager, string(c.Stage) + " " + string(c.WaitingOn)
	})
}
