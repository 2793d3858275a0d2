package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The simulated calendar of every test: the case opens at t0, training runs from trainStart
// to trainEnd (20 training days), and the LSP schedules assessment n on assessDate(n).
var (
	t0         = time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	trainStart = t0.AddDate(0, 0, 14)
	trainEnd   = trainStart.AddDate(0, 0, 27)
)

const (
	day   = 24 * time.Hour
	month = 30 * day

	caseID = "c0ffee1234"
	kpj    = "12345678901"
)

func assessDate(n int) time.Time { return trainEnd.Add(3*day + time.Duration(n-1)*14*day) }

// testSettings are realistic settings: SLAs in hours and days, a 30-day month, follow-ups at
// 1, 3, 6 and 12 months.
func testSettings() wf.Settings {
	return wf.Settings{
		MinAge:             17,
		MaxAge:             45,
		ReassessAttempts:   1,
		CertificateYears:   3,
		FollowUpMonths:     []int{1, 3, 6, 12},
		Month:              month,
		ResultPollInterval: 6 * time.Hour,
		AgreementPoll:      time.Hour,
		InsuranceTailDays:  7,
		InsuranceAdapter:   "http",
		AttendanceMode:     "presence",
		SLA: wf.SLA{
			EnrolmentApproval:     48 * time.Hour,
			Insurance:             24 * time.Hour,
			Correction:            72 * time.Hour,
			AssessmentSchedule:    48 * time.Hour,
			AssessmentResult:      7 * day,
			CertificationApproval: 72 * time.Hour,
			CertificateIssue:      48 * time.Hour,
			Agreement:             72 * time.Hour,
		},
	}
}

func testInput() wf.JourneyInput {
	return wf.JourneyInput{
		CaseID:        caseID,
		NIKHash:       "k1-hash-of-nik",
		PackageCode:   "PKG-LAS-2025-01",
		CentreCode:    "BLK-SDA",
		LSPCode:       "LSP-LOGAM",
		InsurerCode:   "BPJSTK",
		Scheme:        "SKM-LAS-SMAW",
		Start:         trainStart,
		End:           trainEnd,
		TrainingDays:  20,
		Capacity:      16,
		AttendanceMin: 0.8,
		AutoApprove:   true,
		Settings:      testSettings(),
		Revision:      wf.CurrentRevision, // older revisions are covered by the replay test
	}
}

// Actors.
var (
	admin     = wf.Actor{ID: "admin-sda", Role: vocab.RoleCentreAdmin}
	manager   = wf.Actor{ID: "mgr-logam", Role: vocab.RoleLSPManager}
	assessor  = wf.Actor{ID: "asr-007", Role: vocab.RoleAssessor}
	liaison   = wf.Actor{ID: "bpjs-liaison", Role: vocab.RoleInsurerLiaison}
	lspSystem = wf.Actor{ID: "lsp-file", Role: vocab.RoleSystem}
)

var units = []string{"LAS.01", "LAS.02", "LAS.03"}

func allK(us ...string) []wf.UnitResult {
	var out []wf.UnitResult
	for _, u := range us {
		out = append(out, wf.UnitResult{Unit: u, Result: "K"})
	}
	return out
}

// call is one recorded activity invocation.
type call struct {
	name string
	in   any
	at   time.Time
}

