package worker

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The interceptor recomputes the case ID a v1 claim was signed for from the journey's workflow ID.
func TestLegacyClaimSubjectOfAJourney(t *testing.T) {
	wid := workflows.WorkflowIDFor("PKG-1", "abc123")
	got, ok := caseIDOf(wid)
	if !ok || got != workflows.CaseIDFor("PKG-1", "abc123") {
		t.Fatalf("case id of %s: %q %v", wid, got, ok)
	}
	if _, ok := caseIDOf("mou/MOU-1"); ok {
		t.Fatal("an agreement's workflow ID is not a journey's")
	}
}

// Every journey and agreement update argument has a place for the API's claim.
func TestEveryUpdateCarriesAClaim(t *testing.T) {
	a := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	for _, arg := range []any{
		workflows.EnrolmentDecision{Actor: a}, workflows.Correction{Actor: a}, workflows.Attendance{Actor: a},
		workflows.Withdrawal{Actor: a}, workflows.AssessmentResult{Actor: a}, workflows.CertificationDecision{Actor: a},
		workflows.PlacementReport{Actor: a}, workflows.RefusalDecision{Actor: a}, workflows.NumberResolution{Actor: a}, workflows.KPJDelivery{Actor: a},
		workflows.SignRequest{Actor: a}, workflows.Amendment{Actor: a}, workflows.RenewRequest{Actor: a}, workflows.Termination{Actor: a},
	} {
		if c, ok := auth.ClaimIn(arg); !ok || c.ActorID != a.ID || c.Role != a.Role {
			t.Errorf("%T: claim %+v %v", arg, c, ok)
		}
	}
	for _, arg := range []any{workflows.JourneyInput{}, workflows.MoUInput{}, workflows.ParentChange{}, workflows.AgreementNotice{}} {
		if c, ok := auth.ClaimIn(arg); !ok || c.ActorID != "" {
			t.Errorf("%T: claim %+v %v", arg, c, ok)
		}
	}
}

var testActorKey = []byte("worker-test-actor-key-0123456789abcdef")

// agreementEnv prepares one agreement workflow, ID mou/<number>, to run behind ActorCheck with
// its activities mocked and its payloads sealed, as a worker would run it. syncs counts the
// read-model writes.
func agreementEnv(t *testing.T, start time.Time, number string) (*testsuite.TestWorkflowEnvironment, *int) {
	t.Helper()
	ring, err := codec.NewKeyring([]codec.Key{{ID: "test", Raw: bytes.Repeat([]byte{7}, codec.KeySize)}})
	if err != nil {
		t.Fatal(err)
	}
	dc := codec.DataConverter(ring)
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetDataConverter(dc)
	env.SetWorkerOptions(sdkworker.Options{Interceptors: []interceptor.WorkerInterceptor{NewActorCheck(testActorKey, dc)}})
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.MoUWorkflowID(number)})
	env.RegisterWorkflowWithOptions(workflows.MoU, workflow.RegisterOptions{Name: workflows.MoUWorkflowName})
	acts := &activities.Activities{}
	syncs := new(int)
	env.OnActivity(acts.SyncAgreement, mock.Anything, mock.Anything).Return(func(context.Context, contract.SyncAgreementInput) error { *syncs++; return nil })
	env.OnActivity(acts.NotifyWaitingCases, mock.Anything, mock.Anything).Return(contract.NotifyResult{}, nil)
	env.OnActivity(acts.RemindCoordinator, mock.Anything, mock.Anything).Return(nil)
	env.OnActivity(acts.TellPKS, mock.Anything, mock.Anything).Return(contract.TellPKSResult{}, nil)
	return env, syncs
}

// signedStart is an agreement's input as the API starts it, its claim issued at at.
func signedStart(t *testing.T, in workflows.MoUInput, at time.Time) workflows.MoUInput {
	t.Helper()
	v, err := starter.SignActor(testActorKey, workflows.MoUWorkflowID(in.State.Number), auth.StartName(workflows.MoUWorkflowName), in, at)
	if err != nil {
		t.Fatal(err)
	}
	return v.(workflows.MoUInput)
}

type updateOutcome struct {
	accepted, completed bool
	rejected, err       error
}

func sendUpdate(env *testsuite.TestWorkflowEnvironment, after time.Duration, name string, arg any) *updateOutcome {
	u := new(updateOutcome)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept:   func() { u.accepted = true },
			OnReject:   func(err error) { u.rejected = err },
			OnComplete: func(_ any, err error) { u.completed, u.err = true, err },
		}, arg)
	}, after)
	return u
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func draft(number string, start time.Time) workflows.MoUInput {
	return workflows.MoUInput{State: workflows.MoUState{Number: number, Kind: agreement.KindMoU,
		PartnerCode: "LSP-LOGAM", Status: agreement.Draft, ValidFrom: day(start).AddDate(0, 0, 1),
		ValidUntil: day(start).AddDate(0, 0, 20), Origin: "created"},
		Settings: workflows.MoUSettings{ReminderDays: []int{7}, Timezone: "Asia/Jakarta", ClaimWindow: 5 * time.Minute}}
}

