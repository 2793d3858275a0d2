package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
)

// packageEdit is the package page's edit form (issue 16 point 1): the values as typed, so a
// refused form comes back filled in, and the agreement check's answer.
//
// It offers what PATCH /api/v1/packages/{code} accepts, which today is the capacity only: the
// dates, hours, LSP, minimum attendance and automatic approval cannot be changed by any client
// yet (the API would have to move the journeys' timers with the dates).
type packageEdit struct {
	Capacity string
	// Error is the API's refusal of the last save or check, in its words.
	Error string
	// Checked says the agreements were checked (the check button); Warnings are the gaps.
	Checked  bool
	Warnings []string
}

// packageEditRoutes adds the edit form's posts to forms (guarded against other sites by the caller).
func (s *Server) packageEditRoutes(forms map[string]http.HandlerFunc) {
	forms["POST /packages/{code}/edit"] = s.savePackageEdit
	forms["POST /packages/{code}/edit/check"] = s.checkPackageEdit
}

// readPackageEdit reads the edit form: the form as typed and the capacity, or false when the
// capacity is not a whole number (the form's Error says so).
func readPackageEdit(r *http.Request) (packageEdit, int, bool) {
	e := packageEdit{Capacity: strings.TrimSpace(r.PostFormValue("capacity"))}
	n, err := strconv.Atoi(e.Capacity)
	if err != nil || n < 0 {
		e.Error = "capacity: give a whole number, got " + strconv.Quote(e.Capacity)
		return e, 0, false
	}
	return e, n, true
}

// editRefused shows the package page again with the edit form as typed and the API's refusal
// in its words (or the page's failure when the API did not answer with a refusal).
func (s *Server) editRefused(w http.ResponseWriter, r *http.Request, e packageEdit, err error) {
	var ae *apiclient.Error
	if !errors.As(err, &ae) {
		s.failPage(w, r, err)
		return
	}
	e.Error = ae.Say()
	s.showPackageEdit(w, r, e, ae.Status)
}

// showPackageEdit renders the package page with the edit form e.
func (s *Server) showPackageEdit(w http.ResponseWriter, r *http.Request, e packageEdit, status int) {
	d, err := s.loadPackage(r, r.PathValue("code"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.Edit = e
	s.renderPackage(w, r, d, status)
}

// checkPackageEdit asks the API whether active agreements cover the package as it would be
// after the change (POST /api/v1/packages/preview, the create form's check): nothing is saved.
func (s *Server) checkPackageEdit(w http.ResponseWriter, r *http.Request) {
	e, n, ok := readPackageEdit(r)
	if !ok {
		s.showPackageEdit(w, r, e, http.StatusUnprocessableEntity)
		return
	}
	p, err := s.api.PackageView(r.Context(), r.PathValue("code"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	req := api.PackageRequest{Code: p.Code, Centre: p.CentreCode, Trade: p.Trade, Scheme: p.Scheme, LSP: p.LSPCode,
		Start: p.StartDate.Format(time.RFC3339), End: p.EndDate.Format(time.RFC3339), Hours: p.Hours,
		Capacity: n, AttendanceMin: p.AttendanceMin, AutoApprove: p.AutoApprove}
	pv, err := s.api.PreviewPackage(r.Context(), req)
	if err != nil {
		s.editRefused(w, r, e, err)
		return
	}
	e.Checked, e.Warnings = true, pv.Warnings
	s.showPackageEdit(w, r, e, http.StatusOK)
}

// savePackageEdit sends the change through PATCH /api/v1/packages/{code} (the CLI's `kompeten
// package update`): saved, back to the package page with the cases the raise seated; refused
// (below the seats taken, a role that may not), the form comes back as typed with the API's words.
func (s *Server) savePackageEdit(w http.ResponseWriter, r *http.Request) {
	e, n, ok := readPackageEdit(r)
	if !ok {
		s.showPackageEdit(w, r, e, http.StatusUnprocessableEntity)
		return
	}
	code := r.PathValue("code")
	ch, err := s.api.UpdatePackage(r.Context(), code, n)
	if err != nil {
		s.editRefused(w, r, e, err)
		return
	}
	id := "Paket " + code + " disimpan: " + strconv.Itoa(ch.Package.Capacity) + " kursi"
	en := "Package " + code + " saved: " + strconv.Itoa(ch.Package.Capacity) + " seats"
	if len(ch.MovedIn) > 0 {
		id += "; " + strconv.Itoa(len(ch.MovedIn)) + " dari daftar tunggu masuk"
		en += "; " + strconv.Itoa(len(ch.MovedIn)) + " moved in from the waiting list"
	}
	setFlash(w, true, both(id, en))
	http.Redirect(w, r, "/packages/"+url.PathEscape(code), http.StatusSeeOther)
}
