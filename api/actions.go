package api

import (
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// action is one human step: the update it sends and the shape of its body.
type action struct {
	update string
	body   func() any
}

// actions maps POST /api/v1/cases/{id}/<path> onto the journey's updates. The body is the
// update's argument as is (actor included), so the API adds nothing the workflow cannot check.
var actions = map[string]action{
	"enrolment":     {workflows.UpdateDecideEnrolment, func() any { return &workflows.EnrolmentDecision{} }},
	"correction":    {workflows.UpdateCorrectParticipant, func() any { return &workflows.Correction{} }},
	"attendance":    {workflows.UpdateRecordAttendance, func() any { return &workflows.Attendance{} }},
	"withdrawal":    {workflows.UpdateWithdraw, func() any { return &workflows.Withdrawal{} }},
	"assessment":    {workflows.UpdateRecordAssessment, func() any { return &workflows.AssessmentResult{} }},
	"certification": {workflows.UpdateDecideCertification, func() any { return &workflows.CertificationDecision{} }},
	"placement":     {workflows.UpdateReportPlacement, func() any { return &workflows.PlacementReport{} }},
}

func (s *Server) action(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body := a.body()
		if !decode(w, r, body) {
			return
		}
		res, err := s.Svc.Update(r.Context(), r.PathValue("id"), a.update, body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}
