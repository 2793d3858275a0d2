package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/bpvp-sidoarjo/kompeten/activities"
	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/notify"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

var digestNow = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) // 07:00 WIB

func digestGroups() []contract.StuckGroup {
	at := func(d time.Duration) time.Time { return digestNow.Add(-d) }
	return []contract.StuckGroup{
		{CentreCode: "BLK-SBY", LSPCode: "LSP-A", Reason: vocab.StuckApprovalOverdue, WaitingOn: vocab.WaitingCentreAdmin, Count: 2, Oldest: at(5 * day), OldestCase: "sby1"},
		{CentreCode: "BLK-SBY", LSPCode: "LSP-A", Reason: vocab.StuckCorrectionOverdue, WaitingOn: vocab.WaitingCorrection, Count: 1, Oldest: at(9 * day), OldestCase: "sby2"},
		{CentreCode: "BLK-SBY", LSPCode: "LSP-A", Reason: vocab.StuckPartnerFailing, WaitingOn: vocab.WaitingBPJS, Count: 7, Oldest: at(3 * day), OldestCase: "sby3"},
		{CentreCode: "BLK-SBY", LSPCode: "LSP-B", Reason: vocab.StuckPartnerFailing, WaitingOn: vocab.WaitingBPJS, Count: 1, Oldest: at(day), OldestCase: "sby4"},
		{CentreCode: "BLK-TBN", LSPCode: "LSP-B", Reason: vocab.StuckApprovalOverdue, WaitingOn: vocab.WaitingLSPManager, Count: 4, Oldest: at(8 * day), OldestCase: "tbn1"},
	}
}

// The digest counts per centre and per role that can unblock, merging reasons and partners of
// one role, oldest case first.
func TestBuildDigest(t *testing.T) {
	d := wf.BuildDigest(digestGroups(), digestNow, "Asia/Jakarta", i18n.ID)
	require.Equal(t, 15, d.Total)
	require.Len(t, d.Lines, 3)
	sbyBPJS, sbyAdmin, tbn := d.Lines[0], d.Lines[1], d.Lines[2]
	require.Equal(t, wf.DigestLine{Centre: "BLK-SBY", Role: vocab.RoleInsurerLiaison, Count: 8, Oldest: digestNow.Add(-3 * day), OldestCase: "sby3",
		Reasons: map[vocab.Reason]int{vocab.StuckPartnerFailing: 8}}, sbyBPJS)
	require.Equal(t, wf.DigestLine{Centre: "BLK-SBY", Role: vocab.RoleCentreAdmin, Scope: "BLK-SBY", Count: 3, Oldest: digestNow.Add(-9 * day), OldestCase: "sby2",
		Reasons: map[vocab.Reason]int{vocab.StuckApprovalOverdue: 2, vocab.StuckCorrectionOverdue: 1}}, sbyAdmin)
	require.Equal(t, "BLK-TBN", tbn.Centre)
	require.Equal(t, vocab.RoleLSPManager, tbn.Role)
	require.Equal(t, "LSP-B", tbn.Scope)
	require.Contains(t, d.Text, "2026-03-10")
	require.Contains(t, d.Text, "kasus macet: 15 di 2 BLK")
	require.Contains(t, d.Text, "BLK-TBN, Manajer sertifikasi LSP LSP-B: 4 (persetujuan terlambat 4); kasus tertua tbn1, macet sejak 2026-03-02 07:00 (8 hari)")
	require.NotContains(t, d.Text, "stuck")

	// The same digest in English, for a network that asks for it.
	en := wf.BuildDigest(digestGroups(), digestNow, "Asia/Jakarta", i18n.EN)
	require.Contains(t, en.Text, "stuck cases: 15 in 2 centre(s)")
	require.Contains(t, en.Text, "BLK-TBN, LSP certification manager LSP-B: 4 (approval overdue 4); oldest case tbn1, stuck since 2026-03-02 07:00 (8 days)")

	empty := wf.BuildDigest(nil, digestNow, "Asia/Jakarta", i18n.ID)
	require.Zero(t, empty.Total)
	require.Contains(t, empty.Text, "Tidak ada yang macet")
}

func TestDailyDigestSendsToTheNotifier(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	// The expected first failure would be logged as an error; keep the output for real ones.
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 4}))))
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(digestNow)
	o := &activities.Ops{}
	env.RegisterActivity(o)
	env.OnActivity(o.CountStuckGroups, mock.Anything).Return(digestGroups(), nil)
	var sent []notify.Message
	calls := 0
	env.OnActivity(o.SendNotification, mock.Anything, mock.Anything).Return(func(_ context.Context, m notify.Message) error {
		calls++
		if calls == 1 {
			return errors.New("webhook down")
		}
		sent = append(sent, m)
		return nil
	})
	env.ExecuteWorkflow(wf.DailyDigest, wf.DigestInput{Timezone: "Asia/Jakarta"})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 2, calls, "a failed webhook post is retried")
	require.Len(t, sent, 1)
	require.Equal(t, "digest", sent[0].Kind)
	require.True(t, strings.HasPrefix(sent[0].Text, "Ringkasan harian kompeten 2026-03-10"))
	var d wf.Digest
	require.NoError(t, env.GetWorkflowResult(&d))
	require.Equal(t, 15, d.Total)
}

