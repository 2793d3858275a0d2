package workflows_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// certified takes the harness's case through training, assessment and certification.
func certified(h *harness) {
	h.attendance(trainStart.Add(day), 20)
	h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
		wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
	h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
}

// messagesAt lists the milestones the journey asked to tell the trainee, with when it asked.
func messagesAt(h *harness) map[string]time.Time {
	out := map[string]time.Time{}
	times := h.callTimes("SendMessage")
	i := 0
	for _, c := range h.calls {
		if c.name != "SendMessage" {
			continue
		}
		if m := c.in.(contract.MessageInput).Milestone; i < len(times) {
			if _, seen := out[m]; !seen {
				out[m] = times[i]
			}
		}
		i++
	}
	return out
}

// A graduate who does not answer a follow-up's message gets one reminder a week later; a week
// after that the follow-up is left to the centre's phone call (timeline and state say so), and
// after the last follow-up the case closes not placed only once that time has passed.
func TestUnansweredFollowUpGetsOneReminderThenACall(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.FollowUpReminder = 7 * day
	certified(h)
	s := h.run()
	require.Equal(t, vocab.OutcomeNotPlaced, s.Outcome)

	at := messagesAt(h)
	for _, m := range []int{1, 3, 6, 12} {
		f, r := "followup-"+strconv.Itoa(m), "reminder-"+strconv.Itoa(m)
		require.Contains(t, at, f)
		require.Contains(t, at, r, "no reminder of the %d-month follow-up", m)
		require.Equal(t, 7*day, at[r].Sub(at[f]), "the %d-month reminder", m)
	}
	unanswered := h.eventsOf("follow-up-unanswered")
	require.Len(t, unanswered, 4)
	require.Equal(t, 7*day, unanswered[3].At.Sub(at["reminder-12"]))
	closed := h.eventsOf("closed")[0].At
	require.Equal(t, unanswered[3].At, closed, "the case closed before the graduate's time to answer the last reminder")
	require.Equal(t, 12, s.Placement.Unanswered)
}

// A graduate who answers between the message and the reminder gets no reminder, and the case
// closes with the report.
func TestAnsweredFollowUpGetsNoReminder(t *testing.T) {
	h := newHarness(t)
	h.in.Settings.FollowUpReminder = 7 * day
	certified(h)
	// The 1-month follow-up is due a month after certification; the graduate answers 3 days on.
	h.updateAt(assessDate(1).Add(day+month+3*day), wf.UpdateReportPlacement, formal())
	s := h.run()
	require.Equal(t, vocab.OutcomePlacedFormal, s.Outcome)
	at := messagesAt(h)
	require.Contains(t, at, "followup-1")
	require.NotContains(t, at, "reminder-1")
	require.Empty(t, h.eventsOf("follow-up-unanswered"))
	require.Zero(t, s.Placement.Unanswered)
}

// Journeys of revisions before the reminder keep their old follow-ups: no reminder, closed at
// the last follow-up.
func TestOlderJourneysSendNoReminder(t *testing.T) {
	h := newHarness(t)
	h.in.Revision = wf.RevisionQuiet - 1
	h.in.Settings.FollowUpReminder = 7 * day
	certified(h)
	h.run()
	for m := range messagesAt(h) {
		require.False(t, slices.Contains([]string{"reminder-1", "reminder-3", "reminder-6", "reminder-12"}, m), "an older journey sent %s", m)
	}
	require.Empty(t, h.eventsOf("follow-up-unanswered"))
}
