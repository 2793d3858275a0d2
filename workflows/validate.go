package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Validators run before an update touches history (and on signals, before they are applied):
// a refusal reaches the caller as an error with the reason, and the case is unchanged.

func requireRole(a Actor, allowed ...vocab.Role) error {
	if strings.TrimSpace(a.ID) == "" {
		return refusal("refusal.actor-required", "actor id is required")
	}
	if !slices.Contains(allowed, a.Role) {
		return refusal("refusal.role", fmt.Sprintf("role %q may not do this; allowed: %s", a.Role, strings.Join(vocab.Strings(allowed), ", ")),
			"role", string(a.Role), "allowed", codes(allowed))
	}
	return nil
}

func (j *journey) requireStage(action string, stages ...vocab.Stage) error {
	if slices.Contains(stages, j.state.Stage) {
		return nil
	}
	return refusal("refusal.stage", fmt.Sprintf("cannot %s: case %s is in stage %s (needs %s)", action, j.in.CaseID, j.state.Stage, strings.Join(vocab.Strings(stages), " or ")),
		"action", actionCode(action), "case", j.in.CaseID, "stage", string(j.state.Stage), "needs", codes(stages))
}

func (j *journey) validateEnrolment(d EnrolmentDecision) error {
	if err := requireRole(d.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator); err != nil {
		return err
	}
	if err := j.requireStage("decide enrolment", vocab.StageEnrolment); err != nil {
		return err
	}
	if !j.state.Enrolment.Checked {
		return refusal("refusal.enrolment-checking", "cannot decide enrolment yet: the enrolment checks are still running")
	}
	if j.state.Enrolment.Decision != nil {
		return refusal("refusal.enrolment-decided", "enrolment was already decided")
	}
	if !d.Approve && strings.TrimSpace(d.Reason) == "" {
		return refusal("refusal.rejection-reason", "a rejection needs a reason")
	}
	if j.deciding {
		return refusal("refusal.seat-deciding", "a seat for this enrolment is being decided; try again in a moment")
	}
	return j.validateSeatOptions(d)
}

// validateSeatOptions checks the waiting-list and over-capacity options of an approval.
func (j *journey) validateSeatOptions(d EnrolmentDecision) error {
	if !d.Waitlist && !d.OverCapacity {
		return nil
	}
	switch {
	case !d.Approve:
		return refusal("refusal.seat-options-reject", "the waiting list and over-capacity apply to an approval, not a rejection")
	case d.Waitlist && d.OverCapacity:
		return refusal("refusal.seat-options-both", "approve onto the waiting list or over capacity, not both")
	case !j.seats:
		return refusal("refusal.seat-reserved-early", "this case's journey reserved its seat at the enrolment check (it started before seats were taken at approval): no waiting list or over-capacity approval for it")
	case d.OverCapacity && d.Actor.Role != vocab.RoleCoordinator:
		return refusal("refusal.over-capacity-role", fmt.Sprintf("only a coordinator may approve over capacity, not a %s", d.Actor.Role), "role", string(d.Actor.Role))
	case d.OverCapacity && strings.TrimSpace(d.Reason) == "":
		return refusal("refusal.over-capacity-reason", "an approval over capacity needs a reason")
	}
	return nil
}

func (j *journey) validateCorrection(c Correction) error {
	if err := requireRole(c.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator, vocab.RoleOperator, vocab.RoleInsurerLiaison); err != nil {
		return err
	}
	if err := j.requireStage("correct participant data", vocab.StageInsurance); err != nil {
		return err
	}
	if j.state.Insurance.DataError == "" {
		return refusal("refusal.nothing-to-correct", "no partner has rejected this participant's data; nothing to correct")
	}
	return nil
}

func (j *journey) validateAttendance(a Attendance) error {
	if err := requireRole(a.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator); err != nil {
		return err
	}
	if err := j.requireStage("record attendance", vocab.StageTraining); err != nil {
		return err
	}
	if (a.Attended == nil) == (a.Absent == nil) {
		return refusal("refusal.attendance-either", "give either attended or absent days, not both or neither")
	}
	for name, v := range map[string]*int{"attended": a.Attended, "absent": a.Absent} {
		if v != nil && (*v < 0 || *v > j.in.TrainingDays) {
			return refusal("refusal.attendance-range."+name, fmt.Sprintf("%s days must be between 0 and %d (the package's training days), got %d", name, j.in.TrainingDays, *v),
				"days", strconv.Itoa(j.in.TrainingDays), "got", strconv.Itoa(*v))
		}
	}
	return nil
}

func (j *journey) validateWithdrawal(w Withdrawal) error {
	if err := requireRole(w.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator, vocab.RoleOperator); err != nil {
		return err
	}
	if err := j.requireStage("withdraw", vocab.StageEnrolment, vocab.StageInsurance, vocab.StageTraining, vocab.StageAssessment, vocab.StageCertification); err != nil {
		return err
	}
	if j.withdrawal != nil {
		return refusal("refusal.withdrawal-pending", "a withdrawal is already being processed")
	}
	if strings.TrimSpace(w.Reason) == "" {
		return refusal("refusal.withdrawal-reason", "a withdrawal needs a reason")
	}
	return nil
}