// A start kompeten did not sign — none, one for another workflow, another input, or one issued
// longer than the window before — ends the workflow at its first task with "not started by
// kompeten", having written nothing to the read model.
func TestAgreementStartNeedsKompetensClaim(t *testing.T) {
	start := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	number := "MOU/TEST/LSP-LOGAM/2026"
	in := draft(number, start)
	otherInput := in
	otherInput.State.ValidUntil = day(start).AddDate(10, 0, 0)
	forOther := signedStart(t, draft("MOU/OTHER", start), start)
	forOther.State = in.State
	changed := signedStart(t, in, start)
	changed.State.ValidUntil = otherInput.State.ValidUntil
	for name, arg := range map[string]workflows.MoUInput{
		"unsigned":         in,
		"another workflow": forOther,
		"changed input":    changed,
		"past its window":  signedStart(t, in, start.Add(-6*time.Minute)),
	} {
		t.Run(name, func(t *testing.T) {
			env, syncs := agreementEnv(t, start, number)
			env.ExecuteWorkflow(workflows.MoUWorkflowName, arg)
			var app *temporal.ApplicationError
			err := env.GetWorkflowError()
			if !errors.As(err, &app) || app.Type() != ErrTypeNotStarted || !strings.Contains(err.Error(), "not started by kompeten") {
				t.Fatalf("want the start refused, got %v", err)
			}
			if *syncs != 0 {
				t.Fatalf("a refused start wrote the read model %d times", *syncs)
			}
		})
	}
	env, syncs := agreementEnv(t, start, number)
	signed := in
	signed.State.Status, signed.State.SignedOn, signed.State.Signatories = agreement.Signed, &signed.State.ValidFrom, []string{"Kepala BPVP"}
	env.ExecuteWorkflow(workflows.MoUWorkflowName, signedStart(t, signed, start.Add(-time.Minute)))
	var final workflows.MoUState
	if err := env.GetWorkflowResult(&final); err != nil || final.Status != agreement.Expired || *syncs == 0 {
		t.Fatalf("a start the API signed: %s, error %v, %d writes", final.Status, err, *syncs)
	}
}

// An agreement update carries a claim the API signed for this agreement, this update and this
// argument: unsigned, forged, for another agreement, another update or another argument, signed
// with another key, past its window, or sent a second time, it is refused before the workflow's
// validator runs and changes nothing; signed by starter as the API does, it is accepted once.
func TestAgreementUpdateNeedsASignedActor(t *testing.T) {
	start := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	number := "MOU/TEST/LSP-LOGAM/2026"
	wid := workflows.MoUWorkflowID(number)
	env, _ := agreementEnv(t, start, number)

	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	req := workflows.SignRequest{Actor: coordinator, SignedOn: day(start), Signatories: []string{"Kepala BPVP Sidoarjo"}}
	sign := func(key []byte, subject, name string, arg workflows.SignRequest, at time.Time) workflows.SignRequest {
		t.Helper()
		v, err := starter.SignActor(key, subject, name, arg, at)
		if err != nil {
			t.Fatal(err)
		}
		return v.(workflows.SignRequest)
	}
	forged := req
	forged.Actor.Signature = "v2.api.1767225600.x.bm90LWEtc2lnbmF0dXJl"
	changed := sign(testActorKey, wid, workflows.UpdateMoUSign, req, start)
	changed.Signatories = []string{"Mallory"}
	good := sign(testActorKey, wid, workflows.UpdateMoUSign, req, start.Add(10*time.Minute))
	refused := map[string]*updateOutcome{
		"unsigned":                sendUpdate(env, time.Minute, workflows.UpdateMoUSign, req),
		"forged":                  sendUpdate(env, 2*time.Minute, workflows.UpdateMoUSign, forged),
		"for another agreement":   sendUpdate(env, 3*time.Minute, workflows.UpdateMoUSign, sign(testActorKey, workflows.MoUWorkflowID("MOU/OTHER"), workflows.UpdateMoUSign, req, start)),
		"signed with another key": sendUpdate(env, 4*time.Minute, workflows.UpdateMoUSign, sign([]byte("another-key-another-key-another-key!!"), wid, workflows.UpdateMoUSign, req, start)),
		"for another update":      sendUpdate(env, 5*time.Minute, workflows.UpdateMoUSign, sign(testActorKey, wid, workflows.UpdateMoUTerminate, req, start)),
		"another argument":        sendUpdate(env, 6*time.Minute, workflows.UpdateMoUSign, changed),
		"past its window":         sendUpdate(env, 7*time.Minute, workflows.UpdateMoUSign, sign(testActorKey, wid, workflows.UpdateMoUSign, req, start.Add(time.Minute))),
	}
	var stateBefore workflows.MoUState
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(workflows.QueryState)
		if err == nil {
			err = v.Get(&stateBefore)
		}
		if err != nil {
			t.Errorf("query: %v", err)
		}
	}, 8*time.Minute)
	signed := sendUpdate(env, 11*time.Minute, workflows.UpdateMoUSign, good)
	again := sendUpdate(env, 12*time.Minute, workflows.UpdateMoUSign, good)

	env.ExecuteWorkflow(workflows.MoUWorkflowName, signedStart(t, draft(number, start), start))

	for name, u := range refused {
		want, code := "not signed by kompeten's API", "refusal.claim-unsigned"
		if name == "past its window" {
			want, code = "longer than the claim window", "refusal.claim-expired"
		}
		if u.rejected == nil || u.accepted || !strings.Contains(u.rejected.Error(), want) {
			t.Errorf("%s: want refused (%s), got accepted=%v rejected=%v", name, want, u.accepted, u.rejected)
		}
		requireClaimRefusal(t, name, u.rejected, code)
	}
	if stateBefore.Status != agreement.Draft || stateBefore.SignedOn != nil {
		t.Errorf("refused updates changed the agreement: status %s, signed %v", stateBefore.Status, stateBefore.SignedOn)
	}
	if !signed.accepted || !signed.completed || signed.err != nil || signed.rejected != nil {
		t.Fatalf("signed update: %+v", signed)
	}
	if again.accepted || again.rejected == nil || !strings.Contains(again.rejected.Error(), "taken already") {
		t.Fatalf("the same claim a second time: %+v", again)
	}
	requireClaimRefusal(t, "the same claim a second time", again.rejected, "refusal.claim-taken")
	var final workflows.MoUState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != agreement.Expired || final.SignedOn == nil {
		t.Fatalf("signed agreement should run to its end: status %s signed %v", final.Status, final.SignedOn)
	}
}