// harness runs one journey in the test environment with every activity mocked. The behaviour
// of each activity is a function of the call number (1-based) and the input, set by the test
// before run; the defaults make every partner answer at once.
type harness struct {
	t   *testing.T
	s   testsuite.WorkflowTestSuite
	env *testsuite.TestWorkflowEnvironment
	in  wf.JourneyInput

	checkDelay time.Duration
	check      func(n int, in contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error)
	agreement  func(n int, q contract.AgreementQuery) (contract.AgreementResult, error)
	register   func(n int, in contract.InsuranceInput) (partners.Coverage, error)
	queue      func(n int, in contract.InsuranceInput) error
	endCover   func(n int, in contract.EndCoverageInput) error
	scheme     func(n int, in contract.SchemeQuery) (contract.SchemeUnits, error)
	schedule   func(n int, in contract.AssessmentInput) (partners.Schedule, error)
	fetch      func(n int, in contract.ResultInput) (contract.ResultOutput, error)
	issue      func(n int, in contract.CertificateInput) (partners.Certificate, error)
	claimNum   func(n int, in contract.NumberClaimInput) (contract.NumberClaimResult, error)
	seat       func(n int, in contract.SeatInput) (contract.SeatOutcome, error)
	freeSeat   func(n int, in contract.FreeSeatInput) (contract.FreeSeatResult, error)
	message    func(n int, in contract.MessageInput) (contract.MessageResult, error)

	mu     sync.Mutex
	calls  []call
	counts map[string]int
	syncs  []contract.SyncInput
	timers int

	result wf.CaseState
	err    error
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, in: testInput(), counts: map[string]int{}}
	// Quiet: the expected partner failures would flood the output. Raise the level to debug.
	h.s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 4}))))
	h.env = h.s.NewTestWorkflowEnvironment()
	h.env.SetStartTime(t0)
	h.check = func(int, contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error) {
		return contract.EnrolmentCheck{}, nil
	}
	h.agreement = func(_ int, q contract.AgreementQuery) (contract.AgreementResult, error) {
		return contract.AgreementResult{Found: true, Number: "MOU-" + q.PartnerCode}, nil
	}
	h.register = func(int, contract.InsuranceInput) (partners.Coverage, error) {
		return partners.Coverage{KPJ: kpj}, nil
	}
	h.queue = func(int, contract.InsuranceInput) error { return nil }
	h.endCover = func(int, contract.EndCoverageInput) error { return nil }
	h.scheme = func(int, contract.SchemeQuery) (contract.SchemeUnits, error) {
		return contract.SchemeUnits{Found: true, Units: units, Sample: true}, nil
	}
	h.schedule = func(n int, in contract.AssessmentInput) (partners.Schedule, error) {
		return partners.Schedule{AssessmentID: fmt.Sprintf("AS-%d", n), Date: assessDate(n), TUK: "TUK BLK Sidoarjo", Assessor: "asr-007"}, nil
	}
	h.fetch = func(int, contract.ResultInput) (contract.ResultOutput, error) {
		return contract.ResultOutput{}, nil
	}
	h.issue = func(_ int, in contract.CertificateInput) (partners.Certificate, error) {
		return partners.Certificate{Number: "CERT-0001", IssueDate: in.IssueDate}, nil
	}
	h.claimNum = func(int, contract.NumberClaimInput) (contract.NumberClaimResult, error) {
		return contract.NumberClaimResult{}, nil
	}
	h.seat = func(int, contract.SeatInput) (contract.SeatOutcome, error) {
		return contract.SeatOutcome{Seated: true, Taken: 1, Capacity: 16}, nil
	}
	h.freeSeat = func(int, contract.FreeSeatInput) (contract.FreeSeatResult, error) {
		return contract.FreeSeatResult{}, nil
	}
	h.message = func(int, contract.MessageInput) (contract.MessageResult, error) {
		return contract.MessageResult{Status: "sent", Channel: "whatsapp"}, nil
	}
	return h
}

// record notes an activity call and returns its number among the calls of that activity.
func (h *harness) record(name string, in any) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[name]++
	h.calls = append(h.calls, call{name: name, in: in, at: h.env.Now().UTC()})
	return h.counts[name]
}

func (h *harness) mockActivities() {
	acts := &activities.Activities{}
	env := h.env
	c := env.OnActivity(acts.CheckEnrolment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.EnrolmentCheckInput) (contract.EnrolmentCheck, error) {
			return h.check(h.record("CheckEnrolment", in), in)
		})
	if h.checkDelay > 0 {
		c.After(h.checkDelay)
	}
	env.OnActivity(acts.FindAgreement, mock.Anything, mock.Anything).Return(
		func(_ context.Context, q contract.AgreementQuery) (contract.AgreementResult, error) {
			return h.agreement(h.record("FindAgreement", q), q)
		})
	env.OnActivity(acts.RegisterInsurance, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.InsuranceInput) (partners.Coverage, error) {
			return h.register(h.record("RegisterInsurance", in), in)
		})
	env.OnActivity(acts.QueueBatchRegistration, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.InsuranceInput) error {
			return h.queue(h.record("QueueBatchRegistration", in), in)
		})
	env.OnActivity(acts.EndCoverage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.EndCoverageInput) error {
			return h.endCover(h.record("EndCoverage", in), in)
		})
	env.OnActivity(acts.LoadSchemeUnits, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.SchemeQuery) (contract.SchemeUnits, error) {
			return h.scheme(h.record("LoadSchemeUnits", in), in)
		})
	env.OnActivity(acts.RequestAssessment, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.AssessmentInput) (partners.Schedule, error) {
			return h.schedule(h.record("RequestAssessment", in), in)
		})
	env.OnActivity(acts.FetchAssessmentResult, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.ResultInput) (contract.ResultOutput, error) {
			return h.fetch(h.record("FetchAssessmentResult", in), in)
		})
	env.OnActivity(acts.IssueCertificate, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.CertificateInput) (partners.Certificate, error) {
			return h.issue(h.record("IssueCertificate", in), in)
		})
	env.OnActivity(acts.ClaimNumber, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.NumberClaimInput) (contract.NumberClaimResult, error) {
			return h.claimNum(h.record("ClaimNumber", in), in)
		})
	env.OnActivity(acts.TakeSeat, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.SeatInput) (contract.SeatOutcome, error) {
			return h.seat(h.record("TakeSeat", in), in)
		})
	env.OnActivity(acts.FreeSeat, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.FreeSeatInput) (contract.FreeSeatResult, error) {
			return h.freeSeat(h.record("FreeSeat", in), in)
		})
	env.OnActivity(acts.SendMessage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.MessageInput) (contract.MessageResult, error) {
			return h.message(h.record("SendMessage", in), in)
		})
	// SyncCase runs as a local activity; OnActivity mocks local activities too (by name).
	env.OnActivity(acts.SyncCase, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in contract.SyncInput) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.syncs = append(h.syncs, in)
			return nil
		})
	env.SetOnTimerScheduledListener(func(string, time.Duration) {
		h.mu.Lock()
		h.timers++
		h.mu.Unlock()
	})
}