func (j *journey) validateAssessment(r AssessmentResult) error {
	if err := requireRole(r.Actor, vocab.RoleAssessor, vocab.RoleLSPManager, vocab.RoleSystem); err != nil {
		return err
	}
	if err := j.requireStage("record an assessment result", vocab.StageAssessment); err != nil {
		return err
	}
	sched := j.state.Assessment.Schedule
	if sched == nil {
		return refusal("refusal.assessment-unscheduled", "no assessment is scheduled yet")
	}
	if j.result != nil {
		return refusal("refusal.assessment-recorded", "a result for this assessment was already recorded")
	}
	if r.AssessmentID != "" && r.AssessmentID != sched.AssessmentID {
		return refusal("refusal.assessment-not-current", fmt.Sprintf("assessment %s is not the current one (%s)", r.AssessmentID, sched.AssessmentID),
			"assessment", r.AssessmentID, "current", sched.AssessmentID)
	}
	if strings.TrimSpace(r.AssessorID) == "" {
		return refusal("refusal.assessor-required", "assessor id is required")
	}
	if len(r.Units) == 0 {
		return refusal("refusal.units-required", "at least one unit result is required")
	}
	for _, u := range r.Units {
		if u.Result != "K" && u.Result != "BK" {
			return refusal("refusal.unit-result", fmt.Sprintf("unit %q: result must be K or BK, got %q", u.Unit, u.Result), "unit", u.Unit, "got", u.Result)
		}
		if strings.TrimSpace(u.Unit) == "" {
			return refusal("refusal.unit-code", "every unit result needs a unit code")
		}
	}
	if j.audited() && len(sched.Units) > 0 {
		return unitsMatch(sched.Units, r.Units)
	}
	return nil
}

// unitsMatch requires a result for every unit assessed, once each, and for no other unit
// (RevisionAudited): a partial result is refused naming what is missing, unknown or repeated.
func unitsMatch(want []string, got []UnitResult) error {
	count := map[string]int{}
	var unknown, twice []string
	for _, u := range got {
		count[u.Unit]++
		switch {
		case !slices.Contains(want, u.Unit):
			if count[u.Unit] == 1 {
				unknown = append(unknown, u.Unit)
			}
		case count[u.Unit] == 2:
			twice = append(twice, u.Unit)
		}
	}
	var missing []string
	for _, u := range want {
		if count[u] == 0 {
			missing = append(missing, u)
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing units "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		problems = append(problems, "units not in this assessment "+strings.Join(unknown, ", "))
	}
	if len(twice) > 0 {
		problems = append(problems, "units given twice "+strings.Join(twice, ", "))
	}
	if len(problems) == 0 {
		return nil
	}
	return refusal("refusal.units-mismatch", fmt.Sprintf("a result needs K or BK for every unit assessed, once: %s (this assessment covers %s)",
		strings.Join(problems, "; "), strings.Join(want, ", ")),
		"missing", strings.Join(missing, ", "), "unknown", strings.Join(unknown, ", "), "twice", strings.Join(twice, ", "), "units", strings.Join(want, ", "))
}

func (j *journey) validateCertification(d CertificationDecision) error {
	if err := requireRole(d.Actor, vocab.RoleLSPManager); err != nil {
		return err
	}
	if err := j.requireStage("decide certification", vocab.StageCertification); err != nil {
		return err
	}
	if j.certDecision != nil {
		return refusal("refusal.certification-decided", "certification was already decided")
	}
	if !d.Approve && strings.TrimSpace(d.Reason) == "" {
		return refusal("refusal.rejection-reason", "a rejection needs a reason")
	}
	return nil
}

func (j *journey) validatePlacement(p PlacementReport) error {
	// A self-report is the graduate's, sent by the follow-up link's page; staff report as
	// themselves. Neither may pass as the other.
	if p.SelfReported {
		if err := requireRole(p.Actor, vocab.RoleGraduate); err != nil {
			return err
		}
	} else if err := requireRole(p.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator); err != nil {
		return err
	}
	if err := j.requireStage("report a placement", vocab.StagePlacement); err != nil {
		return err
	}
	// Staff correct a self-report waiting for their review by reporting the right placement
	// (step_confirm.go); a second self-report is refused like any second report.
	correcting := !p.SelfReported && j.state.Placement.AwaitingConfirmation()
	if j.placement != nil && !correcting {
		return refusal("refusal.placement-reported", "a placement was already reported")
	}
	switch p.Category {
	case vocab.PlacementFormal:
		if strings.TrimSpace(p.Employer) == "" {
			return refusal("refusal.employer-required", "formal employment needs the employer's name")
		}
	case vocab.PlacementInformal, vocab.PlacementSelfEmployed, vocab.PlacementContinuingStudy:
	default:
		return refusal("refusal.placement-category", fmt.Sprintf("category must be formal, informal, self-employed or continuing-study, got %q", p.Category), "got", string(p.Category))
	}
	if p.Start.IsZero() {
		return refusal("refusal.placement-start", "placement start date is required")
	}
	return nil
}

func (j *journey) validateKPJ(k KPJDelivery) error {
	if err := requireRole(k.Actor, vocab.RoleInsurerLiaison, vocab.RoleSystem, vocab.RoleOperator); err != nil {
		return err
	}
	if err := j.requireStage("deliver a KPJ", vocab.StageInsurance); err != nil {
		return err
	}
	if j.kpj != "" || j.state.Insurance.KPJ != "" {
		return refusal("refusal.kpj-present", "this case already has a KPJ")
	}
	if !j.state.Insurance.Queued {
		return refusal("refusal.kpj-not-queued", "this case is not waiting for a batch registration")
	}
	if strings.TrimSpace(k.KPJ) == "" {
		return refusal("refusal.kpj-required", "kpj is required")
	}
	if c := j.state.Insurance.Conflict; c != nil && strings.TrimSpace(k.KPJ) == c.Number {
		return refusal("refusal.kpj-held", fmt.Sprintf("KPJ %s belongs to case %s; this case waits for a corrected KPJ", c.Number, c.HeldBy), "number", c.Number, "held_by", c.HeldBy)
	}
	return nil
}
