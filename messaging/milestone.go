package messaging

import (
	"fmt"
	"strings"
)

// Milestone names the moment of the journey a message is about. With the case ID it makes the
// message's idempotency key: one message per case and milestone.
type Milestone string

// The milestones that send a message. A follow-up and its reminder carry their month
// (FollowUp, Reminder); a re-assessment's schedule its attempt (Assessment).
const (
	MilestoneEnrolment   Milestone = "enrolment"
	MilestoneInsurance   Milestone = "bpjs"
	MilestoneAssessment  Milestone = "assessment"
	MilestoneCertificate Milestone = "certificate"
	milestoneFollowUp    Milestone = "followup"
	milestoneReminder    Milestone = "reminder"
)

// FollowUp is the milestone of the follow-up at month m after training.
func FollowUp(m int) Milestone { return Milestone(fmt.Sprintf("%s-%d", milestoneFollowUp, m)) }

// Reminder is the milestone of the reminder of the follow-up at month m.
func Reminder(m int) Milestone { return Milestone(fmt.Sprintf("%s-%d", milestoneReminder, m)) }

// Assessment is the milestone of an assessment's schedule: the first one plainly, a
// re-assessment with its number, so each schedule is told once.
func Assessment(attempt int) Milestone {
	if attempt <= 0 {
		return MilestoneAssessment
	}
	return Milestone(fmt.Sprintf("%s-%d", MilestoneAssessment, attempt))
}

// kind is the milestone without its month or attempt: the template it is told with.
func (m Milestone) kind() Milestone {
	if i := strings.IndexByte(string(m), '-'); i > 0 {
		return m[:i]
	}
	return m
}

// Key is the idempotency key of a case's message for a milestone. Case IDs carry no personal
// data, so neither does the key.
func Key(caseID string, m Milestone) string { return caseID + "/" + string(m) }
