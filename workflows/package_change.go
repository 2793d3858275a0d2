package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// UpdatePackageChanged tells a running journey that a coordinator changed its package (issue 16
// point 1): a journey copies the package's dates, minimum attendance, automatic approval and LSP
// when it starts, so an edit reaches it only through this message. The journey applies what it
// still can at its stage and writes a package-changed event saying what changed and what it
// could not apply, and why.
const UpdatePackageChanged = "package-changed"

// packageChanged versions the handling of UpdatePackageChanged, for revision-2 and revision-3
// journeys alike (it is newer than RevisionQuiet, so since does not cover it): the marker is
// written only when a change arrives, so a journey nobody edits keeps its history as it was.
const packageChanged = "package-changed"

// PackageChange is the payload of UpdatePackageChanged: the package's new values, nil (or "")
// for what did not change. TrainingDays comes with the dates (the API counts it the way it
// counts it at a journey's start).
type PackageChange struct {
	Actor         Actor      `json:"actor"`
	Start         *time.Time `json:"start,omitempty"`
	End           *time.Time `json:"end,omitempty"`
	TrainingDays  *int       `json:"training_days,omitempty"`
	AttendanceMin *float64   `json:"attendance_min,omitempty"`
	AutoApprove   *bool      `json:"auto_approve,omitempty"`
	LSP           string     `json:"lsp,omitempty"`
}

// empty says the change carries nothing a journey holds.
func (c PackageChange) empty() bool {
	return c.Start == nil && c.End == nil && c.TrainingDays == nil && c.AttendanceMin == nil &&
		c.AutoApprove == nil && strings.TrimSpace(c.LSP) == ""
}

// validatePackageChange refuses a change nobody may send, one to a closed case and values no
// journey could apply (the API refuses these first, in the same words).
func (j *journey) validatePackageChange(c PackageChange) error {
	if err := requireRole(c.Actor, vocab.RoleCoordinator); err != nil {
		return err
	}
	if j.state.Stage == vocab.StageClosed {
		return refusal("refusal.change-closed", fmt.Sprintf("case %s is closed: its package's change does not apply to it", j.in.CaseID), "case", j.in.CaseID)
	}
	if c.empty() {
		return refusal("refusal.change-empty", "nothing to change: give new dates, minimum attendance, automatic approval or LSP")
	}
	if c.TrainingDays != nil && *c.TrainingDays < 1 {
		return refusal("refusal.change-days", fmt.Sprintf("training days must be at least 1, got %d", *c.TrainingDays), "got", strconv.Itoa(*c.TrainingDays))
	}
	if c.AttendanceMin != nil && (*c.AttendanceMin < 0 || *c.AttendanceMin > 1) {
		return refusal("refusal.change-attendance", fmt.Sprintf("minimum attendance must be between 0 and 1 (e.g. 0.8), got %g", *c.AttendanceMin), "got", strconv.FormatFloat(*c.AttendanceMin, 'g', -1, 64))
	}
	if c.Start != nil && c.End != nil && c.End.Before(*c.Start) {
		return refusal("refusal.change-end", fmt.Sprintf("end %s is before start %s", j.day(*c.End), j.day(*c.Start)), "end", j.day(*c.End), "start", j.day(*c.Start))
	}
	return nil
}

// packageEdit collects what a change did to this journey: applied and not applied, each a
// sentence for the case's timeline and, in the same order, a message of the catalogue
// (change-applied.*, change-skipped.*) that words it in the reader's language.
type packageEdit struct {
	applied, skipped        []string
	appliedWords, skipWords []editWords
}

// editWords is one item of an edit as a message code and its parameters (name, value pairs, in
// order, so the event's parameters are built without reading a map).
type editWords struct {
	code string
	kv   []string
}

func (e *packageEdit) did(w editWords, format string, args ...any) {
	e.applied = append(e.applied, fmt.Sprintf(format, args...))
	e.appliedWords = append(e.appliedWords, w)
}
func (e *packageEdit) skip(w editWords, format string, args ...any) {
	e.skipped = append(e.skipped, fmt.Sprintf(format, args...))
	e.skipWords = append(e.skipWords, w)
}

// item is an edit's item as a message code with its parameters as name, value pairs.
func item(code string, kv ...string) editWords { return editWords{code: code, kv: kv} }

// detail words the edit for the package-changed event and the sender's answer.
func (e *packageEdit) detail(pkg string) string {
	out := "package " + pkg + " changed"
	if len(e.applied) > 0 {
		out += "; applied: " + strings.Join(e.applied, "; ")
	}
	if len(e.skipped) > 0 {
		out += "; not applied: " + strings.Join(e.skipped, "; ")
	}
	return out
}

