package workflows_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	wf "github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The journey asks for one message per milestone, with the milestone's facts and no personal
// data, and a provider that never takes a message neither holds up nor fails the case: it
// closes at the same moments as with a working one.
func TestMessagesNeverHoldUpTheJourney(t *testing.T) {
	run := func(fail bool) (*harness, wf.CaseState) {
		h := newHarness(t)
		if fail {
			h.message = func(int, contract.MessageInput) (contract.MessageResult, error) {
				return contract.MessageResult{}, errors.New("whatsapp: send: HTTP 503")
			}
		}
		h.attendance(trainStart.Add(day), 20)
		h.updateAt(assessDate(1).Add(2*time.Hour), wf.UpdateRecordAssessment,
			wf.AssessmentResult{Actor: assessor, AssessorID: "asr-007", Units: allK(units...)})
		h.updateAt(assessDate(1).Add(day), wf.UpdateDecideCertification, wf.CertificationDecision{Actor: manager, Approve: true})
		return h, h.run()
	}
	ok, s := run(false)
	require.Equal(t, vocab.OutcomeNotPlaced, s.Outcome)
	var asked []string
	for _, c := range ok.calls {
		if c.name != "SendMessage" {
			continue
		}
		in := c.in.(contract.MessageInput)
		require.Equal(t, caseID, in.CaseID)
		require.Equal(t, "k1-hash-of-nik", in.NIKHash)
		switch in.Milestone {
		case "bpjs":
			require.Equal(t, kpj, in.KPJ)
		case "assessment":
			require.Equal(t, assessDate(1), in.When)
			require.Equal(t, "TUK BLK Sidoarjo", in.Place)
		case "certificate":
			require.Equal(t, "CERT-0001", in.Certificate)
		}
		asked = append(asked, in.Milestone)
	}
	require.Equal(t, []string{"enrolment", "bpjs", "assessment", "certificate", "followup-1", "followup-3", "followup-6", "followup-12"}, asked)

	failing, f := run(true)
	require.Equal(t, s.Outcome, f.Outcome)
	require.Equal(t, ok.eventsOf("closed")[0].At, failing.eventsOf("closed")[0].At, "a failing provider delayed the case")
	require.Greater(t, failing.counts["SendMessage"], len(asked), "the failing sends were not retried")
}
