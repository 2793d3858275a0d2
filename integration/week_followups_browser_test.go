package integration

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// actAs gives the name the pages act under (the pages without a login ask for it).
func actAs(t *testing.T, ctx context.Context, page, name string) {
	t.Helper()
	run(t, ctx, "act as "+name, chromedp.Navigate(page), chromedp.WaitVisible(css("#actor-name")),
		chromedp.SetValue(css("#actor-name"), name), chromedp.Submit(css("form.actor")), chromedp.WaitVisible(css("#flash")))
}

// certifyInABrowser is the LSP manager's part of the week at phone width: the full set of unit
// results of the first graduate entered on the case page (every unit K; the read model's
// assessment-result holds each unit and the assessor), the LSP's own results for the others,
// then every graduate's certificate approved from the inbox (the read model records each
// approval by the manager, and the certificates issued take the cases on to follow-up).
func certifyInABrowser(t *testing.T, sys *system, ctx context.Context, shot *shots, graduates []string) {
	t.Helper()
	id := graduates[0]
	v := assessmentWaiting(t, sys, id)
	units := v.State.Assessment.Schedule.Units
	if len(units) == 0 {
		units = v.State.Assessment.Units
	}
	actAs(t, ctx, sys.api.URL+"/cases/"+id, "budi")
	run(t, ctx, "open the result form", chromedp.Navigate(sys.api.URL+"/cases/"+id), chromedp.WaitVisible(css("#assess-form")))
	offered := read(t, ctx, "the form's units", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#assess-form input[name=unit]"), e => e.value)`))
	if len(units) == 0 || !slices.Equal(offered, units) {
		t.Fatalf("the result form offers units %v, the assessment has %v", offered, units)
	}
	for _, u := range units {
		run(t, ctx, "K for "+u, chromedp.Click(css(`#assess-form input[name="result.`+u+`"][value=K]`)))
	}
	run(t, ctx, "the assessor", chromedp.SetValue(css("#assessor-id"), "ASR-007"))
	shot.take(ctx, "07-phone-assessment-form")
	run(t, ctx, "send the results", chromedp.Click(css("#assess-submit")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, strconv.Itoa(len(units))+" K, 0 BK (asesor ASR-007)") {
		t.Fatalf("after the full set: %q", got)
	}
	sys.caseIn(id, vocab.StageCertification, 30*time.Second)
	if ev := mustLatest(t, sys, id); ev.ActorID != "budi" || ev.Evidence == nil || ev.Evidence.Assessor != "ASR-007" || len(ev.Evidence.Units) != len(units) {
		t.Fatalf("the manager's result in the read model: %+v", ev)
	} else {
		for _, u := range ev.Evidence.Units {
			if u.Result != "K" || !slices.Contains(units, u.Unit) {
				t.Errorf("unit %+v in the read model", u)
			}
		}
	}
	for _, g := range graduates {
		waitingOn(t, sys, g, vocab.StageCertification, vocab.WaitingLSPManager, 90*time.Second)
		run(t, ctx, "open the inbox for "+g, chromedp.Navigate(sys.api.URL+"/inbox?role=lsp-manager"), chromedp.WaitVisible(css("#inbox-"+g+" button.approve")))
		if g == id {
			shot.take(ctx, "08-phone-inbox-certification")
		}
		run(t, ctx, "approve the certificate of "+g, chromedp.Click(css("#inbox-"+g+" button.approve")), chromedp.WaitVisible(css("#flash")))
		if got := text(t, ctx, "#flash"); !strings.Contains(got, g+": sertifikasi disetujui") {
			t.Fatalf("after approving %s: %q", g, got)
		}
	}
	for _, g := range graduates {
		sys.caseIn(g, vocab.StagePlacement, 60*time.Second)
		evs, err := sys.store.CaseEvents(t.Context(), g)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e store.Event) bool {
			return e.Kind == "certification-approved" && e.ActorID == "budi" && e.ActorRole == vocab.RoleLSPManager
		}) {
			t.Errorf("%s: no certification approval by budi in the read model", g)
		}
	}
}

