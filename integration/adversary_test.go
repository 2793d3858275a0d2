package integration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The adversary of issue 14: someone who can talk to Temporal directly, around the API, with
// the SDK's default (unencrypted) converter — a plain go.temporal.io/sdk client — and who has
// found signed claims in a history. Every attempt is refused and leaves the case or the
// agreement, and the read model, as they were. The claim attacks are also sent sealed with
// kompeten's payload keys (an insider holding them but not the actor key), so each check is
// seen to hold on its own and not only because the payload was plain.
func TestAdversaryAroundTheAPI(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	sys := startSystem(t, cfg)
	ctx := context.Background()
	plain, err := client.Dial(client.Options{HostPort: sys.server.HostPort(), Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(plain.Close)
	senders := map[string]client.Client{"plain": plain, "sealed": sys.tc}

	// A case in training whose centre admin recorded no absence through the API.
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-ADV-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(time.Hour).Format(time.RFC3339),
		Hours: 240, AutoApprove: true})
	caseID := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 1))[0]
	c := sys.caseIn(caseID, vocab.StageTraining, 30*time.Second)
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	zero := 0
	if _, err := sys.client().RecordAttendance(ctx, caseID, workflows.Attendance{Actor: admin, Absent: &zero}); err != nil {
		t.Fatalf("attendance through the API: %v", err)
	}
	captured := capturedUpdate[workflows.Attendance](t, sys, c.WorkflowID, workflows.UpdateRecordAttendance)
	if captured.Actor.Signature == "" {
		t.Fatal("the accepted attendance carries no claim to capture")
	}
	// update sends an attendance update to the case and returns its answer, having checked that
	// the case (workflow state, read-model row and event log) is as it was before.
	update := func(t *testing.T, via client.Client, arg any) error {
		t.Helper()
		before := snapshotCase(t, sys, caseID)
		defer func() {
			if after := snapshotCase(t, sys, caseID); !reflect.DeepEqual(after, before) {
				t.Errorf("the case changed: version %d → %d, %d → %d events, absent %v → %v",
					before.Row.Version, after.Row.Version, len(before.Events), len(after.Events),
					deref(before.State.Training.Absent), deref(after.State.Training.Absent))
			}
		}()
		h, err := via.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: c.WorkflowID, UpdateName: workflows.UpdateRecordAttendance,
			Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		return err
	}
	// A plain client cannot read the refusal (kompeten seals failure messages); the sealed one
	// must be refused for the reason the attack deserves.
	refused := func(t *testing.T, sender string, err error, because string) {
		t.Helper()
		switch {
		case err == nil:
			t.Errorf("%s: accepted", sender)
		case sender == "sealed" && !strings.Contains(err.Error(), because):
			t.Errorf("%s: refused for another reason than %q: %v", sender, because, err)
		default:
			t.Logf("%s: refused: %v", sender, err)
		}
	}

	t.Run("captured claim with a changed argument", func(t *testing.T) {
		one := 1
		changed := captured
		changed.Absent = &one
		for name, via := range senders {
			refused(t, name, update(t, via, changed), "not signed by kompeten's API")
		}
	})
	t.Run("claim resent twice", func(t *testing.T) {
		for name, via := range senders {
			refused(t, name, update(t, via, captured), "taken already")
		}
	})
	t.Run("claim past its window", func(t *testing.T) {
		one := 1
		stale, err := starter.SignActor([]byte(cfg.Security.ActorKey), c.WorkflowID, workflows.UpdateRecordAttendance,
			workflows.Attendance{Actor: admin, Absent: &one}, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for name, via := range senders {
			refused(t, name, update(t, via, stale), "longer than the claim window")
		}
	})
	t.Run("plain update", func(t *testing.T) {
		one := 1
		refused(t, "plain", update(t, plain, workflows.Attendance{Actor: admin, Absent: &one}), "")
	})

	t.Run("plain agreement signal", func(t *testing.T) {
		if _, err := sys.svc.StartAgreementWorkflows(ctx); err != nil {
			t.Fatal(err)
		}
		mou := store.SeedMoUNumber("BPVP-SDA", "LSP-BLK-SBY", time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC))
		sys.agreementIs(mou, "tracked by its workflow", func(a store.Agreement) bool { return a.Version >= 1 })
		today := time.Now().UTC().Truncate(24 * time.Hour)
		const pks = "PKS/IT-ADV/BLK-SBY/LSP-BLK-SBY"
		coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
		if _, err := sys.svc.CreateAgreement(ctx, starter.NewAgreement{Number: pks, Kind: agreement.KindPKS, Parent: mou,
			ValidFrom: today, ValidUntil: today.AddDate(0, 6, 0), Scope: workflows.Scope{Centres: []string{"BLK-SBY"}},
			Sign: &workflows.SignRequest{SignedOn: today, Signatories: []string{"Kepala BLK Surabaya"}}, Actor: coordinator}); err != nil {
			t.Fatal(err)
		}
		row := sys.agreementIs(pks, "active", func(a store.Agreement) bool { return a.Status == agreement.Active })
		beforeEvents := agreementEvents(t, sys, pks)
		yesterday := today.AddDate(0, 0, -1)
		for _, via := range senders {
			if err := via.SignalWorkflow(ctx, workflows.MoUWorkflowID(pks), "", workflows.SignalMoUParentChanged, workflows.ParentChange{
				Parent: mou, Status: agreement.Terminated, LastDay: yesterday, TerminatedOn: &today, Reason: "forged"}); err != nil {
				t.Fatal(err)
			}
		}
		// A real change after it: once it is in the read model, the forged signal has been judged.
		until := today.AddDate(0, 5, 0)
		if _, err := sys.svc.AmendAgreement(ctx, pks, workflows.Amendment{Actor: coordinator, ValidUntil: &until, Note: "shorter"}); err != nil {
			t.Fatalf("a real amendment after the forged signal: %v", err)
		}
		after := sys.agreementIs(pks, "amended", func(a store.Agreement) bool { return a.Version > row.Version })
		if after.Status != agreement.Active || after.TerminatedOn != nil || !after.ValidUntil.Equal(until) {
			t.Errorf("the forged signal changed the PKS: status %s, terminated on %v, until %s", after.Status, after.TerminatedOn, after.ValidUntil.Format(time.DateOnly))
		}
		for _, e := range agreementEvents(t, sys, pks)[len(beforeEvents):] {
			if e.Kind != "amended" {
				t.Errorf("the forged signal left an event: %s %q", e.Kind, e.Detail)
			}
		}
		// The replay test judges the forged news again from this history: refused again.
		recordWorkflows(t, sys, map[string]string{"pks-forged-news-refused": workflows.MoUWorkflowID(pks)})
	})

	t.Run("plain MoU start", func(t *testing.T) {
		const number = "MOU/IT-ADV/FORGED/2035"
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		signed := from
		id := workflows.MoUWorkflowID(number)
		run, err := plain.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: cfg.Temporal.TaskQueue}, workflows.MoUWorkflowName,
			workflows.MoUInput{State: workflows.MoUState{Number: number, Kind: agreement.KindMoU, PartnerCode: "LSP-BLK-SBY",
				Status: agreement.Signed, SignedOn: &signed, Signatories: []string{"Mallory"}, ValidFrom: from,
				ValidUntil: time.Date(2035, 12, 31, 0, 0, 0, 0, time.UTC), Origin: "created"}})
		if err != nil {
			t.Fatal(err)
		}
		endsRefused(t, sys, id, run.GetRunID())
		recordWorkflows(t, sys, map[string]string{"mou-start-refused": id})
		if a, err := sys.store.GetAgreement(ctx, number); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the forged MoU is in the read model: %+v (%v)", a, err)
		}
		var list []store.Agreement
		if code := sys.call("GET", "/api/v1/mous", nil, &list); code != http.StatusOK {
			t.Fatalf("mou list: HTTP %d", code)
		}
		for _, a := range list {
			if a.Number == number {
				t.Errorf("mou list shows the forged MoU: %+v", a)
			}
		}
	})

	t.Run("plain journey start", func(t *testing.T) {
		in := workflows.JourneyInput{CaseID: "aaaaaaaaaa", NIKHash: "forged", PackageCode: pkg.Code, CentreCode: "BLK-SBY",
			LSPCode: "LSP-BLK-SBY", InsurerCode: "BPJSTK-JATIM", Scheme: "SKM-LAS", Start: pkg.StartDate, End: pkg.EndDate,
			TrainingDays: 1, Capacity: 16, AttendanceMin: 0.8, AutoApprove: true, Settings: starter.SettingsFrom(cfg),
			Revision: workflows.CurrentRevision}
		id := workflows.WorkflowIDFor(pkg.Code, "forged")
		run, err := plain.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: cfg.Temporal.TaskQueue}, workflows.JourneyWorkflowName, in)
		if err != nil {
			t.Fatal(err)
		}
		endsRefused(t, sys, id, run.GetRunID())
		recordWorkflows(t, sys, map[string]string{"journey-start-refused": id})
		if got, err := sys.store.GetCase(ctx, in.CaseID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the forged journey is in the read model: %+v (%v)", got, err)
		}
	})
}

