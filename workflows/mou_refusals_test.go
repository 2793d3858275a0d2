package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The agreement's validators refuse like the journey's: a kompeten.refusal ApplicationError with
// the English sentence as its message and the catalogue code and parameters in its details, so
// the API and the pages word an MoU refusal in the reader's language (issue 15).
func TestMoURefusalsCarryTheirCodes(t *testing.T) {
	start := time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/R", date(2027, 12, 31)))
	at := time.Date(2025, 5, 10, 3, 0, 0, 0, time.UTC)
	wrongRole := h.updateAt(at.Add(-3*time.Minute), wf.UpdateMoUTerminate, wf.Termination{Actor: wf.Actor{ID: "x", Role: vocab.RoleCentreAdmin}, Reason: "x"})
	sign := h.updateAt(at.Add(-2*time.Minute), wf.UpdateMoUSign, wf.SignRequest{Actor: coordinator, SignedOn: date(2025, 5, 1), Signatories: []string{"a"}})
	tooLate := h.updateAt(at.Add(-time.Minute), wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "x", On: dp(date(2028, 1, 1))})
	h.updateAt(at, wf.UpdateMoUTerminate, wf.Termination{Actor: coordinator, Reason: "end the test"})
	h.run()
	require.NoError(t, h.err)

	tooLate.requireRejected(t, "changes nothing")
	var app *temporal.ApplicationError
	require.True(t, errors.As(tooLate.rejected, &app), "%T", tooLate.rejected)
	require.Equal(t, wf.ErrTypeRefusal, app.Type())
	require.Equal(t, "it ends after 2027-12-31 anyway; a termination on 2028-01-01 changes nothing", app.Message(),
		"the English sentence stays as it was")
	d, ok := wf.RefusalOf(tooLate.rejected)
	require.True(t, ok)
	require.Equal(t, wf.RefusalDetails{Code: "refusal.mou-terminate-after-end",
		Params: map[string]string{"until": "2027-12-31", "on": "2028-01-01"}}, d)

	sign.requireRejected(t, "not a draft")
	d, ok = wf.RefusalOf(sign.rejected)
	require.True(t, ok)
	require.Equal(t, wf.RefusalDetails{Code: "refusal.mou-sign-not-draft",
		Params: map[string]string{"kind": "mou", "number": "MOU/R", "status": "active"}}, d)

	d, ok = wf.RefusalOf(wrongRole.rejected)
	require.True(t, ok)
	require.Equal(t, "refusal.role", d.Code)
	require.Equal(t, map[string]string{"role": "centre-admin", "allowed": "coordinator,operator"}, d.Params)
}
