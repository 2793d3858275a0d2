package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Issue 16 point 1 through the HTTP API on the embedded server: a package with three running
// journeys (one approved by a person, two waiting for a centre admin) gets new dates, a lower
// minimum, automatic approval and another LSP. Every journey is told and answers; the two waiting
// ones are approved automatically; the approved one keeps its decision and says so; each timeline
// has a package-changed event saying what it applied and what not; the read model names the new
// LSP; the edit is audited with each case's answer. Values no journey could apply are refused
// with the reason and change nothing. The same values again resend it, and change nothing more.
func TestPackageEditReachesRunningJourneys(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	ctx := context.Background()
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-EDIT-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY", Capacity: 10,
		Start: now.Add(10 * time.Minute).Format(time.RFC3339), End: now.Add(11 * time.Minute).Format(time.RFC3339), Hours: 240,
		AttendanceMin: 0.8,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-EDIT-1/enrolments", api.EnrolRequest{People: validPeople(t, pkg.StartDate, 3)}, &enrolled); code != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", code)
	}
	ids := make([]string, len(enrolled.Results))
	for i, r := range enrolled.Results {
		if r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted {
			t.Fatalf("person %d: outcome %s (%s)", i, r.Outcome, r.Error)
		}
		ids[i] = r.CaseID
	}
	for _, id := range ids {
		eventually(t, 20*time.Second, "waiting on the centre admin", func() (bool, string) {
			c, _ := sys.store.GetCase(ctx, id)
			return c.WaitingOn == vocab.WaitingCentreAdmin, string(c.WaitingOn)
		})
	}
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	var res workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+ids[0]+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true}, &res); code != http.StatusOK {
		t.Fatalf("approve %s: HTTP %d", ids[0], code)
	}
	sys.caseIn(ids[0], vocab.StageTraining, 20*time.Second)

	// Refused: nothing any journey could apply, in the API's words; nothing saved or audited.
	refusals := map[string]api.PackageUpdate{
		"hours must be at least 1, got 0":   {Hours: ptr(0)},
		"end date is before the start date": {End: ptr(now.Add(5 * time.Minute).Format(time.RFC3339))},
		"scheme cannot change (SKM-LAS)":    {Scheme: ptr("SKM-LAS-TIG")},
		"start " + now.Add(-time.Hour).In(sys.svc.Location()).Format(time.DateOnly) + " is in the past": {Start: ptr(now.Add(-time.Hour).Format(time.RFC3339))},
		"unknown LSP \"LSP-NOPE\"": {LSP: ptr("LSP-NOPE")},
	}
	for want, u := range refusals {
		var eb api.ErrorBody
		if code := sys.call("PATCH", "/api/v1/packages/IT-EDIT-1", u, &eb); code != http.StatusUnprocessableEntity || !strings.Contains(eb.Error, want) {
			t.Errorf("PATCH %+v: HTTP %d %q, want 422 with %q", u, code, eb.Error, want)
		}
	}
	if edits, err := sys.store.ListPackageEdits(ctx, "IT-EDIT-1"); err != nil || len(edits) != 0 {
		t.Fatalf("refused edits audited: %+v, %v", edits, err)
	}

	newStart, newEnd := now.Add(20*time.Minute).Truncate(time.Second), now.Add(22*time.Minute).Truncate(time.Second)
	var edited starter.PackageEdited
	if code := sys.call("PATCH", "/api/v1/packages/IT-EDIT-1", api.PackageUpdate{
		Start: ptr(newStart.Format(time.RFC3339)), End: ptr(newEnd.Format(time.RFC3339)), AttendanceMin: ptr(0.7),
		AutoApprove: ptr(true), LSP: ptr("LSP-BLK-SDA"), Hours: ptr(200),
	}, &edited); code != http.StatusOK {
		t.Fatalf("edit: HTTP %d", code)
	}
	if len(edited.Changes) != 6 || !edited.Package.StartDate.Equal(newStart) || edited.Package.LSPCode != "LSP-BLK-SDA" || edited.Package.Hours != 200 {
		t.Errorf("edit answer: %+v", edited)
	}
	// The agreement check of the edit is the form's (the preview's) on the new values.
	var pv api.PackagePreview
	if code := sys.call("POST", "/api/v1/packages/preview", api.PackageRequest{Code: "IT-EDIT-1", Centre: "BLK-SBY", Trade: "Las",
		Scheme: "SKM-LAS", LSP: "LSP-BLK-SDA", Capacity: 10, Start: newStart.Format(time.RFC3339), End: newEnd.Format(time.RFC3339),
		Hours: 200, AttendanceMin: 0.7}, &pv); code != http.StatusOK || strings.Join(pv.Warnings, "; ") != strings.Join(edited.Warnings, "; ") {
		t.Errorf("edit warned %v, the preview of the same values %v (HTTP %d)", edited.Warnings, pv.Warnings, code)
	}
	if len(edited.Cases) != 3 {
		t.Fatalf("cases told: %+v", edited.Cases)
	}
	answers := map[string]store.PackageEditCase{}
	for _, c := range edited.Cases {
		if c.Outcome != starter.NoticeSent {
			t.Errorf("case %s: %s: %s", c.CaseID, c.Outcome, c.Message)
		}
		answers[c.CaseID] = c
	}
	if m := answers[ids[0]].Message; !strings.Contains(m, "applied: training from") || !strings.Contains(m, "minimum attendance 70% (was 80%)") ||
		!strings.Contains(m, "LSP LSP-BLK-SDA (was LSP-BLK-SBY)") || !strings.Contains(m, "not applied: insurance coverage stays") ||
		!strings.Contains(m, "automatic approval on: the enrolment was already decided") {
		t.Errorf("approved case's answer: %q", m)
	}
	for _, id := range ids[1:] {
		if m := answers[id].Message; !strings.Contains(m, "automatic approval on: the enrolment was approved") {
			t.Errorf("waiting case %s's answer: %q", id, m)
		}
	}

	// The read model: each timeline says it, the waiting ones are approved, the LSP is new.
	for _, id := range ids {
		e := sys.eventSeen(id, "package-changed", 20*time.Second)
		if e.ActorRole != vocab.RoleCoordinator || !strings.Contains(e.Detail, "package IT-EDIT-1 changed; applied:") {
			t.Errorf("case %s package-changed event: %+v", id, e)
		}
		eventually(t, 20*time.Second, "the new LSP in the read model", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, id)
			if err != nil {
				return false, err.Error()
			}
			return c.LSPCode == "LSP-BLK-SDA", c.LSPCode
		})
	}
	for _, id := range ids[1:] {
		e := sys.eventSeen(id, "enrolment-approved", 20*time.Second)
		if !strings.Contains(e.Detail, "approved automatically") {
			t.Errorf("case %s approval: %q", id, e.Detail)
		}
		c := sys.caseIn(id, vocab.StageTraining, 20*time.Second)
		if c.WaitingOn == vocab.WaitingCentreAdmin {
			t.Errorf("case %s still waits for a centre admin", id)
		}
	}

	edits, err := sys.store.ListPackageEdits(ctx, "IT-EDIT-1")
	if err != nil || len(edits) != 1 {
		t.Fatalf("audit: %+v, %v", edits, err)
	}
	if e := edits[0]; e.Old.LSP != "LSP-BLK-SBY" || e.New.LSP != "LSP-BLK-SDA" || e.Old.AttendanceMin != 0.8 || e.New.AttendanceMin != 0.7 ||
		e.EditedBy == "" || e.Role != string(vocab.RoleCoordinator) || len(e.Cases) != 3 {
		t.Errorf("audit row: %+v", e)
	}

	// The same values again resend the change (how a case an outage missed gets it): every case
	// has them, answers so and writes nothing; the resend is audited too.
	var again starter.PackageEdited
	if code := sys.call("PATCH", "/api/v1/packages/IT-EDIT-1", api.PackageUpdate{AttendanceMin: ptr(0.7), LSP: ptr("LSP-BLK-SDA")}, &again); code != http.StatusOK {
		t.Fatalf("resend: HTTP %d", code)
	}
	if len(again.Cases) != 3 {
		t.Fatalf("resend told %+v", again.Cases)
	}
	for _, c := range again.Cases {
		if c.Outcome != starter.NoticeSent || !strings.Contains(c.Message, "nothing to apply") {
			t.Errorf("resend to %s: %s: %s", c.CaseID, c.Outcome, c.Message)
		}
	}
	for _, id := range ids {
		evs, err := sys.store.CaseEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Kind == "package-changed" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("case %s has %d package-changed events after the resend, want 1", id, n)
		}
	}
	if edits, err := sys.store.ListPackageEdits(ctx, "IT-EDIT-1"); err != nil || len(edits) != 2 {
		t.Errorf("audit after the resend: %d rows, %v; want 2", len(edits), err)
	}

	// End the journeys so their histories are whole, and keep one for the replay test.
	for _, id := range ids {
		if code := sys.call("POST", "/api/v1/cases/"+id+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "end of test"}, &res); code != http.StatusOK {
			t.Fatalf("withdraw %s: HTTP %d", id, code)
		}
		sys.caseIn(id, vocab.StageClosed, 20*time.Second)
	}
	recordHistories(t, sys, map[string]string{"journey-package-changed": ids[0], "journey-package-changed-auto-approved": ids[1]})
}

func ptr[T any](v T) *T { return &v }