// words is the edit as the package-changed event's message (event.package-changed.items): the
// items applied and not applied as lists of messages inside it ("{applied|msgs}"), so the
// pages word every item, not only the English detail.
func (e *packageEdit) words(pkg string) words {
	params := map[string]string{"package": pkg}
	put := func(list string, items []editWords) {
		if len(items) == 0 {
			return
		}
		params[list] = strconv.Itoa(len(items))
		for i, it := range items {
			key := list + "." + strconv.Itoa(i)
			params[key] = it.code
			for k := 0; k+1 < len(it.kv); k += 2 {
				params[key+"."+it.kv[k]] = it.kv[k+1]
			}
		}
	}
	put("applied", e.appliedWords)
	put("skipped", e.skipWords)
	return words{code: "event.package-changed.items", params: params}
}

// onPackageChange applies a package's change as far as the case's stage allows: dates before
// training starts, the minimum attendance before training ends, the LSP before the assessment
// is requested, automatic approval while the enrolment waits for its decision.
func (j *journey) onPackageChange(ctx workflow.Context, c PackageChange) (UpdateResult, error) {
	if workflow.GetVersion(ctx, packageChanged, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		// Only a history from before this message could get here; it changed nothing then.
		return j.ok("package change not applied: this journey predates package changes"), nil
	}
	var e packageEdit
	j.changeDates(ctx, c, &e)
	j.changeMinimum(ctx, c, &e)
	j.changeLSP(ctx, c, &e)
	if err := j.changeAutoApproval(ctx, c, &e); err != nil {
		return UpdateResult{}, err
	}
	if len(e.applied) == 0 && len(e.skipped) == 0 {
		// An edit sent again reaches the cases that took it the first time too: nothing to say.
		return j.ok("package " + j.in.PackageCode + ": nothing to apply, the case has these values already"), nil
	}
	detail := e.detail(j.in.PackageCode)
	spec := evBy("package-changed", detail, c.Actor)
	spec.words = e.words(j.in.PackageCode)
	j.commit(ctx, spec)
	return j.ok(detail), nil
}

// changeDates moves the training dates while training has not started; train's wait for the
// first day wakes (datesMoved) and waits for the new one.
func (j *journey) changeDates(ctx workflow.Context, c PackageChange, e *packageEdit) {
	if c.Start == nil && c.End == nil {
		return
	}
	start, end := j.in.Start, j.in.End
	if c.Start != nil {
		start = *c.Start
	}
	if c.End != nil {
		end = *c.End
	}
	if start.Equal(j.in.Start) && end.Equal(j.in.End) {
		return // sent again (an edit resent to the cases it missed): this case has them
	}
	now := workflow.Now(ctx)
	switch {
	case !now.Before(j.in.Start) || vocab.StageTraining.Before(j.state.Stage):
		e.skip(item("change-skipped.dates-began", "start", j.day(start), "end", j.day(end), "began", j.day(j.in.Start)),
			"dates %s to %s: training began on %s", j.day(start), j.day(end), j.day(j.in.Start))
		return
	case end.Before(start):
		e.skip(item("change-skipped.dates-order", "end", j.day(end), "start", j.day(start)),
			"dates: end %s is before start %s", j.day(end), j.day(start))
		return
	}
	was := j.day(j.in.Start) + " to " + j.day(j.in.End)
	wasStart, wasEnd := j.day(j.in.Start), j.day(j.in.End)
	j.in.Start, j.in.End = start, end
	if c.TrainingDays != nil {
		j.in.TrainingDays = *c.TrainingDays
		j.state.Training.Days = *c.TrainingDays
		j.state.Training.Rate = attendanceRate(j.state.Training, j.in.Settings.AttendanceMode)
	}
	j.datesMoved++
	e.did(item("change-applied.dates", "start", j.day(start), "end", j.day(end), "was_start", wasStart, "was_end", wasEnd, "days", strconv.Itoa(j.in.TrainingDays)),
		"training from %s to %s (was %s), %d training days", j.day(start), j.day(end), was, j.in.TrainingDays)
	if j.state.Stage != vocab.StageEnrolment {
		ins := j.state.Insurance
		e.skip(item("change-skipped.coverage-stays", "from", j.day(ins.CoverageStart), "until", j.day(ins.CoverageEnd)),
			"insurance coverage stays %s to %s: it was registered with BPJS before the change",
			j.day(ins.CoverageStart), j.day(ins.CoverageEnd))
	}
}

// changeMinimum sets the minimum attendance while training has not ended.
func (j *journey) changeMinimum(ctx workflow.Context, c PackageChange, e *packageEdit) {
	if c.AttendanceMin == nil {
		return
	}
	v := *c.AttendanceMin
	if v == j.in.AttendanceMin {
		return
	}
	if !workflow.Now(ctx).Before(j.in.End) || vocab.StageTraining.Before(j.state.Stage) {
		e.skip(item("change-skipped.minimum-ended", "min", pct(v), "end", j.day(j.in.End), "judged", pct(j.in.AttendanceMin)),
			"minimum attendance %.0f%%: training ended on %s, graduation is judged by %.0f%%", v*100, j.day(j.in.End), j.in.AttendanceMin*100)
		return
	}
	was := j.in.AttendanceMin
	j.in.AttendanceMin = v
	j.state.Training.Minimum = v
	e.did(item("change-applied.minimum", "min", pct(v), "was", pct(was)), "minimum attendance %.0f%% (was %.0f%%)", v*100, was*100)
}

