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

// listSchemes lists the certification schemes with their units of competence (a package names
// one; every assessment result covers its units).
func (s *Server) listSchemes(w http.ResponseWriter, r *http.Request) {
	ss, err := s.Store.ListSchemes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ss)
}

func (s *Server) listPartners(w http.ResponseWriter, r *http.Request) {
	ps, err := s.Store.ListPartners(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}
