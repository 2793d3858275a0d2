package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// PackageRequest creates a training package. Dates accept YYYY-MM-DD (start at the beginning,
// end at the end of that day, in the configured time zone), RFC 3339, or +DURATION from now.
type PackageRequest struct {
	Code          string  `json:"code"`
	Centre        string  `json:"centre"`
	Trade         string  `json:"trade"`
	Scheme        string  `json:"scheme"`
	LSP           string  `json:"lsp"`
	Start         string  `json:"start"`
	End           string  `json:"end"`
	Hours         int     `json:"hours"`
	Capacity      int     `json:"capacity"`
	AttendanceMin float64 `json:"attendance_min"`
	AutoApprove   bool    `json:"auto_approve"`
}

// decodePackage reads a package request (create and preview alike) into the package it
// describes; a bad body or field is answered here (false).
func (s *Server) decodePackage(w http.ResponseWriter, r *http.Request) (store.Package, bool) {
	var req PackageRequest
	if !decode(w, r, &req) {
		return store.Package{}, false
	}
	return s.packageOf(w, r, req)
}

func (s *Server) createPackage(w http.ResponseWriter, r *http.Request) {
	pkg, ok := s.decodePackage(w, r)
	if !ok {
		return
	}
	p, err := s.Svc.CreatePackage(r.Context(), pkg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	gaps, err := s.Svc.AgreementGaps(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, PackageCreated{Package: p, Warnings: i18n.EnglishAll(gaps), WarningNotes: gaps})
}

// packageOf reads a package request's dates (see PackageRequest) into a package; a bad date
// is answered 422 naming the field.
func (s *Server) packageOf(w http.ResponseWriter, r *http.Request, req PackageRequest) (store.Package, bool) {
	now := time.Now()
	loc := s.Svc.Location()
	start, err := starter.ParseWhen(req.Start, loc, now)
	if err != nil {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-date", "field", "start", "detail", err.Error()).wording("detail", err), "start: %v", err)
		return store.Package{}, false
	}
	end, err := starter.ParseWhen(req.End, loc, now)
	if err != nil {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-date", "field", "end", "detail", err.Error()).wording("detail", err), "end: %v", err)
		return store.Package{}, false
	}
	if isMidnight(end, loc) {
		// A date names the last training day: training runs to the end of it.
		end = end.Add(24*time.Hour - time.Second)
	}
	return store.Package{
		Code: req.Code, CentreCode: req.Centre, Trade: req.Trade, Scheme: req.Scheme, LSPCode: req.LSP,
		StartDate: start, EndDate: end, Hours: req.Hours, Capacity: req.Capacity,
		AttendanceMin: req.AttendanceMin, AutoApprove: req.AutoApprove,
	}, true
}

// PackagePreview is the agreement check of a package not created yet: the warnings its
// creation would answer, in English and as catalogue messages (the pages word those).
type PackagePreview struct {
	Warnings     []string       `json:"warnings"`
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
}

// previewPackage answers POST /api/v1/packages/preview: whether active agreements (MoU or
// PKS) with BPJS and the LSP cover the centre (and scheme) on the first training day, before
// the package is saved. Nothing is stored; who may create a package may ask.
func (s *Server) previewPackage(w http.ResponseWriter, r *http.Request) {
	pkg, ok := s.decodePackage(w, r)
	if !ok {
		return
	}
	gaps, err := s.Svc.AgreementGaps(r.Context(), pkg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	words := i18n.EnglishAll(gaps)
	if words == nil {
		words = []string{}
	}
	writeJSON(w, http.StatusOK, PackagePreview{Warnings: words, WarningNotes: gaps})
}

// PackageCreated is the answer to a package's creation: the package, and warnings naming the
// agreements (MoU or PKS) that do not cover it yet (issue 13): its trainees would wait for them.
// WarningNotes are the warnings as catalogue messages, which the pages word in the reader's
// language.
type PackageCreated struct {
	store.Package
	Warnings     []string       `json:"warnings,omitempty"`
	WarningNotes []i18n.Message `json:"warning_notes,omitempty"`
}

func isMidnight(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	return l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0
}

// listPackages answers GET /api/v1/packages: the packages as JSON, or every one of them as a
// download with ?format=csv (dialect=excel for Excel's Indonesian CSV) or xlsx.
func (s *Server) listPackages(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	if format != "json" {
		s.streamPackages(w, r, format, r.URL.Query().Get("centre"))
		return
	}
	ps, err := s.Store.ListPackages(r.Context(), r.URL.Query().Get("centre"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ps == nil {
		ps = []store.Package{}
	}
	writeJSON(w, http.StatusOK, ps)
}

// EnrolRequest is a batch of validated people to enrol in one package.
type EnrolRequest struct {
	People []starter.Person `json:"people"`
}

// EnrolResponse lists each person's outcome in request order.
type EnrolResponse struct {
	Results []starter.EnrolResult `json:"results"`
}

// maxEnrolBatch keeps one request's work bounded; the CLI sends larger imports in batches.
const maxEnrolBatch = 1000

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	pkg, err := s.Store.GetPackage(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req EnrolRequest
	if !decode(w, r, &req) {
		return
	}
	if len(req.People) > maxEnrolBatch {
		writeError(w, r, http.StatusRequestEntityTooLarge, say("api.too-many-people", "max", strconv.Itoa(maxEnrolBatch), "n", strconv.Itoa(len(req.People))),
			"at most %d people per request, got %d", maxEnrolBatch, len(req.People))
		return
	}
	for i, p := range req.People {
		if err := starter.CheckPerson(p); err != nil {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-person", "field", fmt.Sprintf("people[%d]", i), "detail", err.Error()).wording("detail", err), "people[%d]: %v", i, err)
			return
		}
	}
	conc := s.EnrolConcurrency
	if conc == 0 {
		conc = 16
	}
	res := s.Svc.EnrolMany(r.Context(), pkg, req.People, conc)
	for _, x := range res {
		if x.Outcome == starter.OutcomeFailed {
			s.logger().Warn("enrolment failed", "package", pkg.Code, "case", x.CaseID, "error", x.Error)
		}
	}
	writeJSON(w, http.StatusOK, EnrolResponse{Results: res})
}

// PackageUpdate changes a package (issue 16 point 1); a field left out stays as it is. Dates are
// read as at creation (PackageRequest). A raise of the capacity seats the cases on the waiting
// list in order, and a capacity below the seats taken is refused. The dates (before training
// begins), the minimum attendance, automatic approval and the LSP reach the package's running
// journeys, each applying what its stage still allows; the hours are the package's alone. The
// scheme cannot change.
type PackageUpdate struct {
	Capacity      *int     `json:"capacity,omitempty"`
	Start         *string  `json:"start,omitempty"`
	End           *string  `json:"end,omitempty"`
	Hours         *int     `json:"hours,omitempty"`
	AttendanceMin *float64 `json:"attendance_min,omitempty"`
	AutoApprove   *bool    `json:"auto_approve,omitempty"`
	LSP           *string  `json:"lsp,omitempty"`
	Scheme        *string  `json:"scheme,omitempty"`
}

// packageEditor is who an edit is sent and audited as: the authenticated identity, or (an API
// without authentication, in handler tests) the coordinator "api".
func packageEditor(r *http.Request) workflows.Actor {
	return identityActor(r, workflows.Actor{ID: "api", Role: vocab.RoleCoordinator})
}

// updatePackage is PATCH /api/v1/packages/{code}: a coordinator's change (auth's policy,
// checked with every write before it reaches here).
func (s *Server) updatePackage(w http.ResponseWriter, r *http.Request) {
	var req PackageUpdate
	if !decode(w, r, &req) {
		return
	}
	ch, ok := s.packageChanges(w, r, req)
	if !ok {
		return
	}
	out, err := s.Svc.EditPackage(r.Context(), r.PathValue("code"), ch, packageEditor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// packageChanges reads an update's dates; a bad date is answered 422 naming the field, and an
// update with nothing in it is refused.
func (s *Server) packageChanges(w http.ResponseWriter, r *http.Request, req PackageUpdate) (starter.PackageChanges, bool) {
	ch := starter.PackageChanges{Capacity: req.Capacity, Hours: req.Hours, AttendanceMin: req.AttendanceMin,
		AutoApprove: req.AutoApprove, LSP: req.LSP, Scheme: req.Scheme}
	now, loc := time.Now(), s.Svc.Location()
	if req.Start != nil {
		t, err := starter.ParseWhen(*req.Start, loc, now)
		if err != nil {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-date", "field", "start", "detail", err.Error()).wording("detail", err), "start: %v", err)
			return ch, false
		}
		ch.Start = &t
	}
	if req.End != nil {
		t, err := starter.ParseWhen(*req.End, loc, now)
		if err != nil {
			writeError(w, r, http.StatusUnprocessableEntity, say("api.bad-date", "field", "end", "detail", err.Error()).wording("detail", err), "end: %v", err)
			return ch, false
		}
		if isMidnight(t, loc) {
			// A date names the last training day: training runs to the end of it.
			t = t.Add(24*time.Hour - time.Second)
		}
		ch.End = &t
	}
	if req == (PackageUpdate{}) {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.nothing-to-change"), "nothing to change: give capacity, start, end, hours, attendance_min, auto_approve or lsp")
		return ch, false
	}
	return ch, true
}