// changeLSP names the new LSP while the assessment has not been requested from the old one.
func (j *journey) changeLSP(ctx workflow.Context, c PackageChange, e *packageEdit) {
	lsp := strings.TrimSpace(c.LSP)
	if lsp == "" || lsp == j.in.LSPCode {
		return
	}
	if !j.state.Stage.Before(vocab.StageAssessment) {
		e.skip(item("change-skipped.lsp-requested", "lsp", lsp, "from", j.in.LSPCode), "LSP %s: the assessment was already requested from %s", lsp, j.in.LSPCode)
		return
	}
	was := j.in.LSPCode
	j.in.LSPCode, j.state.LSPCode = lsp, lsp
	if err := workflow.UpsertTypedSearchAttributes(ctx, SALSP.ValueSet(lsp)); err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "case", j.in.CaseID, "error", err)
	}
	e.did(item("change-applied.lsp", "lsp", lsp, "was", was), "LSP %s (was %s)", lsp, was)
}

// changeAutoApproval changes automatic approval while the enrolment waits for its decision.
// Switched on for a case that waits for a centre admin with every rule passing, it approves the
// case now, as the enrolment check would have (a full package leaves it waiting, and says so).
func (j *journey) changeAutoApproval(ctx workflow.Context, c PackageChange, e *packageEdit) error {
	if c.AutoApprove == nil || *c.AutoApprove == j.in.AutoApprove {
		return nil
	}
	on := *c.AutoApprove
	word := map[bool]string{true: "on", false: "off"}[on]
	en := &j.state.Enrolment
	if j.state.Stage != vocab.StageEnrolment || en.Decision != nil {
		e.skip(item("change-skipped.auto-decided", "on", word), "automatic approval %s: the enrolment was already decided", word)
		return nil
	}
	j.in.AutoApprove = on
	switch {
	case !en.Checked:
		e.did(item("change-applied.auto-running", "on", word), "automatic approval %s, from the enrolment check that is running", word)
		return nil
	case !on:
		e.did(item("change-applied.auto-off"), "automatic approval off: the case already waits for a centre admin")
		return nil
	case len(en.Problems) > 0:
		// The rules stay in the English detail: the case's enrolment check words them.
		e.skip(item("change-skipped.auto-rules"), "automatic approval on: rules not met (%s), a centre admin decides", strings.Join(en.Problems, "; "))
		return nil
	case j.withdrawal != nil:
		e.skip(item("change-skipped.auto-withdrawal"), "automatic approval on: the trainee's withdrawal was requested")
		return nil
	case j.deciding:
		e.skip(item("change-skipped.auto-deciding"), "automatic approval on: a seat for this enrolment is being decided")
		return nil
	}
	system := Actor{ID: "kompeten", Role: vocab.RoleSystem}
	reason := "all rules pass; the package now approves automatically"
	if !j.seats {
		en.Decision = &Decided{Actor: system, At: workflow.Now(ctx), Approve: true, Reason: reason}
		j.commit(ctx, ev("enrolment-approved", "approved automatically: all rules pass and the package now approves automatically").say("event.enrolment-approved.auto"))
		e.did(item("change-applied.auto-approved"), "automatic approval on: the enrolment was approved")
		return nil
	}
	out, err := j.takeSeat(ctx, EnrolmentDecision{})
	if err != nil {
		return fmt.Errorf("take a seat in %s: %w", j.in.PackageCode, err)
	}
	if !out.Seated {
		e.skip(item("change-skipped.auto-full", "package", j.in.PackageCode, "taken", strconv.Itoa(out.Taken), "capacity", strconv.Itoa(out.Capacity)),
			"automatic approval on: %v; a centre admin decides", j.fullError(out))
		return nil
	}
	en.Seat = &SeatState{Seated: true}
	en.Decision = &Decided{Actor: system, At: workflow.Now(ctx), Approve: true, Reason: reason}
	j.commit(ctx, ev("enrolment-approved", fmt.Sprintf("approved automatically: all rules pass and the package now approves automatically; seat %d of %d", out.Taken, out.Capacity)).
		say("event.enrolment-approved.seat", "taken", strconv.Itoa(out.Taken), "capacity", strconv.Itoa(out.Capacity)))
	e.did(item("change-applied.auto-approved"), "automatic approval on: the enrolment was approved")
	return nil
}

// pct words a share (0.8) as a whole percentage ("80"), as the English detail does.
func pct(v float64) string { return fmt.Sprintf("%.0f", v*100) }