func TestEscalationNotifiesTheRole(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	o := &activities.Ops{}
	env.RegisterActivity(o)
	var sent notify.Message
	env.OnActivity(o.SendNotification, mock.Anything, mock.Anything).Return(func(_ context.Context, m notify.Message) error {
		sent = m
		return nil
	})
	since := digestNow.Add(-50 * time.Hour)
	in := wf.EscalationInput{CaseID: "abc", Centre: "BLK-SBY", LSP: "LSP-A", Stage: "insurance",
		Reason: "waiting on BPJS Ketenagakerjaan for more than 48h", StuckSince: &since, Attempts: 7, LastError: "HTTP 503",
		To: wf.WhoUnblocks(vocab.StuckPartnerFailing, vocab.WaitingBPJS, "BLK-SBY", "LSP-A"),
		By: wf.Actor{ID: "rina", Role: vocab.RoleOperator}, Note: "third day", At: digestNow, Timezone: "Asia/Jakarta", Language: "en"}
	env.ExecuteWorkflow(wf.Escalation, in)
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, "escalation", sent.Kind)
	require.Equal(t, vocab.RoleInsurerLiaison, sent.To)
	en := i18n.For(i18n.EN, nil)
	for _, want := range []string{"case abc", "stuck since 2026-03-08 05:00 (2 days)", "7 failed attempts, last error: HTTP 503",
		"get BPJS Ketenagakerjaan answering again", "Escalated by rina (" + en.Label("role", "operator") + "): third day"} {
		require.Contains(t, sent.Text, want)
	}
}

// An escalation is worded in its input's language (escalation.language): Indonesian when it
// names none or "id", English for "en"; the stuck reason from its code when the case has one,
// the role, the stage and the action from the catalogue; the partner's error and the note as
// written.
func TestEscalationSpeaksItsLanguage(t *testing.T) {
	since := digestNow.Add(-50 * time.Hour)
	base := wf.EscalationInput{CaseID: "abc", Centre: "BLK-SBY", LSP: "LSP-A", Stage: "insurance",
		Reason: "waiting on BPJS Ketenagakerjaan for more than 48h", Why: i18n.M("stuck.partner-failing.bpjs", "sla", "48h0m0s"),
		StuckSince: &since, Attempts: 7, LastError: "HTTP 503",
		To: wf.WhoUnblocks(vocab.StuckPartnerFailing, vocab.WaitingBPJS, "BLK-SBY", "LSP-A"),
		By: wf.Actor{ID: "rina", Role: vocab.RoleOperator}, Note: "jalur BPJS sibuk", At: digestNow, Timezone: "Asia/Jakarta"}
	for _, tc := range []struct {
		lang string
		not  []string
	}{
		{"", []string{"Escalation", "stuck since", "failed attempts", "Please", "waiting on BPJS"}},
		{"id", []string{"Escalation", "stuck since", "failed attempts", "Please", "waiting on BPJS"}},
		{"en", []string{"Eskalasi", "macet sejak", "percobaan gagal", "Mohon", "Menunggu BPJS"}},
	} {
		t.Run("language "+tc.lang, func(t *testing.T) {
			in := base
			in.Language = tc.lang
			rd := i18n.For(i18n.Parse(tc.lang), nil)
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			o := &activities.Ops{}
			env.RegisterActivity(o)
			var sent notify.Message
			env.OnActivity(o.SendNotification, mock.Anything, mock.Anything).Return(func(_ context.Context, m notify.Message) error {
				sent = m
				return nil
			})
			env.ExecuteWorkflow(wf.Escalation, in)
			require.NoError(t, env.GetWorkflowError())
			for _, want := range []string{"abc", "BLK-SBY", rd.Label("role", "insurer-liaison"), rd.Label("stage", "insurance"),
				"2026-03-08 05:00 (" + rd.Duration(50*time.Hour) + ")", rd.T("stuck.partner-failing.bpjs", map[string]string{"sla": "48h0m0s"}),
				rd.Tf("stuck.attempts", "n", "7", "error", "HTTP 503"), rd.T(in.To.Code, nil), "rina (" + rd.Label("role", "operator") + "): jalur BPJS sibuk"} {
				require.Contains(t, sent.Text, want)
			}
			for _, not := range tc.not {
				require.NotContains(t, sent.Text, not)
			}
		})
	}
}

// An action with parameters (a KPJ to cancel) and its reason are worded from their messages;
// the English given beside them is what an escalation without codes shows.
func TestEscalationWordsItsActionFromItsCode(t *testing.T) {
	in := wf.EscalationInput{CaseID: "abc", Centre: "BLK-SBY", Stage: "closed",
		Reason: "KPJ 33333333333 came back from the BPJS batch exchange after the case closed (withdrawn): ask … (BPJS liaison)",
		Why:    i18n.M("escalation.kpj-after-close", "kpj", "33333333333", "outcome", "withdrawn"),
		To:     wf.Unblocker{Role: vocab.RoleInsurerLiaison, Action: "ask the BPJS branch office to cancel membership KPJ 33333333333"},
		Do:     i18n.M("escalation.cancel-kpj", "kpj", "33333333333"), By: wf.Actor{ID: "bpjs-file", Role: vocab.RoleInsurerLiaison}, At: digestNow}
	id := i18n.For(i18n.ID, nil)
	text := wf.EscalationText(in)
	require.Contains(t, text, id.T(in.Why.Code, in.Why.Params))
	require.Contains(t, text, "Mohon "+id.T(in.Do.Code, in.Do.Params)+".")
	require.NotContains(t, text, "cancel membership")
	in.Why, in.Do, in.Language = i18n.Message{}, i18n.Message{}, "en"
	require.Contains(t, wf.EscalationText(in), "Please ask the BPJS branch office to cancel membership KPJ 33333333333.")
}
