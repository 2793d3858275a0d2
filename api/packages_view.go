package api

import (
	"net/http"
	"sort"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// PackageView is one package as its page shows it: the package, how full it is and its waiting
// list (case IDs, first in line first).
type PackageView struct {
	store.Package
	Seats    store.SeatCount `json:"seats"`
	Waitlist []string        `json:"waitlist"`
}

// getPackage answers GET /api/v1/packages/{code}: the package with its seats and waiting list.
func (s *Server) getPackage(w http.ResponseWriter, r *http.Request) {
	p, err := s.Store.GetPackage(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := PackageView{Package: p, Waitlist: []string{}}
	counts, err := s.Store.SeatCounts(r.Context(), []string{p.Code})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Seats = counts[p.Code]
	if v.Seats.Waiting > 0 {
		pos, err := s.Store.WaitlistPositions(r.Context(), p.Code)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for id := range pos {
			v.Waitlist = append(v.Waitlist, id)
		}
		sort.Slice(v.Waitlist, func(a, b int) bool { return pos[v.Waitlist[a]] < pos[v.Waitlist[b]] })
	}
	writeJSON(w, http.StatusOK, v)
}
