package api

import (
	"fmt"
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// action is one human step: the update it sends and the shape of its body.
type action struct {
	update string
	body   func() any
}

// actions maps POST /api/v1/cases/{id}/<path> onto the journey's updates. The body is the
// update's argument; its actor is replaced by the authenticated identity (authorize), and the
// service signs it, so the workflow checks exactly who the API let through. A correction
// writes the participant's record as well: its route is served by correct (corrections.go).
var actions = map[string]action{
	"enrolment":     {workflows.UpdateDecideEnrolment, func() any { return &workflows.EnrolmentDecision{} }},
	"correction":    {workflows.UpdateCorrectParticipant, func() any { return &workflows.Correction{} }},
	"attendance":    {workflows.UpdateRecordAttendance, func() any { return &workflows.Attendance{} }},
	"withdrawal":    {workflows.UpdateWithdraw, func() any { return &workflows.Withdrawal{} }},
	"assessment":    {workflows.UpdateRecordAssessment, func() any { return &workflows.AssessmentResult{} }},
	"certification": {workflows.UpdateDecideCertification, func() any { return &workflows.CertificationDecision{} }},
	"placement":     {workflows.UpdateReportPlacement, func() any { return &workflows.PlacementReport{} }},
	"follow-up":     {workflows.UpdateRecordFollowUp, func() any { return &workflows.FollowUpContact{} }},
	// Staff confirm a self-reported placement waiting for them (they correct one through
	// "placement", which replaces it).
	"placement/confirm": {workflows.UpdateConfirmPlacement, func() any { return &workflows.PlacementConfirmation{} }},
	// The ways out of an LSP's refusal of the assessment request or of the certificate.
	workflows.UpdateRetryRefused:      {workflows.UpdateRetryRefused, func() any { return &workflows.RefusalDecision{} }},
	workflows.UpdateOrderReassessment: {workflows.UpdateOrderReassessment, func() any { return &workflows.RefusalDecision{} }},
	workflows.UpdateCloseUncertified:  {workflows.UpdateCloseUncertified, func() any { return &workflows.RefusalDecision{} }},
	"number-conflict":                 {workflows.UpdateResolveNumberConflict, func() any { return &workflows.NumberResolution{} }},
}

func (s *Server) action(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body := a.body()
		if !decode(w, r, body) {
			return
		}
		actor := actorOf(body)
		who, c, ok := s.authorize(w, r, r.PathValue("id"), a.update, *actor)
		if !ok {
			return
		}
		*actor = who
		// An enrolment approval over rules the check found not met needs a reason, recorded
		// in the case's timeline after the approval.
		var rules failed
		if d, ok := body.(*workflows.EnrolmentDecision); ok {
			if rules, ok = s.checkOverride(w, r, r.PathValue("id"), d); !ok {
				return
			}
		}
		res, err := s.sendUpdate(r, c, r.PathValue("id"), a.update, body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(rules.rules) > 0 {
			d := body.(*workflows.EnrolmentDecision)
			c, err := s.Store.GetCase(r.Context(), r.PathValue("id")) // as the step left it
			if err == nil {
				err = s.recordOverride(r, c, rules, d.Reason, who, d.Approve)
			}
			if err != nil {
				s.fail(w, r, fmt.Errorf("%s, but: %w", res.Message, err))
				return
			}
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// actorOf points at the actor field of an action body (every body type has one).
func actorOf(body any) *workflows.Actor {
	switch b := body.(type) {
	case *workflows.EnrolmentDecision:
		return &b.Actor
	case *workflows.Correction:
		return &b.Actor
	case *workflows.Attendance:
		return &b.Actor
	case *workflows.Withdrawal:
		return &b.Actor
	case *workflows.AssessmentResult:
		return &b.Actor
	case *workflows.CertificationDecision:
		return &b.Actor
	case *workflows.PlacementReport:
		return &b.Actor
	case *workflows.FollowUpContact:
		return &b.Actor
	case *workflows.PlacementConfirmation:
		return &b.Actor
	case *workflows.RefusalDecision:
		return &b.Actor
	case *workflows.NumberResolution:
		return &b.Actor
	}
	panic(fmt.Sprintf("action body %T has no actor", body))
}
