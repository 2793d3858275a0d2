package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// kompeten doctor finds a read-model row that no longer says what the workflow says, leaves it
// alone without --repair, rewrites it from the workflow's state with --repair, and finds
// nothing afterwards; it asks the API (POST /api/v1/doctor), as the command does.
func TestDoctorFindsAndRepairsDrift(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	c := enrolOne(t, sys, "IT-DOC-1", "BLK-SBY")
	ctx := context.Background()

	clean, err := sys.client().Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(clean.Drifts) != 0 || clean.Checked < 1 {
		t.Fatalf("before corruption: %d checked, drifts %+v", clean.Checked, clean.Drifts)
	}

	// A hand edit (or a lost write) makes the row lie: another stage, nobody waited on, stuck.
	if _, err := sys.store.Pool().Exec(ctx,
		`UPDATE cases SET stage = 'placement', waiting_on = '', stuck = true, stuck_code = 'x' WHERE case_id = $1`, c.CaseID); err != nil {
		t.Fatal(err)
	}
	found, err := sys.client().Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Drifts) != 1 || found.Drifts[0].CaseID != c.CaseID || found.Drifts[0].Repaired ||
		!strings.Contains(found.Drifts[0].Problem, `stage: read model "placement", workflow "enrolment"`) {
		t.Fatalf("drift report %+v", found.Drifts)
	}
	if row, _ := sys.store.GetCase(ctx, c.CaseID); row.Stage != "placement" {
		t.Fatalf("doctor without --repair changed the row: stage %s", row.Stage)
	}

	fixed, err := sys.client().Doctor(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed.Drifts) != 1 || !fixed.Drifts[0].Repaired {
		t.Fatalf("repair report %+v", fixed.Drifts)
	}
	row, err := sys.store.GetCase(ctx, c.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Stage != vocab.StageEnrolment || row.WaitingOn != vocab.WaitingCentreAdmin || row.Stuck || row.Version != c.Version {
		t.Fatalf("repaired row: stage %s waiting %s stuck %v version %d (was %d)", row.Stage, row.WaitingOn, row.Stuck, row.Version, c.Version)
	}
	after, err := sys.client().Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Drifts) != 0 {
		t.Fatalf("after repair: drifts %+v", after.Drifts)
	}
}

// A read-model row deleted by hand (or lost) leaves its case answering 404 to the approval it
// waits for; doctor reports the running journey without a row, and --repair recreates the row
// from the workflow's state and start input, after which the case reads and takes its
// approval again.
func TestDoctorRecreatesADeletedRow(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	c := enrolOne(t, sys, "IT-DOC-2", "BLK-SBY")
	ctx := context.Background()
	if _, err := sys.store.Pool().Exec(ctx, `DELETE FROM cases WHERE case_id = $1`, c.CaseID); err != nil {
		t.Fatal(err)
	}
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	approve := workflows.EnrolmentDecision{Actor: admin, Approve: true}
	var e api.ErrorBody
	if code := sys.call("POST", "/api/v1/cases/"+c.CaseID+"/enrolment", approve, &e); code != http.StatusNotFound {
		t.Fatalf("approval with the row gone: HTTP %d %q, want 404", code, e.Error)
	}

	found, err := sys.client().Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Drifts) != 1 || found.Drifts[0].WorkflowID != c.WorkflowID || found.Drifts[0].Repaired ||
		!strings.Contains(found.Drifts[0].Problem, "missing from the read model") {
		t.Fatalf("drift report %+v", found.Drifts)
	}
	fixed, err := sys.client().Doctor(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed.Drifts) != 1 || !fixed.Drifts[0].Repaired || fixed.Drifts[0].CaseID != c.CaseID {
		t.Fatalf("repair report %+v", fixed.Drifts)
	}
	row, err := sys.store.GetCase(ctx, c.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if row.WorkflowID != c.WorkflowID || row.NIKHash != c.NIKHash || row.NIKHash == "" || row.PackageCode != c.PackageCode ||
		row.CentreCode != c.CentreCode || row.Stage != vocab.StageEnrolment || row.WaitingOn != vocab.WaitingCentreAdmin || row.Version != c.Version {
		t.Fatalf("recreated row %+v, was %+v", row, c)
	}
	if after, err := sys.client().Doctor(ctx, false); err != nil || len(after.Drifts) != 0 {
		t.Fatalf("after repair: %v drifts %+v", err, after.Drifts)
	}
	var ur workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+c.CaseID+"/enrolment", approve, &ur); code != http.StatusOK {
		t.Fatalf("approval after repair: HTTP %d %+v", code, ur)
	}
	sys.caseIn(c.CaseID, vocab.StageInsurance, 30*time.Second)
}