// followUpsInABrowser is the centre admin's follow-up calls on /followups at phone width: a
// formal placement (employer, start day) for the first graduate, self-employed for the second,
// "not reached" ticked for the third. The read model closes the first two placed with their
// outcomes (the journey holds the employer, the day and who reported it) and keeps the third
// in follow-up with the contact on its timeline.
func followUpsInABrowser(t *testing.T, sys *system, ctx context.Context, shot *shots, ids []string, today string) {
	t.Helper()
	formal, self, unreached := ids[0], ids[1], ids[2]
	base := sys.api.URL
	actAs(t, ctx, base+"/followups", "siti")
	open := func(what string) {
		t.Helper()
		run(t, ctx, what, chromedp.Navigate(base+"/followups"), chromedp.WaitVisible(css("#followup-"+unreached)))
	}
	open("open the follow-ups")
	for _, id := range ids {
		if n := read(t, ctx, "the card of "+id, chromedp.Evaluate[int](`document.querySelectorAll("#followup-`+id+`").length`)); n != 1 {
			t.Fatalf("the follow-ups page has %d cards for %s, want 1", n, id)
		}
	}
	if wide := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the follow-ups page is %d px wide on a 390 px phone", wide)
	}
	card := func(id, sel string) chromedp.CSS { return css("#followup-" + id + " " + sel) }
	run(t, ctx, "a formal placement", chromedp.SetValue(card(formal, "select[name=category]"), string(vocab.PlacementFormal)),
		chromedp.SetValue(card(formal, "input[name=employer]"), "PT Maju Jaya"), chromedp.SetValue(card(formal, "input[name=start]"), today))
	shot.take(ctx, "09-phone-followups")
	run(t, ctx, "record the formal placement", chromedp.Click(card(formal, "form.actions button")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.HasPrefix(got, formal+": ") || strings.Contains(got, "start:") {
		t.Fatalf("after the formal placement: %q", got)
	}
	open("back to the follow-ups")
	run(t, ctx, "self-employed", chromedp.SetValue(card(self, "select[name=category]"), string(vocab.PlacementSelfEmployed)),
		chromedp.Click(card(self, "form.actions button")), chromedp.WaitVisible(css("#flash")))
	if got := text(t, ctx, "#flash"); !strings.HasPrefix(got, self+": ") {
		t.Fatalf("after the self-employed report: %q", got)
	}
	open("back to the follow-ups")
	run(t, ctx, "tick the one not reached", chromedp.Click(card(unreached, "input.pick")), chromedp.Click(css("#not-reached-button")),
		chromedp.WaitVisible(css("#flash")))
	shot.take(ctx, "10-phone-not-reached")

	c := sys.caseIn(formal, vocab.StageClosed, 30*time.Second)
	if c.Outcome != vocab.OutcomePlacedFormal || c.PlacedOn == nil || c.PlacedOn.In(sys.svc.Location()).Format(time.DateOnly) != today {
		t.Errorf("the formal placement in the read model: outcome %s, placed on %v; want placed-formal on %s", c.Outcome, c.PlacedOn, today)
	}
	if employer, by, _ := placementOf(t, sys, formal); employer != "PT Maju Jaya" || by != "siti (centre-admin)" {
		t.Errorf("the journey's placement: employer %q by %q", employer, by)
	}
	if c := sys.caseIn(self, vocab.StageClosed, 30*time.Second); c.Outcome != vocab.OutcomeSelfEmployed {
		t.Errorf("the self-employed report closed the case %s", c.Outcome)
	}
	sys.eventSeen(unreached, "follow-up-contact", 30*time.Second)
	evs, err := sys.store.CaseEvents(t.Context(), unreached)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.Event) bool {
		return e.Kind == "follow-up-contact" && e.ActorID == "siti" && e.ActorRole == vocab.RoleCentreAdmin && e.Detail == "follow-up contact: not-reached"
	}) {
		t.Errorf("no not-reached contact by siti on the timeline of %s", unreached)
	}
	if c, err := sys.store.GetCase(t.Context(), unreached); err != nil || c.Stage != vocab.StagePlacement || c.Status != store.StatusOpen {
		t.Errorf("after not reached: %+v %v; want open in placement follow-up", c, err)
	}
}