// run executes the journey to completion; the test must have scheduled whatever closes it.
func (h *harness) run() wf.CaseState {
	h.t.Helper()
	h.mockActivities()
	h.env.ExecuteWorkflow(wf.Journey, h.in)
	require.True(h.t, h.env.IsWorkflowCompleted(), "journey did not complete")
	h.err = h.env.GetWorkflowError()
	require.NoError(h.t, h.err)
	require.NoError(h.t, h.env.GetWorkflowResult(&h.result))
	return h.result
}

// at runs fn when the simulated clock reaches t.
func (h *harness) at(t time.Time, fn func()) {
	h.t.Helper()
	d := t.Sub(t0)
	require.Positive(h.t, d, "callbacks must be after the start")
	h.env.RegisterDelayedCallback(fn, d)
}

// updateOutcome is what happened to one update.
type updateOutcome struct {
	sent      bool
	accepted  bool
	rejected  error
	completed bool
	result    wf.UpdateResult
	err       error
}

func (u *updateOutcome) requireAccepted(t *testing.T) {
	t.Helper()
	require.True(t, u.sent, "update was never sent")
	require.NoError(t, u.rejected)
	require.True(t, u.accepted, "update was not accepted")
	require.True(t, u.completed, "update did not complete")
	require.NoError(t, u.err)
}

func (u *updateOutcome) requireRejected(t *testing.T, contains string) {
	t.Helper()
	require.True(t, u.sent, "update was never sent")
	require.False(t, u.accepted, "update was accepted")
	require.Error(t, u.rejected)
	require.Contains(t, u.rejected.Error(), contains)
}

// update sends an update now (call it from inside an at callback).
func (h *harness) update(name string, arg any) *updateOutcome {
	u := new(updateOutcome)
	h.sendUpdate(u, name, arg)
	return u
}

func (h *harness) sendUpdate(u *updateOutcome, name string, arg any) {
	u.sent = true
	h.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
		OnAccept: func() { u.accepted = true },
		OnReject: func(err error) { u.rejected = err },
		OnComplete: func(res any, err error) {
			u.completed, u.err = true, err
			if err != nil || res == nil {
				return
			}
			if r, ok := res.(wf.UpdateResult); ok {
				u.result = r
				return
			}
			b, _ := json.Marshal(res)
			_ = json.Unmarshal(b, &u.result)
		},
	}, arg)
}

// updateAt sends an update at t; the outcome is filled in as the update is handled.
func (h *harness) updateAt(t time.Time, name string, arg any) *updateOutcome {
	u := new(updateOutcome)
	h.at(t, func() { h.sendUpdate(u, name, arg) })
	return u
}

func (h *harness) signalAt(t time.Time, name string, arg any) {
	h.at(t, func() { h.env.SignalWorkflow(name, arg) })
}

// state queries the journey now.
func (h *harness) state() wf.CaseState {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(wf.QueryState)
	require.NoError(h.t, err)
	var s wf.CaseState
	require.NoError(h.t, v.Get(&s))
	return s
}

// stateAt records the queried state at t.
func (h *harness) stateAt(t time.Time) *wf.CaseState {
	s := new(wf.CaseState)
	h.at(t, func() { *s = h.state() })
	return s
}

func (h *harness) count(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[name]
}

// inputs returns the recorded inputs of one activity, in call order.
func inputs[T any](h *harness, name string) []T {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []T
	for _, c := range h.calls {
		if c.name == name {
			out = append(out, c.in.(T))
		}
	}
	return out
}

