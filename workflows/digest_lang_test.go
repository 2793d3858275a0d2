package workflows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The digest the workflow sends is worded in its input's language (digest.language through the
// schedule): Indonesian when it names none or "id", English for "en", reasons and roles
// included.
func TestDailyDigestSendsInItsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang          string
		title, reason string
		not           string
	}{
		{"", "Ringkasan harian kompeten 2026-03-10", "persetujuan terlambat 4", "stuck"},
		{"id", "Ringkasan harian kompeten 2026-03-10", "persetujuan terlambat 4", "stuck"},
		{"en", "kompeten daily digest 2026-03-10", "approval overdue 4", "macet"},
	} {
		t.Run("language "+tc.lang, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.SetStartTime(digestNow)
			o := &activities.Ops{}
			env.RegisterActivity(o)
			env.OnActivity(o.CountStuckGroups, mock.Anything).Return(digestGroups(), nil)
			var sent []notify.Message
			env.OnActivity(o.SendNotification, mock.Anything, mock.Anything).Return(func(_ context.Context, m notify.Message) error {
				sent = append(sent, m)
				return nil
			})
			env.ExecuteWorkflow(wf.DailyDigest, wf.DigestInput{Timezone: "Asia/Jakarta", Language: tc.lang})
			require.True(t, env.IsWorkflowCompleted())
			require.NoError(t, env.GetWorkflowError())
			require.Len(t, sent, 1)
			require.True(t, strings.HasPrefix(sent[0].Text, tc.title), sent[0].Text)
			require.Contains(t, sent[0].Text, tc.reason)
			require.NotContains(t, sent[0].Text, tc.not)
		})
	}
}
