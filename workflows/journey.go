package workflows

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"go.temporal.io/sdk/workflow"
)

// Journey is the workflow of one participant in one training package. It returns the final
// case state when the case closes.
func Journey(ctx workflow.Context, in JourneyInput) (CaseState, error) {
	j := newJourney(ctx, in)
	if err := j.setup(ctx); err != nil {
		return j.state, err
	}
	j.startReadModelSync(ctx)
	err := j.run(ctx)
	j.drainMessages(ctx)
	// Let accepted updates finish before the workflow completes, so no caller loses an answer,
	// and the last changes reach the read model.
	if waitErr := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); waitErr != nil && err == nil {
		err = waitErr
	}
	if syncErr := j.synced(ctx); syncErr != nil && err == nil {
		err = syncErr
	}
	return j.state, err
}

// journey holds one running case. Handlers and the main loop share it; Temporal runs them
// one at a time, so no locking is needed.
type journey struct {
	in    JourneyInput
	state CaseState
	seq   int // event sequence, the idempotency key of each case event

	// signals from the handlers to the main loop
	withdrawal   *Withdrawal
	corrected    bool
	result       *AssessmentResult
	certDecision *CertificationDecision
	placement    *PlacementReport
	kpj          string
	// resolution ends a number conflict (RevisionAudited).
	resolution *NumberResolution
	// agreementNudges counts SignalAgreementChanged: an agreement may now cover the case.
	agreementNudges int
	// datesMoved counts the package changes that moved the training dates (package_change.go):
	// train's wait for the first day wakes at each and waits for the new date.
	datesMoved int
	// refusal is the stuck code of the LSP refusal the case waits on for a way out (empty when
	// it waits on none); way is the way out a person chose (RevisionAudited).
	refusal vocab.Reason
	way     *wayOut
	// lastPollRefusal is the last refusal of a polled result written to the log, so the same
	// refused result is logged once per assessment, not at every poll.
	lastPollRefusal string

	// seats: the journey takes its seat at the approval (seatsAtApproval); deciding is set while
	// a seat is being decided, so a second decision waits its turn.
	seats    bool
	deciding bool

	lastSA saSnapshot
	// loc is the package's time zone (Settings.Timezone), loaded once; nil without one.
	loc *time.Location
	// lean journeys (RevisionLean) write their read model in batches and cancel deadlines.
	lean bool
	sync readModelSync
	// messages: 0 until the first milestone asks, then 1 (a journey from before messages to
	// trainees) or 2 (it sends them); sending counts the messages still being sent.
	messages int
	sending  int
}

func newJourney(ctx workflow.Context, in JourneyInput) *journey {
	now := workflow.Now(ctx)
	j := &journey{
		in:  in,
		loc: zone(in.Settings.Timezone),
		state: CaseState{
			CaseID:         in.CaseID,
			PackageCode:    in.PackageCode,
			CentreCode:     in.CentreCode,
			LSPCode:        in.LSPCode,
			Stage:          vocab.StageEnrolment,
			StageEnteredAt: now,
			Training:       TrainingState{Days: in.TrainingDays, Minimum: in.AttendanceMin},
		},
	}
	// In absence mode nobody missed anything until an absence is recorded.
	j.state.Training.Rate = attendanceRate(j.state.Training, in.Settings.AttendanceMode)
	return j
}

// run walks the stages in order; each returns closed=true when the case ended there.
func (j *journey) run(ctx workflow.Context) error {
	j.commit(ctx, ev("started", "case opened").say("event.started"))
	steps := []func(workflow.Context) (bool, error){j.enrol, j.insure, j.train, j.assessAndCertify, j.followUp}
	for _, step := range steps {
		closed, err := step(ctx)
		if err != nil || closed {
			return err
		}
	}
	return nil
}

// enterStage moves the case to a new stage and records it.
func (j *journey) enterStage(ctx workflow.Context, s vocab.Stage, detail string, w words) {
	j.state.Stage = s
	j.state.StageEnteredAt = workflow.Now(ctx)
	j.state.WaitingOn = ""
	e := ev("stage", detail)
	e.words = w
	j.commit(ctx, e)
}

// close ends the case with an outcome.
func (j *journey) close(ctx workflow.Context, o vocab.Outcome, reason string, w words) (bool, error) {
	if err := j.freeSeat(ctx); err != nil {
		return false, err
	}
	j.state.Stage = vocab.StageClosed
	j.state.StageEnteredAt = workflow.Now(ctx)
	j.state.Outcome = o
	j.state.OutcomeReason = reason
	j.state.WaitingOn = ""
	j.clearStuckFields()
	e := ev("closed", string(o)+": "+reason)
	e.words = w
	if w.code != "event.closed" {
		// The outcome is part of every closing sentence; the specific message adds it.
		e.words.params = withParam(w.params, "outcome", string(o))
	}
	j.commit(ctx, e)
	return true, nil
}

// until returns how long from now until t (zero when t has passed).
func until(ctx workflow.Context, t time.Time) time.Duration {
	d := t.Sub(workflow.Now(ctx))
	if d < 0 {
		return 0
	}
	return d
}

// day words a date for the case log in the package's time zone (timezone.go embeds the tz
// database in the workflows package, so every worker and every replay words it the same way).
func (j *journey) day(t time.Time) string {
	return j.local(t).Format("2006-01-02")
}

// when words a date and time for the case log in the package's time zone.
func (j *journey) when(t time.Time) string {
	return j.local(t).Format("2006-01-02 15:04")
}

// local is t in the package's time zone; without one, t as it is.
func (j *journey) local(t time.Time) time.Time {
	if j.loc != nil {
		return t.In(j.loc)
	}
	return t
}
