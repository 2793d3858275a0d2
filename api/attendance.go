package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// AttendanceRegisterRequest is one day's register for a whole package: the case IDs of the
// trainees present and of those absent. Every trainee in training is listed once.
type AttendanceRegisterRequest struct {
	Present []string `json:"present"`
	Absent  []string `json:"absent"`
	// Actor counts only when the API runs without tokens (handler tests): the token says who.
	Actor workflows.Actor `json:"actor"`
}

// attendanceRoutes registers the day register of a package.
func (s *Server) attendanceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/packages/{code}/attendance", s.attendanceOverview)
	mux.HandleFunc("GET /api/v1/packages/{code}/attendance/{date}", s.attendanceDay)
	mux.HandleFunc("PUT /api/v1/packages/{code}/attendance/{date}", s.recordAttendanceDay)
}

// recordAttendanceDay stores a day's register and sends each changed running count to its
// journey (starter.RecordRegister); the answer reports every case. Recording the same day again
// replaces it. A centre admin of the package's centre or a coordinator may record it.
func (s *Server) recordAttendanceDay(w http.ResponseWriter, r *http.Request) {
	var req AttendanceRegisterRequest
	if !decode(w, r, &req) {
		return
	}
	pkg, day, ok := s.registerDay(w, r, true)
	if !ok {
		return
	}
	actor := identityActor(r, req.Actor)
	if strings.TrimSpace(actor.ID) == "" {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.actor-required"), "actor.id is required: say who records the register")
		return
	}
	res, err := s.Svc.RecordRegister(r.Context(), starter.Register{Package: pkg.Code, Day: day, Present: req.Present, Absent: req.Absent, Actor: actor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// attendanceDay reads one day's register, with whom it must list.
func (s *Server) attendanceDay(w http.ResponseWriter, r *http.Request) {
	pkg, day, ok := s.registerDay(w, r, false)
	if !ok {
		return
	}
	v, err := s.Svc.RegisterDay(r.Context(), pkg.Code, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// attendanceOverview reads a package's register: days recorded and missing, running counts.
func (s *Server) attendanceOverview(w http.ResponseWriter, r *http.Request) {
	pkg, ok := s.registerPackage(w, r, false)
	if !ok {
		return
	}
	o, err := s.Svc.RegisterOverview(r.Context(), pkg.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// registerPackage reads the package of a register request and checks the caller may read its
// register (it lists the package's cases: a scoped role reads its own centres' or LSPs') or,
// for a write, record it (a centre admin of its centre, a coordinator).
func (s *Server) registerPackage(w http.ResponseWriter, r *http.Request, write bool) (store.Package, bool) {
	pkg, err := s.Store.GetPackage(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return pkg, false
	}
	id, ok := IdentityFrom(r.Context())
	if !ok {
		return pkg, true
	}
	if write && !id.May(auth.ActionRecordRegister) {
		refuseRole(w, r, id.Role, auth.ActionRecordRegister)
		return pkg, false
	}
	if scoped(id) && !id.MayActOn(pkg.CentreCode, pkg.LSPCode) {
		writeError(w, r, http.StatusForbidden, say("api.scope-package", "role", string(id.Role), "name", id.Name, "scope", scopeCodes(id), "package", pkg.Code, "centre", pkg.CentreCode),
			"%s %s is scoped to %s; package %s is at centre %s", id.Role, id.Name, scopeText(id), pkg.Code, pkg.CentreCode)
		return pkg, false
	}
	return pkg, true
}

// scoped says whether a role's reach is limited to the codes of its token.
func scoped(id auth.Identity) bool {
	return id.Role == vocab.RoleCentreAdmin || id.Role == vocab.RoleLSPManager
}

// registerDay reads the package (see registerPackage) and the {date} of a register path:
// YYYY-MM-DD (or DD-MM-YYYY, today, -1d).
func (s *Server) registerDay(w http.ResponseWriter, r *http.Request, write bool) (store.Package, time.Time, bool) {
	pkg, ok := s.registerPackage(w, r, write)
	if !ok {
		return pkg, time.Time{}, false
	}
	day, err := ParseDay(r.PathValue("date"), time.Now().In(s.Svc.Location()))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, say("api.bad-date", "field", "date", "detail", err.Error()).wording("detail", err), "date: %v", err)
		return pkg, day, false
	}
	return pkg, day, true
}
