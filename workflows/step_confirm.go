package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// selfReportConfirmID versions staff's review of a self-reported placement (issue 18: staff
// "can confirm or correct it"). Since it, a quiet journey (RevisionQuiet) does not close on a
// graduate's self-report: it waits, for its window (confirmWindow), in
// placement follow-up on the centre admin, until staff confirm it (UpdateConfirmPlacement),
// correct it (a staff UpdateReportPlacement, which replaces it), or the window ends (it closes
// self-reported, unconfirmed, as before). It is asked with a marker (ChangesSinceQuiet) only
// when a self-report arrives, so rev-3 histories recorded before it (a self-report closing at
// once, with no marker) replay on their old path, and running rev-3 journeys that self-report
// later take the new one; journeys before RevisionQuiet never ask.
const selfReportConfirmID = "self-report-confirm"

// Event kinds of the review.
const (
	eventPlacementConfirmed = "placement-confirmed"
	eventPlacementCorrected = "placement-corrected"
	eventSelfReportLapsed   = "self-report-unconfirmed"
)

// DefaultSelfReportConfirm is the confirmation window of a quiet journey started before
// journey.selfreport_confirm existed (Settings.SelfReportConfirm 0): running rev-3 journeys get
// the window too once this code runs them, behind selfReportConfirmID.
const DefaultSelfReportConfirm = 14 * 24 * time.Hour

// ChangesSinceQuiet are the GetVersion change IDs released after RevisionQuiet: a quiet journey
// asks them with a marker (each marker also upserts TemporalChangeVersion), since journeys of
// that revision were already running when they came. Only a case that reaches the change pays.
var ChangesSinceQuiet = []string{selfReportConfirmID, packageChanged}

// confirmWindow is this journey's confirmation window.
func (j *journey) confirmWindow() time.Duration {
	if w := j.in.Settings.SelfReportConfirm; w > 0 {
		return w
	}
	return DefaultSelfReportConfirm
}

// confirmRoles may confirm or correct a self-report: the staff who report placements.
var confirmRoles = []vocab.Role{vocab.RoleCentreAdmin, vocab.RoleCoordinator}

// openConfirmation starts the review window of a self-report just recorded, when this journey
// has one; the caller commits the state with the report's event.
func (j *journey) openConfirmation(ctx workflow.Context) {
	if !j.in.Quiet() {
		return
	}
	if workflow.GetVersion(ctx, selfReportConfirmID, workflow.DefaultVersion, 1) < 1 {
		return
	}
	j.state.Placement.Confirmation = &ConfirmationState{Status: ConfirmAwaiting, Until: workflow.Now(ctx).Add(j.confirmWindow())}
}

// awaitConfirmation holds a case whose self-report waits for staff until they confirm or
// correct it or the window ends; it returns at once for any other case.
func (j *journey) awaitConfirmation(ctx workflow.Context) error {
	p := &j.state.Placement
	if !p.AwaitingConfirmation() {
		return nil
	}
	c := p.Confirmation
	j.setWaiting(ctx, vocab.WaitingCentreAdmin)
	decided := func() bool { return c.Status != ConfirmAwaiting }
	done, err := j.awaitDeadline(ctx, until(ctx, c.Until), decided)
	if err != nil {
		return err
	}
	if !done {
		c.Status = ConfirmLapsed
		j.commit(ctx, ev(eventSelfReportLapsed, fmt.Sprintf(
			"no staff confirmation or correction of the self-reported placement by %s: it stands as self-reported, unconfirmed", j.day(c.Until))).
			say("event.self-report-unconfirmed", "until", j.day(c.Until)))
	}
	return nil
}

// closingWords are closingDetail's words for the catalogue (i18n): its code and parameters.
func (j *journey) closingWords(r PlacementReport) words {
	c := j.state.Placement.Confirmation
	if c == nil {
		return placementWords(r)
	}
	switch c.Status {
	case ConfirmConfirmed:
		return say("event.placement-reported.confirmed", "category", string(r.Category))
	case ConfirmCorrected:
		return say("event.placement-reported.corrected", "category", string(r.Category), "self", string(c.SelfReport.Category))
	case ConfirmLapsed:
		return say("event.placement-reported.unconfirmed", "category", string(r.Category))
	}
	return placementWords(r)
}

// closingDetail is the closed event's sentence for the placement the case closes with.
func (j *journey) closingDetail(r PlacementReport) string {
	c := j.state.Placement.Confirmation
	if c == nil {
		return placementDetail(r)
	}
	switch c.Status {
	case ConfirmConfirmed:
		return "placement reported: " + string(r.Category) + " (self-reported by the graduate, confirmed by staff)"
	case ConfirmCorrected:
		return "placement reported: " + string(r.Category) + " (corrected by staff; the graduate self-reported " + string(c.SelfReport.Category) + ")"
	case ConfirmLapsed:
		return "placement reported: " + string(r.Category) + " (self-reported by the graduate, unconfirmed)"
	}
	return placementDetail(r)
}

