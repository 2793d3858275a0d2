package integration

import (
	"net/http"
	"os"
	"path/filepath"
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
	ids := enrol(t, sys, pkg.Code, validPeople(t, now.Add(3*time.Second), 2))
	id, other := ids[0], ids[1]
	scheme := []string{"LOG.OO01.002.01", "LOG.OO01.003.01", "LOG.OO02.005.01", "LOG.OO09.001.01", "LOG.OO18.002.01"}
	for _, c := range ids {
		eventually(t, 60*time.Second, "the assessment waits for its result", func() (bool, string) {
			var v api.CaseView
			if code := sys.call("GET", "/api/v1/cases/"+c, nil, &v); code != http.StatusOK || v.State == nil {
				return false, v.StateError
			}
			return v.Case.WaitingOn == vocab.WaitingLSP && v.State.Assessment.Schedule != nil, string(v.Case.Stage) + " " + string(v.Case.WaitingOn)
		})
	}

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
	// The refusal is worded in the page's language (Indonesian) from its catalogue code.
	if got := text(t, ctx, "#assess-error"); !strings.Contains(got, "kurang: LOG.OO09.001.01, LOG.OO18.002.01") {
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
	accessible(t, ctx, "case page with the refused result form")
	fitsTheScreen(t, ctx, "case page with the refused result form")
	shot.take(ctx, "01-phone-partial-refused")
	if evs, _ := sys.store.CaseEvents(t.Context(), id); slices.ContainsFunc(evs, func(e store.Event) bool { return e.Kind == "assessment-result" }) {
		t.Fatal("the partial set reached the read model")
	}

	// The rest: the full set is recorded.
	run(t, ctx, "enter the last two", chromedp.Click(css(unit(scheme[3], "K"))), chromedp.Click(css(unit(scheme[4], "K"))),
		chromedp.Click(css("#assess-submit")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "5 K, 0 BK (asesor ASR-007)") {
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

	// The other trainee's result comes as the LSP's file, one row per unit; the same file again
	// records nothing twice.
	var file strings.Builder
	file.WriteString("\ufeffkasus;kode_unit;hasil;asesor\n")
	for _, u := range scheme {
		file.WriteString(other + ";" + u + ";K;ASR-009\n")
	}
	path := filepath.Join(t.TempDir(), "hasil-lsp.csv")
	if err := os.WriteFile(path, []byte(file.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	upload := func(what string) {
		run(t, ctx, what, chromedp.Navigate(base+"/assessments"), chromedp.WaitVisible(css("#results-upload")),
			chromedp.SetUploadFiles(css("#results-file-input"), []string{path}), chromedp.Submit(css("#results-upload")),
			chromedp.WaitVisible(css("#results-counts")))
	}
	upload("upload the LSP's result file")
	if got := text(t, ctx, "#results-counts"); !strings.Contains(got, "5 tercatat") {
		t.Fatalf("the result file's outcome: %q, want 5 rows recorded", got)
	}
	accessible(t, ctx, "assessments page with the upload's report")
	fitsTheScreen(t, ctx, "assessments page with the upload's report")
	shot.take(ctx, "02-phone-result-file")
	if c := sys.caseIn(other, vocab.StageCertification, 30*time.Second); !c.Competent {
		t.Fatalf("after the result file: %+v", c.Milestones)
	}
	if ev := mustLatest(t, sys, other); ev.ActorID != "budi" || ev.Evidence == nil || ev.Evidence.Assessor != "ASR-009" || len(ev.Evidence.Units) != len(scheme) {
		t.Fatalf("the file's result in the read model: %+v", ev)
	}
	upload("upload the same file again")
	if got := text(t, ctx, "#results-counts"); !strings.Contains(got, "5 ditolak") {
		t.Errorf("the same file again: %q, want its 5 rows refused", got)
	}
	if evs, _ := sys.store.CaseEvents(t.Context(), other); countKind(evs, "assessment-result") != 1 {
		t.Errorf("the same file again recorded another result: %d", countKind(evs, "assessment-result"))
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
	shot.take(ctx, "03-phone-inbox-certification")
	run(t, ctx, "approve the certificate", chromedp.Click(css("#inbox-"+id+" button.approve")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "sertifikasi disetujui") {
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

// mustLatest is a case's latest assessment-result event in the read model, with its evidence.
func mustLatest(t *testing.T, sys *system, caseID string) store.Event {
	t.Helper()
	latest, err := sys.store.LatestEvents(t.Context(), []string{caseID}, "assessment-result")
	if err != nil {
		t.Fatal(err)
	}
	return latest[caseID]
}

// countKind counts the events of kind.
func countKind(evs []store.Event, kind string) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}