func (h *harness) callTimes(name string) []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []time.Time
	for _, c := range h.calls {
		if c.name == name {
			out = append(out, c.at)
		}
	}
	return out
}

// writes returns the read-model writes ordered by version: commits made by an update handler
// and by the main loop may run their local activities concurrently, and the store keeps the
// highest version, so version order is the read model's order.
func (h *harness) writes() []contract.SyncInput {
	h.mu.Lock()
	out := append([]contract.SyncInput(nil), h.syncs...)
	h.mu.Unlock()
	sort.SliceStable(out, func(a, b int) bool { return out[a].Case.Version < out[b].Case.Version })
	return out
}

func (h *harness) syncCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.syncs)
}

// events returns every event written to the read model, in order.
func (h *harness) events() []contract.CaseEvent {
	var out []contract.CaseEvent
	for _, s := range h.writes() {
		out = append(out, s.Events...)
	}
	return out
}

func (h *harness) eventsOf(kind string) []contract.CaseEvent {
	var out []contract.CaseEvent
	for _, e := range h.events() {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func (h *harness) kinds() []string {
	var out []string
	for _, e := range h.events() {
		out = append(out, e.Kind)
	}
	return out
}

// stages lists the stages entered, in order, as recorded by "stage" events.
func (h *harness) stages() []string {
	var out []string
	for _, e := range h.eventsOf("stage") {
		out = append(out, string(e.Stage))
	}
	return out
}

// lastRow is the read-model row of the last write.
func (h *harness) lastRow() contract.CaseRow {
	ws := h.writes()
	require.NotEmpty(h.t, ws)
	return ws[len(ws)-1].Case
}

// rowsWithStuck returns the rows written while the case was stuck with code.
func (h *harness) rowsWithStuck(code vocab.Reason) []contract.CaseRow {
	var out []contract.CaseRow
	for _, s := range h.writes() {
		if s.Case.Stuck && s.Case.StuckCode == code {
			out = append(out, s.Case)
		}
	}
	return out
}

// requireOrder checks that the kinds appear in this order (not necessarily adjacent).
func requireOrder(t *testing.T, kinds []string, want ...string) {
	t.Helper()
	i := 0
	for _, k := range kinds {
		if i < len(want) && k == want[i] {
			i++
		}
	}
	require.Equal(t, len(want), i, "events %v do not contain %v in order (stopped at %q)", kinds, want, func() string {
		if i < len(want) {
			return want[i]
		}
		return ""
	}())
}

func countKind(kinds []string, kind string) int {
	n := 0
	for _, k := range kinds {
		if k == kind {
			n++
		}
	}
	return n
}

// requireReadModelConsistent checks the invariants of every write: versions grow by one per
// write, event keys are unique and sequential, every event belongs to the case.
func (h *harness) requireReadModelConsistent() {
	h.t.Helper()
	seen := map[string]bool{}
	seq := 0
	for i, s := range h.writes() {
		require.Equal(h.t, int64(i+1), s.Case.Version, "write %d has version %d", i, s.Case.Version)
		require.Equal(h.t, caseID, s.Case.CaseID)
		require.Equal(h.t, wf.WorkflowIDFor(h.in.PackageCode, h.in.NIKHash), s.Case.WorkflowID)
		require.Equal(h.t, s.Case.Stuck, s.Case.StuckCode != "", "stuck flag and code disagree in write %d", i)
		for _, e := range s.Events {
			seq++
			require.Equal(h.t, caseID, e.CaseID)
			require.Equal(h.t, fmt.Sprintf("%06d", seq), e.Key)
			require.False(h.t, seen[e.Key], "duplicate event key %s", e.Key)
			seen[e.Key] = true
			require.False(h.t, strings.Contains(e.Detail, h.in.NIKHash), "event detail leaks the NIK hash")
		}
	}
}

// standardAfterInsurance drives a case insured at t0 through training (full attendance),
// an all-K assessment recorded by the assessor, certification approval and a formal
// placement report 40 days after graduation.
func (h *harness) standardAfterInsurance() {
	h.attendance(trainStart.Add(day), 20)
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessmentID: "AS-1", AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
	h.updateAt(trainEnd.Add(40*day), wf.UpdateReportPlacement, formal())
}

func (h *harness) attendance(t time.Time, attended int) *updateOutcome {
	return h.updateAt(t, wf.UpdateRecordAttendance, wf.Attendance{Actor: admin, Attended: &attended})
}

func formal() wf.PlacementReport {
	return wf.PlacementReport{Actor: admin, Category: vocab.PlacementFormal, Employer: "PT Maspion", Start: trainEnd.Add(35 * day)}
}

func intp(v int) *int { return &v }
