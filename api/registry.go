package api

import "net/http"

func (s *Server) listCentres(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Store.ListCentres(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}

func (s *Server) listPartners(w http.ResponseWriter, r *http.Request) {
	ps, err := s.Store.ListPartners(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}
