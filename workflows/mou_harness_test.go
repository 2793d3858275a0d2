package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// wib is the network's time zone: agreement days start at midnight there.
var wib = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}()

// date is a calendar day as the workflows keep it; midnightWIB is when that day starts.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
func midnightWIB(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, wib).UTC()
}
func dp(t time.Time) *time.Time { return &t }

var coordinator = wf.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}

func mouSettings() wf.MoUSettings {
	return wf.MoUSettings{ReminderDays: []int{90, 30, 7}, Timezone: "Asia/Jakarta", Coordinator: "BPVP-SDA"}
}

// activeMoU is an MoU with LSP-LOGAM in force since 2024, as the registry seed would start it.
func activeMoU(number string, until time.Time) wf.MoUState {
	return wf.MoUState{Number: number, Kind: agreement.KindMoU, PartnerCode: "LSP-LOGAM", Status: agreement.Active,
		SignedOn: dp(date(2024, 1, 2)), Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP Logam"},
		ValidFrom: date(2024, 1, 2), ValidUntil: until, Origin: "seed"}
}

// timed is one recorded activity call with the simulated time it was made.
type timed[T any] struct {
	in T
	at time.Time
}

// mouHarness runs one agreement workflow (and any successor it starts) with the activities
// mocked and every call recorded.
type mouHarness struct {
	t   *testing.T
	s   testsuite.WorkflowTestSuite
	env *testsuite.TestWorkflowEnvironment
	in  wf.MoUInput

	reminderDelay time.Duration
	reminderErr   error
	waiting       int // journeys the notify activity finds waiting

	mu        sync.Mutex
	syncs     []timed[contract.SyncAgreementInput]
	notifies  []timed[contract.NotifyInput]
	reminders []timed[contract.ReminderInput]
	tells     []timed[contract.TellPKSInput]

	result wf.MoUState
	err    error
}

func newMoUHarness(t *testing.T, start time.Time, state wf.MoUState) *mouHarness {
	h := &mouHarness{t: t, in: wf.MoUInput{State: state, Settings: mouSettings()}}
	h.s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 4}))))
	h.env = h.s.NewTestWorkflowEnvironment()
	h.env.SetStartTime(start)
	h.env.RegisterWorkflowWithOptions(wf.MoU, workflow.RegisterOptions{Name: wf.MoUWorkflowName})
	return h
}

func (h *mouHarness) now() time.Time { return h.env.Now().UTC() }

func (h *mouHarness) mockActivities() {
	acts := &activities.Activities{}
	h.env.OnActivity(acts.SyncAgreement, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.SyncAgreementInput) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.syncs = append(h.syncs, timed[contract.SyncAgreementInput]{in, h.now()})
			return nil
		})
	h.env.OnActivity(acts.NotifyWaitingCases, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.NotifyInput) (contract.NotifyResult, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.notifies = append(h.notifies, timed[contract.NotifyInput]{in, h.now()})
			return contract.NotifyResult{Waiting: h.waiting, Signalled: h.waiting}, nil
		})
	rem := h.env.OnActivity(acts.RemindCoordinator, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.ReminderInput) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			// A delayed mock runs at the end of its delay: the call was made that much earlier.
			h.reminders = append(h.reminders, timed[contract.ReminderInput]{in, h.now().Add(-h.reminderDelay)})
			return h.reminderErr
		})
	if h.reminderDelay > 0 {
		rem.After(h.reminderDelay)
	}
	h.env.OnActivity(acts.TellPKS, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.TellPKSInput) (contract.TellPKSResult, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.tells = append(h.tells, timed[contract.TellPKSInput]{in, h.now()})
			return contract.TellPKSResult{Told: []string{"PKS/1"}}, nil
		})
}

// run executes the workflow until it completes (or continues as new: see continued).
func (h *mouHarness) run() {
	h.t.Helper()
	h.mockActivities()
	h.env.ExecuteWorkflow(wf.MoU, h.in)
	require.True(h.t, h.env.IsWorkflowCompleted(), "agreement workflow did not complete")
	h.err = h.env.GetWorkflowError()
	if h.err == nil {
		require.NoError(h.t, h.env.GetWorkflowResult(&h.result))
	}
}

