package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// signals records the signals an activity sends; workflows listed in closed answer NotFound.
// A signal without the worker's valid claim on it is recorded as unsigned.
type signals struct {
	mu     sync.Mutex
	sent   []string
	closed map[string]bool
	fail   map[string]bool
}

var testActorKey = []byte("activities-test-actor-key-0123456789abcdef")

func (s *signals) send(_ context.Context, workflowID, name string, arg any) error {
	if is, err := auth.VerifyArg(testActorKey, workflowID, name, arg); err != nil || is.Purpose != auth.PurposeWorker {
		name += " (unsigned)"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed[workflowID] {
		return serviceerror.NewNotFound("workflow execution already completed")
	}
	if s.fail[workflowID] {
		return errors.New("frontend unavailable")
	}
	s.sent = append(s.sent, workflowID+" "+name)
	return nil
}

func newActs(t *testing.T, sig *signals) (*activities.Activities, *store.Store) {
	t.Helper()
	_, st := testdb.NewMigrated(t)
	return &activities.Activities{Store: st, Agreements: activities.AgreementOptions{Signal: sig.send, ActorKey: testActorKey}}, st
}

func TestNotifyWaitingCasesSignalsOnlyWaitingJourneysInScope(t *testing.T) {
	ctx := context.Background()
	sig := &signals{closed: map[string]bool{"wf-gone": true}}
	a, st := newActs(t, sig)
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []store.Package{
		{Code: "P-LAS", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "LAS", LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16},
		{Code: "P-JAHIT", CentreCode: "BLK-SBY", Trade: "Jahit", Scheme: "JAHIT", LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16},
	} {
		if err := st.CreatePackage(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []store.Case{
		{CaseID: "c1", WorkflowID: "wf-c1", PackageCode: "P-LAS"},
		{CaseID: "c2", WorkflowID: "wf-gone", PackageCode: "P-LAS"},
		{CaseID: "c3", WorkflowID: "wf-c3", PackageCode: "P-JAHIT"}, // another scheme
	} {
		c.CentreCode, c.LSPCode, c.Stage, c.WaitingOn, c.Stuck, c.StuckCode, c.Version =
			"BLK-SBY", "LSP-BLK-SBY", "assessment", "agreement", true, "no-agreement", 1
		if err := st.UpsertCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.NotifyWaitingCases(ctx, contract.NotifyInput{Number: "MOU/NEW", PartnerCode: "LSP-BLK-SBY",
		Schemes: []string{"LAS"}, Signal: "agreement-changed"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Waiting != 2 || res.Signalled != 1 || len(sig.sent) != 1 || sig.sent[0] != "wf-c1 agreement-changed" {
		t.Fatalf("result %+v, sent %v", res, sig.sent)
	}

	// A failed signal fails the activity (it is retried as a whole) after trying the others.
	sig.fail = map[string]bool{"wf-c1": true}
	sig.sent = nil
	_, err = a.NotifyWaitingCases(ctx, contract.NotifyInput{Number: "MOU/NEW", PartnerCode: "LSP-BLK-SBY", Signal: "agreement-changed"})
	if err == nil || len(sig.sent) != 1 || sig.sent[0] != "wf-c3 agreement-changed" {
		t.Fatalf("err %v, sent %v", err, sig.sent)
	}
	if _, err := a.NotifyWaitingCases(ctx, contract.NotifyInput{Number: "X", PartnerCode: "NOPE"}); err == nil {
		t.Fatal("unknown partner accepted")
	}
}

func TestTellPKSSignalsLivePKSOnly(t *testing.T) {
	ctx := context.Background()
	sig := &signals{closed: map[string]bool{"mou/PKS/2": true}}
	a, st := newActs(t, sig)
	parent := store.SeedMoUNumber("BPVP-SDA", "LSP-BLK-SBY", time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC))
	for i, status := range []string{agreement.Active, agreement.Active, agreement.Expired} {
		if err := st.CreateAgreement(ctx, store.Agreement{Number: "PKS/" + string(rune('1'+i)), Kind: agreement.KindPKS, Parent: parent,
			PartnerCode: "LSP-BLK-SBY", Status: status, ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			ValidUntil: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.TellPKS(ctx, contract.TellPKSInput{Change: contract.ParentChange{Parent: parent, Status: agreement.Terminated},
		Signal: "mou-parent-changed", WorkflowIDPrefix: "mou/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Told) != 1 || res.Told[0] != "PKS/1" || len(sig.sent) != 1 || sig.sent[0] != "mou/PKS/1 mou-parent-changed" {
		t.Fatalf("told %v, sent %v", res.Told, sig.sent)
	}
}

func TestRemindCoordinatorWebhook(t *testing.T) {
	var got []contract.ReminderInput
	var keys []string
	status := http.StatusNoContent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in contract.ReminderInput
		_ = json.NewDecoder(r.Body).Decode(&in)
		got = append(got, in)
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		w.WriteHeader(status)
	}))
	defer srv.Close()
	a := &activities.Activities{Agreements: activities.AgreementOptions{ReminderWebhook: srv.URL}}
	in := contract.ReminderInput{Number: "MOU/1", PartnerCode: "LSP-BLK-SBY", DaysLeft: 30, Key: "MOU/1/2028-01-18/30"}
	if err := a.RemindCoordinator(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].DaysLeft != 30 || keys[0] != "MOU/1/2028-01-18/30" {
		t.Fatalf("webhook got %+v keys %v", got, keys)
	}
	status = http.StatusServiceUnavailable
	if err := a.RemindCoordinator(context.Background(), in); err == nil {
		t.Fatal("a failing webhook must fail the activity (it is retried)")
	}
	// Without a webhook the reminder is only logged.
	if err := (&activities.Activities{}).RemindCoordinator(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}
