package integration

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// An agreement lives for years on the real stack: it continues as new once its history passes
// its limit, carrying its whole state (amendments, version, event numbering) into the next run;
// a PKS under it is shortened by its addendum and ends when terminated; a reminder goes out when
// an addendum brings the end within the reminder window; and a renewal starts the successor as
// its own workflow. With KOMPETEN_RECORD_HISTORIES=1 each of these histories is written for the
// replay test.
func TestAgreementContinuesAsNewAndRenews(t *testing.T) {
	cfg := fastConfig(t)
	sys := startSystem(t, cfg)
	ctx := context.Background()
	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	today, err := api.ParseDay("today", time.Now().In(sys.svc.Location()))
	if err != nil {
		t.Fatal(err)
	}
	const (
		mou       = "MOU/BPVP-SDA/LSP-BLK-SDA/2026"
		pks       = "PKS/BLK-PAS/LSP-BLK-SDA/2026"
		successor = "MOU/BPVP-SDA/LSP-BLK-SDA/2027"
	)

	// Started as the API starts one, but with a history limit small enough to be reached by a
	// few addenda (the default is 10,000 events).
	settings := sys.svc.MoUSettingsFrom()
	settings.HistoryLimit = 40
	in, err := starter.SignActor([]byte(cfg.Security.ActorKey), workflows.MoUWorkflowID(mou), auth.StartName(workflows.MoUWorkflowName),
		workflows.MoUInput{Settings: settings, State: workflows.MoUState{
			Number: mou, Kind: agreement.KindMoU, PartnerCode: "LSP-BLK-SDA", Status: agreement.Signed,
			SignedOn: &today, Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP BLK Sidoarjo"},
			ValidFrom: today, ValidUntil: today.AddDate(0, 0, 500), Scope: workflows.Scope{Schemes: []string{"SKM-LAS"}},
			Origin: "created",
		}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run, err := sys.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.MoUWorkflowID(mou), TaskQueue: cfg.Temporal.TaskQueue,
	}, workflows.MoUWorkflowName, in)
	if err != nil {
		t.Fatal(err)
	}
	sys.agreementIs(mou, "active", func(a store.Agreement) bool { return a.Status == agreement.Active })

	amend := func(until, ref string) {
		t.Helper()
		var res api.MoUActionResponse
		if code := sys.call("POST", mouURL(mou, "amend"), api.MoUAmendRequest{Actor: coordinator, Ref: ref, ValidUntil: until}, &res); code != http.StatusOK {
			t.Fatalf("amend %s: HTTP %d", ref, code)
		}
	}
	currentRun := func() string {
		t.Helper()
		d, err := sys.tc.DescribeWorkflowExecution(ctx, workflows.MoUWorkflowID(mou), "")
		if err != nil {
			t.Fatal(err)
		}
		return d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	}
	// The run continues as new in the workflow task that completes the update which took its
	// history past the limit, so the answer to that update already finds the new run.
	amended := 0
	for currentRun() == run.GetRunID() {
		if amended == 12 {
			t.Fatalf("no continue-as-new after %d addenda with a history limit of %d", amended, settings.HistoryLimit)
		}
		amended++
		amend("+"+strconv.Itoa(500-amended)+"d", "ADD/"+strconv.Itoa(amended))
	}
	t.Logf("continued as new after %d addenda (history limit %d)", amended, settings.HistoryLimit)
	state := func() workflows.MoUState {
		t.Helper()
		v, err := sys.tc.QueryWorkflow(ctx, workflows.MoUWorkflowID(mou), "", workflows.QueryState)
		if err != nil {
			t.Fatal(err)
		}
		var s workflows.MoUState
		if err := v.Get(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := state()
	if s.Runs != 1 || len(s.Amendments) != amended || s.Status != agreement.Active ||
		!s.ValidUntil.Equal(today.AddDate(0, 0, 500-amended)) || s.Amendments[amended-1].Ref != "ADD/"+strconv.Itoa(amended) {
		t.Fatalf("state after continue-as-new: runs=%d amendments=%d status=%s until=%s", s.Runs, len(s.Amendments), s.Status, s.ValidUntil.Format(time.DateOnly))
	}
	row := sys.agreementIs(mou, "written by the new run", func(a store.Agreement) bool { return a.Version == s.Version })
	events, err := sys.store.AgreementEvents(ctx, mou)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != s.Seq || row.Amendments != amended {
		t.Fatalf("read model after continue-as-new: %d events for sequence %d, %d amendments", len(events), s.Seq, row.Amendments)
	}

	// A PKS under it, then an addendum that ends the MoU before the PKS: the PKS is shortened.
	var e api.ErrorBody
	if code := sys.call("POST", "/api/v1/mous", api.MoURequest{Number: pks, Kind: agreement.KindPKS, Parent: mou,
		ValidFrom: "today", ValidUntil: "+300d", Centres: []string{"BLK-PAS"}, Schemes: []string{"SKM-LAS"},
		SignedOn: "today", Signatories: []string{"Kepala BLK Pasuruan"}, Actor: coordinator}, &e); code != http.StatusCreated {
		t.Fatalf("create the PKS: HTTP %d %s", code, e.Error)
	}
	sys.agreementIs(pks, "active", func(a store.Agreement) bool { return a.Status == agreement.Active })
	amend("+60d", "ADD/SHORT")
	sys.agreementIs(pks, "shortened with its MoU", func(a store.Agreement) bool {
		return a.ValidUntil.Equal(today.AddDate(0, 0, 60)) && len(a.Flags) > 0
	})
	// 61 days covered, today included: inside the 90-day reminder window at once.
	sys.agreementIs(mou, "reminded", func(a store.Agreement) bool { return a.Status == agreement.Expiring })

	// The PKS is terminated today: its workflow ends.
	var res api.MoUActionResponse
	if code := sys.call("POST", mouURL(pks, "terminate"), api.MoUTerminateRequest{Actor: coordinator, Reason: "centre closed for renovation"}, &res); code != http.StatusOK {
		t.Fatalf("terminate the PKS: HTTP %d", code)
	}
	sys.agreementIs(pks, "terminated", func(a store.Agreement) bool { return a.Status == agreement.Terminated })
	var ended workflows.MoUState
	if err := sys.tc.GetWorkflow(ctx, workflows.MoUWorkflowID(pks), "").Get(ctx, &ended); err != nil || ended.Status != agreement.Terminated {
		t.Fatalf("PKS workflow: %v, status %s", err, ended.Status)
	}

	// Renewed: the successor takes over the day after the MoU's last day, as its own workflow.
	if code := sys.call("POST", mouURL(mou, "renew"), api.MoURenewRequest{Actor: coordinator, Successor: successor,
		SignedOn: "today", Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP BLK Sidoarjo"},
		ValidFrom: "+61d", ValidUntil: "+800d"}, &res); code != http.StatusOK {
		t.Fatalf("renew: HTTP %d", code)
	}
	next := sys.agreementIs(successor, "signed by its own workflow", func(a store.Agreement) bool {
		return a.Version >= 1 && a.Status == agreement.Signed
	})
	old := sys.agreementIs(mou, "renewed", func(a store.Agreement) bool { return a.Successor == successor })
	if next.Predecessor != mou || !slices.Equal(next.Schemes, []string{"SKM-LAS"}) || len(old.Flags) != 0 {
		t.Fatalf("successor %+v; predecessor flags %v", next, old.Flags)
	}
	d, err := sys.tc.DescribeWorkflowExecution(ctx, workflows.MoUWorkflowID(successor), "")
	if err != nil {
		t.Fatal(err)
	}
	if info := d.GetWorkflowExecutionInfo(); info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING ||
		info.GetParentExecution().GetWorkflowId() != workflows.MoUWorkflowID(mou) {
		t.Fatalf("successor's workflow: %s, started by %q", info.GetStatus(), info.GetParentExecution().GetWorkflowId())
	}

	recordRuns(t, sys, "mou-continued-as-new", workflows.MoUWorkflowID(mou), run.GetRunID())
	recordWorkflows(t, sys, map[string]string{
		"mou-successor":  workflows.MoUWorkflowID(successor),
		"pks-terminated": workflows.MoUWorkflowID(pks),
	})
}
