package worker

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The interceptor recomputes the case ID the API signed from the journey's workflow ID, and
// finds the actor in every journey update's argument.
func TestClaimInputsFromAJourney(t *testing.T) {
	wid := workflows.WorkflowIDFor("PKG-1", "abc123")
	got, ok := caseIDOf(wid)
	if !ok || got != workflows.CaseIDFor("PKG-1", "abc123") {
		t.Fatalf("case id of %s: %q %v", wid, got, ok)
	}
	if _, ok := caseIDOf("mou/MOU-1"); ok {
		t.Fatal("an agreement's workflow ID is not a journey's")
	}
	a := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	for _, arg := range []any{
		workflows.EnrolmentDecision{Actor: a}, workflows.Correction{Actor: a}, workflows.Attendance{Actor: a},
		workflows.Withdrawal{Actor: a}, workflows.AssessmentResult{Actor: a}, workflows.CertificationDecision{Actor: a},
		workflows.PlacementReport{Actor: a}, workflows.RefusalDecision{Actor: a}, workflows.NumberResolution{Actor: a},
	} {
		if got, ok := actorOf(arg); !ok || got != a {
			t.Errorf("%T: actor %+v %v", arg, got, ok)
		}
	}
	for _, arg := range []any{
		workflows.SignRequest{Actor: a}, workflows.Amendment{Actor: a}, workflows.RenewRequest{Actor: a}, workflows.Termination{Actor: a},
	} {
		if got, ok := actorOf(arg); !ok || got != a {
			t.Errorf("%T: actor %+v %v", arg, got, ok)
		}
	}
	if _, ok := actorOf("not an update"); ok {
		t.Fatal("an argument without an actor must not pass")
	}
}

// An agreement's claims are signed for its workflow ID, which no journey's can be mistaken for.
func TestClaimSubjectOfAnAgreement(t *testing.T) {
	wid := workflows.MoUWorkflowID("MOU/BPVP-SDA/LSP-BLK-SBY/2023")
	if got, ok := agreementOf(wid); !ok || got != wid {
		t.Fatalf("subject of %s: %q %v", wid, got, ok)
	}
	for _, bad := range []string{"mou/", workflows.WorkflowIDFor("PKG-1", "abc123"), "escalation/x"} {
		if got, ok := agreementOf(bad); ok {
			t.Errorf("%q is not an agreement's workflow ID, got subject %q", bad, got)
		}
	}
}

var testActorKey = []byte("worker-test-actor-key-0123456789abcdef")

// agreementEnv prepares one agreement workflow, ID mou/<number>, to run behind ActorCheck with
// its activities mocked, as a worker would run it.
func agreementEnv(t *testing.T, start time.Time, number string) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetWorkerOptions(sdkworker.Options{Interceptors: []interceptor.WorkerInterceptor{
		NewActorCheck(testActorKey, converter.GetDefaultDataConverter()),
	}})
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.MoUWorkflowID(number)})
	env.RegisterWorkflowWithOptions(workflows.MoU, workflow.RegisterOptions{Name: workflows.MoUWorkflowName})
	acts := &activities.Activities{}
	env.OnActivity(acts.SyncAgreement, mock.Anything, mock.Anything).Return(nil)
	env.OnActivity(acts.NotifyWaitingCases, mock.Anything, mock.Anything).Return(contract.NotifyResult{}, nil)
	env.OnActivity(acts.RemindCoordinator, mock.Anything, mock.Anything).Return(nil)
	env.OnActivity(acts.TellPKS, mock.Anything, mock.Anything).Return(contract.TellPKSResult{}, nil)
	return env
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

