package simulator

import (
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners/bpjs"
)

// registered is a person as the population register (Dukcapil) knows them, which BPJS checks a
// registration against.
type registered struct {
	name  string
	birth time.Time
}

// KnowPerson makes the population register hold name and birth date for nik: from then on a
// registration with that NIK is refused as bad data (422 identity_mismatch) unless its name
// (case and spacing aside) and birth date match, whatever DataErrorRate says. This is the
// per-person control of data errors: a record imported wrong is refused until corrected, and a
// wrong NIK that belongs to someone else is refused until the NIK is corrected. Not remembered
// across a restart.
func (s *BPJS) KnowPerson(nik, name string, birth time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.population == nil {
		s.population = map[string]registered{}
	}
	s.population[nik] = registered{name: foldName(name), birth: birth.UTC().Truncate(24 * time.Hour)}
}

// mismatch says whether the population register knows req's NIK as someone else. The caller
// holds s.mu.
func (s *BPJS) mismatch(req bpjs.RegisterRequest) bool {
	p, known := s.population[req.NIK]
	if !known {
		return false
	}
	return p.name != foldName(req.Name) || req.BirthDate.Format(time.DateOnly) != p.birth.Format(time.DateOnly)
}

func foldName(n string) string { return strings.ToLower(strings.Join(strings.Fields(n), " ")) }

// handleKnowPerson is POST /sim/population {"nik":"…","name":"…","birth_date":"2004-07-19"}.
func (s *BPJS) handleKnowPerson(w http.ResponseWriter, r *http.Request) {
	var body struct {
		NIK       string `json:"nik"`
		Name      string `json:"name"`
		BirthDate string `json:"birth_date"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	birth, err := time.Parse(time.DateOnly, body.BirthDate)
	if err != nil || body.NIK == "" || body.Name == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "nik, name and birth_date (YYYY-MM-DD) are required")
		return
	}
	s.KnowPerson(body.NIK, body.Name, birth)
	w.WriteHeader(http.StatusNoContent)
}