// caseSnapshot is everything a refused message must leave as it was: the read model's row and
// event log, and the journey's own state.
type caseSnapshot struct {
	Row    store.Case
	Events []store.Event
	State  workflows.CaseState
}

func snapshotCase(t *testing.T, sys *system, caseID string) caseSnapshot {
	t.Helper()
	ctx := context.Background()
	row, err := sys.store.GetCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := sys.store.CaseEvents(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sys.svc.State(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	// The stage clock and the stuck marks move with time, not with messages.
	row.UpdatedAt = time.Time{}
	return caseSnapshot{Row: row, Events: evs, State: st}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func agreementEvents(t *testing.T, sys *system, number string) []store.AgreementEvent {
	t.Helper()
	evs, err := sys.store.AgreementEvents(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// capturedUpdate is the argument of the last accepted update of that name in a workflow's
// history, decrypted: what a reader of the history holds.
func capturedUpdate[T any](t *testing.T, sys *system, workflowID, name string) T {
	t.Helper()
	ring, err := temporalclient.Keyring(sys.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var dc converter.DataConverter = codec.DataConverter(ring)
	var out T
	found := false
	it := sys.tc.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		req := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest()
		if req.GetInput().GetName() != name {
			continue
		}
		if err := dc.FromPayloads(req.GetInput().GetArgs(), &out); err != nil {
			t.Fatal(err)
		}
		found = true
	}
	if !found {
		t.Fatalf("no accepted %s in the history of %s", name, workflowID)
	}
	return out
}

// endsRefused waits for a workflow started around the API to close, failed at its first task
// as "not started by kompeten".
func endsRefused(t *testing.T, sys *system, workflowID, runID string) {
	t.Helper()
	var status enumspb.WorkflowExecutionStatus
	var events int64
	eventually(t, 20*time.Second, workflowID+" closed", func() (bool, string) {
		d, err := sys.tc.DescribeWorkflowExecution(context.Background(), workflowID, runID)
		if err != nil {
			return false, err.Error()
		}
		status = d.GetWorkflowExecutionInfo().GetStatus()
		events = d.GetWorkflowExecutionInfo().GetHistoryLength()
		return status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, fmt.Sprintf("%s after %d events", status, events)
	})
	if status != enumspb.WORKFLOW_EXECUTION_STATUS_FAILED {
		t.Fatalf("%s ended %s, want failed at its first task", workflowID, status)
	}
	err := sys.tc.GetWorkflow(context.Background(), workflowID, runID).Get(context.Background(), nil)
	if err == nil || !containsText(err, "not started by kompeten") {
		t.Errorf("%s failed with %v, want \"not started by kompeten\"", workflowID, err)
	}
}

func containsText(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}