// validateConfirmPlacement admits a confirmation from staff while a self-report waits for one.
// The refusals are worded in Indonesian first, as the pages show them.
func (j *journey) validateConfirmPlacement(c PlacementConfirmation) error {
	if strings.TrimSpace(c.Actor.ID) == "" {
		return refusal("refusal.actor-required", "pelaku wajib diisi · actor id is required")
	}
	if !slices.Contains(confirmRoles, c.Actor.Role) {
		return refusal("refusal.confirm-role", fmt.Sprintf("peran %s tidak boleh mengonfirmasi penempatan; yang boleh: %s · role %q may not confirm a placement; allowed: %s",
			c.Actor.Role, strings.Join(vocab.Strings(confirmRoles), ", "), c.Actor.Role, strings.Join(vocab.Strings(confirmRoles), ", ")),
			"role", string(c.Actor.Role), "allowed", codes(confirmRoles))
	}
	if err := j.requireConfirmation("confirm a placement"); err != nil {
		return err
	}
	if len(c.Note) > maxContactNote {
		return refusal("refusal.note-length", fmt.Sprintf("catatan %d karakter; paling banyak %d · the note is %d characters; at most %d", len(c.Note), maxContactNote, len(c.Note), maxContactNote),
			"length", strconv.Itoa(len(c.Note)), "max", strconv.Itoa(maxContactNote))
	}
	return nil
}

// requireConfirmation refuses a review step on a case that has no self-report waiting for one.
func (j *journey) requireConfirmation(action string) error {
	p := j.state.Placement
	if p.AwaitingConfirmation() {
		return nil
	}
	why := fmt.Sprintf("tahap %s", j.state.Stage)
	en := fmt.Sprintf("stage %s", j.state.Stage)
	whyCode, status := "stage", ""
	if c := p.Confirmation; c != nil {
		why, en = "sudah "+confirmWord(c.Status), "already "+c.Status
		whyCode, status = "status", c.Status
	} else if j.state.Stage == vocab.StagePlacement {
		why, en = "tidak ada penempatan yang dilaporkan sendiri", "no self-reported placement"
		whyCode = "none"
	}
	return refusal("refusal.no-confirmation."+whyCode, fmt.Sprintf("kasus %s tidak menunggu konfirmasi penempatan (%s) · cannot %s: case %s is not waiting for a placement confirmation (%s)",
		j.in.CaseID, why, action, j.in.CaseID, en),
		"action", actionCode(action), "case", j.in.CaseID, "stage", string(j.state.Stage), "status", status)
}

// confirmWord is a review status in Indonesian, for refusals.
func confirmWord(status string) string {
	switch status {
	case ConfirmConfirmed:
		return "dikonfirmasi"
	case ConfirmCorrected:
		return "dikoreksi"
	case ConfirmLapsed:
		return "lewat batas waktu"
	}
	return status
}

// onConfirmPlacement records staff's confirmation; the main loop then closes the case with the
// self-report as given.
func (j *journey) onConfirmPlacement(ctx workflow.Context, c PlacementConfirmation) (UpdateResult, error) {
	conf := j.state.Placement.Confirmation
	now := workflow.Now(ctx)
	actor := c.Actor
	conf.Status, conf.Actor, conf.At = ConfirmConfirmed, &actor, &now
	detail := "self-reported placement confirmed by staff: " + string(j.placement.Category)
	if note := strings.TrimSpace(c.Note); note != "" {
		detail += " (" + note + ")"
	}
	j.commit(ctx, evBy(eventPlacementConfirmed, detail, c.Actor).say("event.placement-confirmed", "category", string(j.placement.Category), "note", strings.TrimSpace(c.Note)))
	return j.ok("self-reported placement confirmed; the case will close"), nil
}

// onPlacementCorrection replaces a self-report waiting for review with staff's report: the
// case closes with staff's, and the timeline keeps both.
func (j *journey) onPlacementCorrection(ctx workflow.Context, p PlacementReport) (UpdateResult, error) {
	conf := j.state.Placement.Confirmation
	now := workflow.Now(ctx)
	self := *j.placement
	actor := p.Actor
	conf.Status, conf.Actor, conf.At, conf.SelfReport = ConfirmCorrected, &actor, &now, &self
	j.placement = &p
	j.state.Placement.Report = &p
	j.state.Placement.ReportedAt = &now
	j.commit(ctx, evBy(eventPlacementCorrected, fmt.Sprintf("placement corrected by staff: %s (replaces the graduate's self-report: %s)", p.Category, self.Category), p.Actor).
		say("event.placement-corrected", "category", string(p.Category), "self", string(self.Category)))
	return j.ok("placement corrected; it replaces the self-report and the case will close"), nil
}
