package workflows

import (
	"fmt"
	"strconv"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// seatsAtApproval versions where a journey takes its seat (issue 13): before it, the enrolment
// check reserved one and a full package was only a problem in the case's log, so an approver
// could still approve; since, approving takes the seat, and a full package refuses the approval.
const seatsAtApproval = "seats-at-approval"

// ErrTypePackageFull is the type of the error an approval gets when no seat is left.
const ErrTypePackageFull = "PackageFull"

// SignalSeatGranted tells a case on its package's waiting list that it has its seat.
const SignalSeatGranted = contract.SignalSeatGranted

// SeatGranted is the payload of SignalSeatGranted.
type SeatGranted = contract.SeatGranted

// fullError words a refused approval with the count, and carries its message code (the
// update's failure is in the history, but replay never compares it).
func (j *journey) fullError(out contract.SeatOutcome) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("package %s is full: %d of %d seats taken", j.in.PackageCode, out.Taken, out.Capacity),
		ErrTypePackageFull, nil, RefusalDetails{Code: "refusal.package-full", Params: map[string]string{
			"package": j.in.PackageCode, "taken": strconv.Itoa(out.Taken), "capacity": strconv.Itoa(out.Capacity)}})
}

// takeSeat asks the store for a seat for this case under the package's lock. j.deciding keeps a
// second decision out while it runs (validateEnrolment).
func (j *journey) takeSeat(ctx workflow.Context, d EnrolmentDecision) (contract.SeatOutcome, error) {
	j.deciding = true
	defer func() { j.deciding = false }()
	var out contract.SeatOutcome
	err := contract.TakeSeat.Execute(storeCall(ctx), contract.SeatInput{
		CaseID: j.in.CaseID, PackageCode: j.in.PackageCode,
		Waitlist: d.Waitlist, OverCapacity: d.OverCapacity, Reason: d.Reason,
	}).Get(ctx, &out)
	return out, err
}

// decideWithSeat is an approval from a person (seatsAtApproval): the seat first, then the
// decision. A full package refuses it with the count, and nothing about the case changes.
func (j *journey) decideWithSeat(ctx workflow.Context, d EnrolmentDecision) (UpdateResult, error) {
	out, err := j.takeSeat(ctx, d)
	if err != nil {
		return UpdateResult{}, fmt.Errorf("take a seat in %s: %w", j.in.PackageCode, err)
	}
	if !out.Seated && !out.Waiting {
		return UpdateResult{}, j.fullError(out)
	}
	e := &j.state.Enrolment
	e.Decision = &Decided{Actor: d.Actor, At: workflow.Now(ctx), Approve: true, Reason: d.Reason}
	full := out.Capacity > 0 && out.Taken > out.Capacity
	e.Seat = &SeatState{Seated: out.Seated, Waiting: out.Waiting, Position: out.Position, OverCapacity: out.Seated && full}
	switch {
	case out.Waiting:
		msg := fmt.Sprintf("enrolment approved onto the waiting list of %s at position %d (%d of %d seats taken)",
			j.in.PackageCode, out.Position, out.Taken, out.Capacity)
		j.commit(ctx, evBy("enrolment-waitlisted", msg, d.Actor).say("event.enrolment-waitlisted", "package", j.in.PackageCode, "position", strconv.Itoa(out.Position), "taken", strconv.Itoa(out.Taken), "capacity", strconv.Itoa(out.Capacity)))
		return j.ok(msg), nil
	case full:
		msg := fmt.Sprintf("enrolment approved over capacity: %d of %d seats taken; reason: %s", out.Taken, out.Capacity, d.Reason)
		j.commit(ctx, evBy("enrolment-approved", msg, d.Actor).say("event.enrolment-approved.over", "taken", strconv.Itoa(out.Taken), "capacity", strconv.Itoa(out.Capacity), "reason", d.Reason))
		return j.ok(msg), nil
	}
	msg := fmt.Sprintf("enrolment approved: seat %d of %d", out.Taken, out.Capacity)
	if out.Capacity == 0 {
		msg = "enrolment approved"
	}
	code := "event.enrolment-approved.seat"
	if out.Capacity == 0 {
		code = "event.enrolment-approved"
	}
	j.commit(ctx, evBy("enrolment-approved", msg, d.Actor).say(code, "taken", strconv.Itoa(out.Taken), "capacity", strconv.Itoa(out.Capacity)))
	return j.ok(msg), nil
}

// awaitSeat holds an approved case on the waiting list until a seat is given to it (a seated
// case left before training, or the capacity was raised) or it withdraws.
func (j *journey) awaitSeat(ctx workflow.Context) error {
	s := j.state.Enrolment.Seat
	if s == nil || !s.Waiting {
		return nil
	}
	return j.await(ctx, vocab.WaitingSeat, func() bool { return s.Seated || j.withdrawal != nil })
}

// onSeatGranted takes the notice that a waiting case has its seat.
func (j *journey) onSeatGranted(ctx workflow.Context, g SeatGranted) {
	s := j.state.Enrolment.Seat
	if s == nil || !s.Waiting {
		workflow.GetLogger(ctx).Warn("seat notice for a case not on the waiting list", "case", j.in.CaseID)
		return
	}
	s.Seated, s.Waiting, s.FreedBy = true, false, g.FreedBy
	detail := "seat in " + j.in.PackageCode + " given from the waiting list: "
	if strings.HasPrefix(g.FreedBy, "capacity") {
		detail += g.FreedBy
	} else {
		detail += "freed by case " + g.FreedBy
	}
	j.commit(ctx, ev("seat-granted", detail).say("event.seat-granted", "package", j.in.PackageCode, "by", g.FreedBy))
}

// freeSeat gives up the seat (or waiting-list place) of a case that ends before training, and
// writes which waiting case moved into it (seatsAtApproval).
func (j *journey) freeSeat(ctx workflow.Context) error {
	before := workflow.Now(ctx).Before(j.in.Start) || j.state.Stage.Before(vocab.StageTraining)
	if !j.seats || !before {
		return nil
	}
	var res contract.FreeSeatResult
	err := contract.FreeSeat.Execute(storeCall(ctx), contract.FreeSeatInput{CaseID: j.in.CaseID, PackageCode: j.in.PackageCode}).Get(ctx, &res)
	if err != nil {
		return fmt.Errorf("free the seat in %s: %w", j.in.PackageCode, err)
	}
	s := j.state.Enrolment.Seat
	if s == nil {
		return nil
	}
	what := "seat"
	if s.Waiting {
		what = "place on the waiting list"
	}
	detail := what + " in " + j.in.PackageCode + " given up"
	for i, id := range res.MovedIn {
		if i == 0 {
			detail += "; moved in from the waiting list: case " + id
		} else {
			detail += ", case " + id
		}
	}
	code := "event.seat-freed"
	if s.Waiting {
		code = "event.seat-freed.waiting"
	}
	s.Seated, s.Waiting = false, false
	j.commit(ctx, ev("seat-freed", detail).say(code, "package", j.in.PackageCode, "moved", strings.Join(res.MovedIn, ", ")))
	return nil
}
