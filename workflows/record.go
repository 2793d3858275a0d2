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
	words
}

// words is a sentence for people as the message catalogue's code and its parameters (package
// i18n): the pages word it in the reader's language. The English detail stays beside it for
// the API and for readers of events recorded before codes were.
type words struct {
	code   string
	params map[string]string
}

// say is a message code with its parameters as name, value pairs.
func say(code string, kv ...string) words {
	w := words{code: code}
	if len(kv) > 1 {
		w.params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			w.params[kv[i]] = kv[i+1]
		}
	}
	return w
}

// withParam is params with one more, as a new map (the caller's stays as it was).
func withParam(params map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(params)+1)
	// A copy: the order the map is read in never shows in the result.
	//workflowcheck:ignore
	for pk, pv := range params {
		out[pk] = pv
	}
	out[k] = v
	return out
}

// say gives the event its message code and parameters.
func (e eventSpec) say(code string, kv ...string) eventSpec {
	e.words = say(code, kv...)
	return e
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
			Code:      e.code,
			Params:    e.params,
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
		StuckMessage:   s.StuckMessage,
		StuckParams:    s.StuckParams,
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
	c.FollowUp = FollowUpRow(s)
	return c
}

// FollowUpRow is the placement follow-up the read model keeps, from the state alone (no clock),
// so that it costs no command: the same state gives the same row on replay (kompeten doctor
// derives it the same way). It is nil out of the placement stage, where the follow-ups list
// does not look.
func FollowUpRow(s CaseState) *contract.FollowUp {
	if s.Stage != vocab.StagePlacement {
		return nil
	}
	p := s.Placement
	f := &contract.FollowUp{Next: p.NextFollowUp, Missed: p.FollowUpsDone, Unanswered: p.Unanswered}
	if c := p.LastContact; c != nil {
		at := c.At
		f.Contact, f.ContactAt, f.ContactNote = c.Contact, &at, c.Note
	}
	if p.AwaitingConfirmation() {
		until := p.Confirmation.Until
		f.ConfirmUntil = &until
	}
	if r := p.Report; r != nil {
		f.Employer = r.Employer
	}
	return f
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

// markStuck flags the case with a machine-readable code and a sentence for people (in English,
// and as a catalogue message w for the pages).
func (j *journey) markStuck(ctx workflow.Context, code vocab.Reason, reason string, w words) {
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
	j.state.StuckMessage, j.state.StuckParams = w.code, w.params
	e := ev("stuck", reason)
	e.words = w
	j.commit(ctx, e)
}

// clearStuck removes the flag once the wait is over.
func (j *journey) clearStuck(ctx workflow.Context) {
	if !j.state.Stuck {
		return
	}
	reason, code := j.state.StuckReason, j.state.StuckCode
	j.clearStuckFields()
	j.commit(ctx, ev("unstuck", "no longer stuck: "+reason).say("event.unstuck", "reason", string(code)))
}

func (j *journey) clearStuckFields() {
	j.state.Stuck = false
	j.state.StuckCode = ""
	j.state.StuckReason = ""
	j.state.StuckMessage, j.state.StuckParams = "", nil
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