// An agreement update carries a claim signed by the API: unsigned, signed for another
// agreement, or signed with another key, it is refused before the workflow's validator runs
// and changes nothing; signed by starter as the API does, it is accepted.
func TestAgreementUpdateNeedsASignedActor(t *testing.T) {
	start := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	number := "MOU/TEST/LSP-LOGAM/2026"
	env := agreementEnv(t, start, number)

	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	req := workflows.SignRequest{Actor: coordinator, SignedOn: day(start), Signatories: []string{"Kepala BPVP Sidoarjo"}}
	sign := func(key []byte, subject string) workflows.SignRequest {
		t.Helper()
		v, err := starter.SignActor(key, subject, workflows.UpdateMoUSign, req, start)
		if err != nil {
			t.Fatal(err)
		}
		return v.(workflows.SignRequest)
	}
	forged := req
	forged.Actor.Signature = "v1.1767225600.bm90LWEtc2lnbmF0dXJl"
	refusedCases := map[string]*updateOutcome{
		"unsigned":                sendUpdate(env, time.Minute, workflows.UpdateMoUSign, req),
		"forged":                  sendUpdate(env, 2*time.Minute, workflows.UpdateMoUSign, forged),
		"for another agreement":   sendUpdate(env, 3*time.Minute, workflows.UpdateMoUSign, sign(testActorKey, workflows.MoUWorkflowID("MOU/OTHER"))),
		"signed with another key": sendUpdate(env, 4*time.Minute, workflows.UpdateMoUSign, sign([]byte("another-key-another-key-another-key!!"), workflows.MoUWorkflowID(number))),
		"for another update": func() *updateOutcome {
			v, err := starter.SignActor(testActorKey, workflows.MoUWorkflowID(number), workflows.UpdateMoUTerminate, req, start)
			if err != nil {
				t.Fatal(err)
			}
			return sendUpdate(env, 5*time.Minute, workflows.UpdateMoUSign, v)
		}(),
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
	}, 6*time.Minute)
	signed := sendUpdate(env, 7*time.Minute, workflows.UpdateMoUSign, sign(testActorKey, workflows.MoUWorkflowID(number)))

	env.ExecuteWorkflow(workflows.MoU, workflows.MoUInput{State: workflows.MoUState{Number: number, Kind: agreement.KindMoU,
		PartnerCode: "LSP-LOGAM", Status: agreement.Draft, ValidFrom: day(start).AddDate(0, 0, 1),
		ValidUntil: day(start).AddDate(0, 0, 20), Origin: "created"},
		Settings: workflows.MoUSettings{ReminderDays: []int{7}, Timezone: "Asia/Jakarta"}})

	for name, u := range refusedCases {
		if u.rejected == nil || u.accepted || !strings.Contains(u.rejected.Error(), "not signed by kompeten's API") {
			t.Errorf("%s: want refused as not signed, got accepted=%v rejected=%v", name, u.accepted, u.rejected)
		}
	}
	if stateBefore.Status != agreement.Draft || stateBefore.SignedOn != nil {
		t.Errorf("refused updates changed the agreement: status %s, signed %v", stateBefore.Status, stateBefore.SignedOn)
	}
	if !signed.accepted || !signed.completed || signed.err != nil || signed.rejected != nil {
		t.Fatalf("signed update: %+v", signed)
	}
	if !env.IsWorkflowCompleted() {
		t.Fatal("agreement workflow did not complete")
	}
	var final workflows.MoUState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != agreement.Expired || final.SignedOn == nil {
		t.Fatalf("signed agreement should run to its end: status %s signed %v", final.Status, final.SignedOn)
	}
}

// The news an MoU sends its PKS (mou-parent-changed, from its TellPKS activity) carries no
// actor and is kompeten's own: the check lets it through, and the PKS ends with its MoU.
func TestAgreementSystemSignalPasses(t *testing.T) {
	start := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	parentLast := day(start).AddDate(1, 0, 0)
	st := workflows.MoUState{Number: "PKS/TEST/1", Kind: agreement.KindPKS, Parent: "MOU/TEST/1", PartnerCode: "LSP-LOGAM",
		Status: agreement.Active, SignedOn: &parentLast, ValidFrom: day(start).AddDate(0, -1, 0), ValidUntil: parentLast,
		ParentLastDay: &parentLast, Origin: "seed"}
	env := agreementEnv(t, start, st.Number)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalMoUParentChanged, workflows.ParentChange{Parent: "MOU/TEST/1",
			Status: agreement.Terminated, LastDay: day(start), Reason: "licence suspended"})
	}, time.Hour)
	env.ExecuteWorkflow(workflows.MoU, workflows.MoUInput{State: st,
		Settings: workflows.MoUSettings{ReminderDays: []int{7}, Timezone: "Asia/Jakarta"}})
	if !env.IsWorkflowCompleted() {
		t.Fatal("PKS workflow did not complete")
	}
	var final workflows.MoUState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != agreement.Terminated {
		t.Fatalf("PKS should end with its MoU: status %s (reason %q)", final.Status, final.EndReason)
	}
}
