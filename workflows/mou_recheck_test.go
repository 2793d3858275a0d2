package workflows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Two terminations sent while a reminder holds the agreement's lock both pass their validators;
// the second, checked again under the lock after the first landed, is refused there with the
// validator's code (a kompeten.refusal ApplicationError), so the API and the pages word it like
// any other refusal.
func TestMoURecheckUnderTheLockIsCoded(t *testing.T) {
	start := time.Date(2025, 3, 1, 1, 0, 0, 0, time.UTC)
	h := newMoUHarness(t, start, activeMoU("MOU/L", date(2025, 6, 30)))
	h.reminderDelay = time.Hour // the 90-day reminder holds the lock for an hour
	outcomes := make([]*updateOutcome, 2)
	h.at(midnightWIB(2025, 4, 2).Add(10*time.Minute), func() {
		for i := range outcomes {
			u := new(updateOutcome)
			outcomes[i] = u
			u.sent = true
			h.env.UpdateWorkflow(wf.UpdateMoUTerminate, "", &testsuite.TestUpdateCallback{
				OnAccept:   func() { u.accepted = true },
				OnReject:   func(err error) { u.rejected = err },
				OnComplete: func(_ any, err error) { u.completed, u.err = true, err },
			}, wf.Termination{Actor: coordinator, Reason: "ended by both parties"})
		}
	})
	h.run()
	require.NoError(t, h.err)

	var taken, refused *updateOutcome
	for _, u := range outcomes {
		require.True(t, u.accepted && u.completed, "both pass their validators while the lock is held: %+v", u)
		if u.err == nil {
			taken = u
		} else {
			refused = u
		}
	}
	require.NotNil(t, taken, "one termination lands")
	require.NotNil(t, refused, "the other is refused under the lock")
	second := refused
	d, ok := wf.RefusalOf(second.err)
	require.True(t, ok, "the refusal under the lock carries its code: %T %v", second.err, second.err)
	require.Contains(t, []string{"refusal.mou-terminate-set", "refusal.mou-not-live"}, d.Code)
	id, en := i18n.For(i18n.ID, nil).T(d.Code, d.Params), i18n.For(i18n.EN, nil).T(d.Code, d.Params)
	require.NotEqual(t, id, en)
	require.NotContains(t, id+en, "{")
	require.NotContains(t, id, "termination")
}