// The news an MoU sends its PKS (mou-parent-changed) is taken only with the worker's claim on
// it: unsigned, signed as the API, for another argument or taken once already, it is dropped;
// the genuine one ends the PKS with its MoU.
func TestAgreementSignalNeedsTheWorkersClaim(t *testing.T) {
	start := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	parentLast := day(start).AddDate(1, 0, 0)
	st := workflows.MoUState{Number: "PKS/TEST/1", Kind: agreement.KindPKS, Parent: "MOU/TEST/1", PartnerCode: "LSP-LOGAM",
		Status: agreement.Active, SignedOn: &parentLast, ValidFrom: day(start).AddDate(0, -1, 0), ValidUntil: parentLast,
		ParentLastDay: &parentLast, Origin: "seed"}
	wid := workflows.MoUWorkflowID(st.Number)
	news := func(purpose string, reason string, at time.Time) workflows.ParentChange {
		id, _ := auth.NewClaimID()
		v, err := auth.SignArg(testActorKey, purpose, wid, workflows.SignalMoUParentChanged, workflows.ParentChange{Parent: "MOU/TEST/1",
			Status: agreement.Terminated, LastDay: day(start), Reason: reason}, at, id)
		if err != nil {
			t.Fatal(err)
		}
		return v.(workflows.ParentChange)
	}
	run := func(t *testing.T, msgs ...workflows.ParentChange) workflows.MoUState {
		t.Helper()
		env, _ := agreementEnv(t, start, st.Number)
		for i, m := range msgs {
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalMoUParentChanged, m) }, time.Duration(i+1)*time.Minute)
		}
		env.ExecuteWorkflow(workflows.MoUWorkflowName, signedStart(t, workflows.MoUInput{State: st,
			Settings: workflows.MoUSettings{ReminderDays: []int{7}, Timezone: "Asia/Jakarta"}}, start))
		var final workflows.MoUState
		if err := env.GetWorkflowResult(&final); err != nil {
			t.Fatal(err)
		}
		return final
	}
	genuine := news(auth.PurposeWorker, "licence suspended", start)
	changed := genuine
	changed.Reason = "forged"
	unsigned := genuine
	unsigned.Claim = ""
	for name, m := range map[string]workflows.ParentChange{
		"unsigned": unsigned, "signed as the API": news(auth.PurposeAPI, "api", start), "another argument": changed,
		"past its window": news(auth.PurposeWorker, "old", start.Add(-10*time.Minute)),
	} {
		t.Run(name, func(t *testing.T) {
			if final := run(t, m); final.Status == agreement.Terminated {
				t.Fatalf("the PKS took the signal: %s (%q)", final.Status, final.EndReason)
			}
		})
	}
	final := run(t, genuine)
	if final.Status != agreement.Terminated || !strings.Contains(final.EndReason, "licence suspended") {
		t.Fatalf("PKS should end with its MoU: status %s (reason %q)", final.Status, final.EndReason)
	}
}