// continued returns the input the workflow continued as new with.
func (h *mouHarness) continued() wf.MoUInput {
	h.t.Helper()
	var can *workflow.ContinueAsNewError
	require.True(h.t, errors.As(h.err, &can), "expected continue-as-new, got %v", h.err)
	require.Equal(h.t, wf.MoUWorkflowName, can.WorkflowType.Name)
	var in wf.MoUInput
	require.NoError(h.t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &in))
	return in
}

func (h *mouHarness) at(t time.Time, fn func()) {
	h.t.Helper()
	d := t.Sub(h.env.Now())
	require.Positive(h.t, d, "callbacks must be after the start")
	h.env.RegisterDelayedCallback(fn, d)
}

func (h *mouHarness) updateAt(t time.Time, name string, arg any) *updateOutcome {
	u := new(updateOutcome)
	h.at(t, func() {
		u.sent = true
		h.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept:   func() { u.accepted = true },
			OnReject:   func(err error) { u.rejected = err },
			OnComplete: func(_ any, err error) { u.completed, u.err = true, err },
		}, arg)
	})
	return u
}

func (h *mouHarness) stateAt(t time.Time) *wf.MoUState {
	s := new(wf.MoUState)
	h.at(t, func() {
		v, err := h.env.QueryWorkflow(wf.QueryState)
		require.NoError(h.t, err)
		require.NoError(h.t, v.Get(s))
	})
	return s
}

// rows returns the rows written for one agreement, in version order.
func (h *mouHarness) rows(number string) []timed[contract.AgreementRow] {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []timed[contract.AgreementRow]
	for _, s := range h.syncs {
		if s.in.Agreement.Number == number {
			out = append(out, timed[contract.AgreementRow]{s.in.Agreement, s.at})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].in.Version < out[b].in.Version })
	return out
}

// statuses lists the distinct statuses an agreement's row went through, in order.
func (h *mouHarness) statuses(number string) []string {
	var out []string
	for _, r := range h.rows(number) {
		if len(out) == 0 || out[len(out)-1] != r.in.Status {
			out = append(out, r.in.Status)
		}
	}
	return out
}

// events returns an agreement's events in order.
func (h *mouHarness) events(number string) []contract.AgreementEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []contract.AgreementEvent
	for _, s := range h.syncs {
		for _, e := range s.in.Events {
			if e.Number == number {
				out = append(out, e)
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Key < out[b].Key })
	return out
}

func (h *mouHarness) eventsOf(number, kind string) []contract.AgreementEvent {
	var out []contract.AgreementEvent
	for _, e := range h.events(number) {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func (h *mouHarness) kinds(number string) []string {
	var out []string
	for _, e := range h.events(number) {
		out = append(out, e.Kind)
	}
	return out
}

// reminderLog lists (days left, time) of the reminders of one agreement.
func (h *mouHarness) reminderLog(number string) ([]int, []time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var days []int
	var at []time.Time
	for _, r := range h.reminders {
		if r.in.Number == number {
			days = append(days, r.in.DaysLeft)
			at = append(at, r.at)
		}
	}
	return days, at
}

// requireRowsConsistent checks every write of one agreement: versions grow by one, event keys
// are unique and sequential.
func (h *mouHarness) requireRowsConsistent(number string, firstVersion int64, firstSeq int) {
	h.t.Helper()
	for i, r := range h.rows(number) {
		require.Equal(h.t, firstVersion+int64(i), r.in.Version, "write %d of %s", i, number)
		require.Equal(h.t, wf.MoUWorkflowID(number), r.in.WorkflowID)
	}
	seen := map[string]bool{}
	for i, e := range h.events(number) {
		require.False(h.t, seen[e.Key], "duplicate event key %s", e.Key)
		seen[e.Key] = true
		require.Equal(h.t, firstSeq+i, atoi(h.t, e.Key), "event keys of %s are sequential", number)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9', "key %q", s)
		n = n*10 + int(c-'0')
	}
	return n
}
