package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A validator's refusal reaches the caller as a kompeten.refusal ApplicationError: the English
// sentence as its message (scripts read it), the catalogue code and parameters in its details
// (the API and the pages word it from them). A full package's refusal carries its code too.
func TestRefusalsCarryTheirCodes(t *testing.T) {
	h := newHarness(t) // auto-approved at t0: in training an hour later
	wrongStage := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: false, Reason: "changed my mind"})
	wrongRole := h.updateAt(t0.Add(time.Hour), wf.UpdateRecordAttendance, wf.Attendance{Actor: assessor, Attended: intp(3)})
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateWithdraw, wf.Withdrawal{Actor: admin, Reason: "end the test"})
	h.run()

	wrongStage.requireRejected(t, "cannot decide enrolment")
	var app *temporal.ApplicationError
	require.True(t, errors.As(wrongStage.rejected, &app), "%T", wrongStage.rejected)
	require.Equal(t, wf.ErrTypeRefusal, app.Type())
	require.Equal(t, "cannot decide enrolment: case "+h.in.CaseID+" is in stage training (needs enrolment)", app.Message(),
		"the English sentence stays as it was")
	d, ok := wf.RefusalOf(wrongStage.rejected)
	require.True(t, ok)
	require.Equal(t, wf.RefusalDetails{Code: "refusal.stage", Params: map[string]string{
		"action": "decide-enrolment", "case": h.in.CaseID, "stage": "training", "needs": "enrolment"}}, d)

	d, ok = wf.RefusalOf(wrongRole.rejected)
	require.True(t, ok)
	require.Equal(t, "refusal.role", d.Code)
	require.Equal(t, map[string]string{"role": "assessor", "allowed": "centre-admin,coordinator"}, d.Params)
}

func TestFullPackageRefusalCarriesItsCode(t *testing.T) {
	h := newHarness(t)
	h.in.AutoApprove = false
	h.seat = fullPackage
	approve := h.updateAt(t0.Add(time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Approve: true})
	h.updateAt(t0.Add(2*time.Hour), wf.UpdateDecideEnrolment, wf.EnrolmentDecision{Actor: admin, Reason: "no seat this cohort"})
	h.run()

	require.True(t, approve.completed)
	var app *temporal.ApplicationError
	require.True(t, errors.As(approve.err, &app))
	require.Equal(t, wf.ErrTypePackageFull, app.Type(), "the type starter and older callers look for")
	require.Equal(t, "package PKG-LAS-2025-01 is full: 2 of 2 seats taken", app.Message())
	d, ok := wf.RefusalOf(approve.err)
	require.True(t, ok)
	require.Equal(t, wf.RefusalDetails{Code: "refusal.package-full", Params: map[string]string{
		"package": "PKG-LAS-2025-01", "taken": "2", "capacity": "2"}}, d)
}

// An error with no code (an outage, a refusal of an older worker) has none to give.
func TestRefusalOfAnUncodedError(t *testing.T) {
	_, ok := wf.RefusalOf(temporal.NewApplicationError("role x may not", "errorString"))
	require.False(t, ok)
	_, ok = wf.RefusalOf(errors.New("connection refused"))
	require.False(t, ok)
}
