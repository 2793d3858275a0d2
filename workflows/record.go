package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// eventSpec is a case event before it is numbered and stamped.
type eventSpec struct {
	kind     string
	detail   string
	actor    Actor
	evidence *contract.EventEvidence
}

// evidenceInReadModel versions the evidence a journey records with its events (issue 15): since
// it, the assessment-result event carries the result per unit and the assessor, and the
// enrolment-checked event the import's and the check's warnings, so the inbox can show them.
const evidenceInReadModel = "evidence-in-read-model"

// recordsEvidence says whether this journey records evidence with its events.
func (j *journey) recordsEvidence(ctx workflow.Context) bool {
	return j.since(ctx, evidenceInReadModel) >= 1
}

func ev(kind, detail string) eventSpec { return eventSpec{kind: kind, detail: detail} }

func evBy(kind, detail string, a Actor) eventSpec {
	return eventSpec{kind: kind, detail: detail, actor: a}
}

// syncOptions retry the read-model write for a long time: PostgreSQL may be restarting, and
// the case must not fail because its read model is briefly unreachable.
var syncOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 2 * time.Hour,
	StartToCloseTimeout:    30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}

// commit bumps the case version, writes the read model and the given events (idempotently: a
// replayed or retried write carries the same version and event keys), and refreshes the
// search attributes when they changed.
//
// A lean journey (RevisionLean) only queues the change here; one write per workflow task
// follows (record_batch.go).
func (j *journey) commit(ctx workflow.Context, events ...eventSpec) {
	now := workflow.Now(ctx)
	var evs []contract.CaseEvent
	for _, e := range events {
		j.seq++
		evs = append(evs, contract.CaseEvent{
			CaseID:    j.in.CaseID,
			Key:       fmt.Sprintf("%06d", j.seq),
			Kind:      e.kind,
			Stage:     j.state.Stage,
			ActorID:   e.actor.ID,
			ActorRole: e.actor.Role,
			Detail:    e.detail,
			At:        now,
			Evidence:  e.evidence,
		})
	}
	if j.lean {
		j.queue(evs)
		return
	}
	j.state.Version++
	j.writeReadModel(ctx, contract.SyncInput{Case: j.caseRow(now), Events: evs})
	j.upsertSearchAttributes(ctx)
}

// writeReadModel runs SyncCase as a local activity and waits for it.
func (j *journey) writeReadModel(ctx workflow.Context, in contract.SyncInput) {
	lctx := workflow.WithLocalActivityOptions(ctx, syncOptions)
	if err := contract.SyncCase.ExecuteLocal(lctx, in).Get(lctx, nil); err != nil {
		// The read model can be repaired from Temporal's state later (kompeten doctor);
		// the case itself must go on.
		workflow.GetLogger(ctx).Error("read model write failed", "case", j.in.CaseID, "error", err)
	}
}

// caseRow is the read-model row for the current state.
func (j *journey) caseRow(now time.Time) contract.CaseRow {
	s := j.state
	status := "open"
	if s.Stage == vocab.StageClosed {
		status = "closed"
	}
	c := contract.CaseRow{
		CaseID:         j.in.CaseID,
		WorkflowID:     workflowIDOf(j.in),
		PackageCode:    j.in.PackageCode,
		CentreCode:     j.in.CentreCode,
		LSPCode:        j.in.LSPCode,
		NIKHash:        j.in.NIKHash,
		Stage:          s.Stage,
		Status:         status,
		Outcome:        s.Outcome,
		WaitingOn:      s.WaitingOn,
		Stuck:          s.Stuck,
		StuckCode:      s.StuckCode,
		StuckReason:    s.StuckReason,
		StuckSince:     s.StuckSince,
		StageEnteredAt: s.StageEnteredAt,
		KPJ:            s.Insurance.KPJ,
		Version:        s.Version,
		UpdatedAt:      now,
	}
	if s.Certification.Certificate != nil {
		c.CertificateNo = s.Certification.Certificate.Number
	}
	c.Milestones = j.milestones()
	return c
}

// milestones derives the steps reached from the state alone (no clock, no counters), so a case
// that was running before the read model had these columns reports them at its next write.
func (j *journey) milestones() contract.Milestones {
	s := j.state
	m := contract.Milestones{
		Enrolled:  s.Enrolment.Decision != nil && s.Enrolment.Decision.Approve,
		Insured:   s.Insurance.KPJ != "",
		Graduated: s.Training.Graduated,
		Assessed:  len(s.Assessment.Results) > 0 || j.result != nil,
		Competent: s.Assessment.Competent != nil && *s.Assessment.Competent,
		Certified: s.Certification.Certificate != nil,
	}
	if s.Training.Graduated && !s.Placement.GraduatedOn.IsZero() {
		g := s.Placement.GraduatedOn
		m.GraduatedOn = &g
	}
	if r := s.Placement.Report; r != nil {
		m.PlacementCategory = r.Category
		start := r.Start
		m.PlacedOn = &start
		m.PlacementSelfReported = r.SelfReported
	}
	if c := s.Certification.Certificate; c != nil {
		issued, expires := c.IssueDate, c.ExpiryDate
		m.CertificateIssuedOn, m.CertificateExpiresOn = &issued, &expires
	}
	return m
}

// markStuck flags the case with a machine-readable code and a sentence for people.
func (j *journey) markStuck(ctx workflow.Context, code vocab.Reason, reason string) {
	if j.state.Stuck && j.state.StuckCode == code {
		return
	}
	now := workflow.Now(ctx)
	if !j.state.Stuck {
		j.state.StuckSince = &now
	}
	j.state.Stuck = true
	j.state.StuckCode = code
	j.state.StuckReason = reason
	j.commit(ctx, ev("stuck", reason))
}

// clearStuck removes the flag once the wait is over.
func (j *journey) clearStuck(ctx workflow.Context) {
	if !j.state.Stuck {
		return
	}
	reason := j.state.StuckReason
	j.clearStuckFields()
	j.commit(ctx, ev("unstuck", "no longer stuck: "+reason))
}

func (j *journey) clearStuckFields() {
	j.state.Stuck = false
	j.state.StuckCode = ""
	j.state.StuckReason = ""
	j.state.StuckSince = nil
}

// setWaiting records who the case waits on (shown in lists and used for the inbox).
func (j *journey) setWaiting(ctx workflow.Context, who vocab.Party) {
	if j.state.WaitingOn == who {
		return
	}
	j.state.WaitingOn = who
	j.commit(ctx)
}
