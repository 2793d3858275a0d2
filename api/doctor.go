package api

import (
	"net/http"
)

// DoctorRequest asks the API to compare Temporal's state of every case with the read model.
type DoctorRequest struct {
	// Repair rewrites each drifted read-model row from its workflow's state.
	Repair bool `json:"repair"`
}

// doctor compares every open case and running journey with the read model (starter's Doctor)
// and, asked to, repairs the drift. It is the coordinator's and the operator's (auth's policy, ActionDoctor): the
// report covers the whole network. `kompeten doctor` calls it, so it finds the system the way
// every other command does (--server, KOMPETEN_SERVER) and needs no database or Temporal
// credentials of its own.
func (s *Server) doctor(w http.ResponseWriter, r *http.Request) {
	var req DoctorRequest
	if !decode(w, r, &req) {
		return
	}
	rep, err := s.Svc.Doctor(r.Context(), req.Repair)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	who := "unauthenticated"
	if id, ok := IdentityFrom(r.Context()); ok {
		who = id.Name
	}
	s.logger().Info("doctor", "by", who, "repair", req.Repair, "checked", rep.Checked, "drifts", len(rep.Drifts))
	writeJSON(w, http.StatusOK, rep)
}
