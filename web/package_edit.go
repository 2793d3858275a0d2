package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// packageEdit is the package page's edit form (issue 16 point 1): the values as typed, so a
// refused form comes back filled in, and the agreement check's answer. It offers what PATCH
// /api/v1/packages/{code} accepts: capacity, dates, hours, minimum attendance, automatic
// approval and LSP. A save sends only the fields that differ from the package, so an unchanged
// date is never refused for a package whose training has begun.
type packageEdit struct {
	Capacity      string
	Start, End    string // YYYY-MM-DD in the pages' time zone
	Hours         string
	AttendancePct string
	AutoApprove   bool
	LSP           string
	// Error is the API's refusal of the last save or check, in its words.
	Error string
	// Checked says the agreements were checked (the check button); Warnings are the gaps, as
	// catalogue messages the page words in the reader's language.
	Checked  bool
	Warnings []i18n.Message
}

// packageEditRoutes adds the edit form's posts to forms (guarded against other sites by the caller).
func (s *Server) packageEditRoutes(forms map[string]http.HandlerFunc) {
	forms["POST /packages/{code}/edit"] = s.savePackageEdit
	forms["POST /packages/{code}/edit/check"] = s.checkPackageEdit
}

// editOf is the form filled with the package as it is.
func (s *Server) editOf(p store.Package) packageEdit {
	day := func(t time.Time) string { return t.In(s.opts.Location).Format(time.DateOnly) }
	return packageEdit{Capacity: strconv.Itoa(p.Capacity), Start: day(p.StartDate), End: day(p.EndDate),
		Hours: strconv.Itoa(p.Hours), AttendancePct: strconv.FormatFloat(p.AttendanceMin*100, 'f', -1, 64),
		AutoApprove: p.AutoApprove, LSP: p.LSPCode}
}

// readPackageEdit reads the edit form as typed and the update it asks of the package p: only
// the fields that differ. A number that is not one is refused here (the form's Error says so);
// an update with nothing in it is left to the API, which says so in its words.
func (s *Server) readPackageEdit(r *http.Request, p store.Package) (packageEdit, api.PackageUpdate, bool) {
	e := packageEdit{Capacity: strings.TrimSpace(r.PostFormValue("capacity")), Start: strings.TrimSpace(r.PostFormValue("start")),
		End: strings.TrimSpace(r.PostFormValue("end")), Hours: strings.TrimSpace(r.PostFormValue("hours")),
		AttendancePct: strings.TrimSpace(r.PostFormValue("attendance_pct")), AutoApprove: r.PostFormValue("auto_approve") == "yes",
		LSP: strings.TrimSpace(r.PostFormValue("lsp"))}
	was := s.editOf(p)
	var u api.PackageUpdate
	var bad []string
	whole := func(field, v string) *int {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad = append(bad, field+": give a whole number, got "+strconv.Quote(v))
			return nil
		}
		return &n
	}
	if e.Capacity != was.Capacity {
		u.Capacity = whole("capacity", e.Capacity)
	}
	if e.Hours != was.Hours {
		u.Hours = whole("hours", e.Hours)
	}
	if e.AttendancePct != was.AttendancePct {
		pct, err := strconv.ParseFloat(e.AttendancePct, 64)
		if err != nil {
			bad = append(bad, "minimum attendance: give a percentage, got "+strconv.Quote(e.AttendancePct))
		} else if v := pct / 100; math.Abs(v-p.AttendanceMin) > 1e-9 {
			u.AttendanceMin = &v
		}
	}
	if e.Start != was.Start {
		u.Start = &e.Start
	}
	if e.End != was.End {
		u.End = &e.End
	}
	if e.AutoApprove != was.AutoApprove {
		u.AutoApprove = &e.AutoApprove
	}
	if e.LSP != was.LSP {
		u.LSP = &e.LSP
	}
	if len(bad) > 0 {
		e.Error = strings.Join(bad, "; ")
		return e, u, false
	}
	return e, u, true
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
	p, err := s.api.PackageView(r.Context(), r.PathValue("code"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	e, u, ok := s.readPackageEdit(r, p.Package)
	if !ok {
		s.showPackageEdit(w, r, e, http.StatusUnprocessableEntity)
		return
	}
	req := api.PackageRequest{Code: p.Code, Centre: p.CentreCode, Trade: p.Trade, Scheme: p.Scheme, LSP: p.LSPCode,
		Start: p.StartDate.Format(time.RFC3339), End: p.EndDate.Format(time.RFC3339), Hours: p.Hours,
		Capacity: p.Capacity, AttendanceMin: p.AttendanceMin, AutoApprove: p.AutoApprove}
	if u.Start != nil {
		req.Start = *u.Start
	}
	if u.End != nil {
		req.End = *u.End
	}
	if u.LSP != nil {
		req.LSP = *u.LSP
	}
	if u.Capacity != nil {
		req.Capacity = *u.Capacity
	}
	if u.Hours != nil {
		req.Hours = *u.Hours
	}
	if u.AttendanceMin != nil {
		req.AttendanceMin = *u.AttendanceMin
	}
	pv, err := s.api.PreviewPackage(r.Context(), req)
	if err != nil {
		s.editRefused(w, r, e, err)
		return
	}
	e.Checked, e.Warnings = true, pv.WarningNotes
	s.showPackageEdit(w, r, e, http.StatusOK)
}

// savePackageEdit sends the change through PATCH /api/v1/packages/{code} (the CLI's `kompeten
// package update`): saved, back to the package page saying what changed, how many running cases
// took it and the agreements missing; refused (dates after training began, end before start,
// below the seats taken, a role that may not), the form comes back as typed with the API's words.
func (s *Server) savePackageEdit(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	p, err := s.api.PackageView(r.Context(), code)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	e, u, ok := s.readPackageEdit(r, p.Package)
	if !ok {
		s.showPackageEdit(w, r, e, http.StatusUnprocessableEntity)
		return
	}
	ch, err := s.api.EditPackage(r.Context(), code, u)
	if err != nil {
		s.editRefused(w, r, e, err)
		return
	}
	ok, msg := savedMessage(code, ch)
	setFlash(w, ok, msg)
	http.Redirect(w, r, "/packages/"+url.PathEscape(code), http.StatusSeeOther)
}

// savedMessage words a saved edit for the flash in both languages (the page shows the reader's):
// what changed, the cases moved in from the waiting list, how the running cases answered, the
// agreements missing, each from the catalogue. It is not "ok" when a case was not told or an
// agreement is missing.
func savedMessage(code string, ch starter.PackageEdited) (bool, string) {
	count := map[string]int{}
	for _, c := range ch.Cases {
		count[c.Outcome]++
	}
	notTold := count[starter.NoticeRefused] + count[starter.NoticeFailed]
	say := func(rd i18n.Reader) string {
		msg := rd.Tf("package.saved", "code", code, "changes", sayAll(rd, ch.ChangeNotes, "; "))
		if n := len(ch.MovedIn); n > 0 {
			msg += "; " + rd.Tf("package.saved.moved-in", "n", strconv.Itoa(n))
		}
		if len(ch.Cases) > 0 {
			msg += ". " + rd.Tf("package.saved.told", "n", strconv.Itoa(count[starter.NoticeSent]))
		}
		if notTold > 0 {
			msg += "; " + rd.Tf("package.saved.not-told", "n", strconv.Itoa(notTold), "code", code)
		}
		if why := refusedCases(rd, ch.Cases); why != "" {
			msg += " (" + why + ")"
		}
		if len(ch.WarningNotes) > 0 {
			msg += ". " + rd.Tf("package.warning", "warnings", sayAll(rd, ch.WarningNotes, "; "))
		}
		return msg
	}
	return notTold == 0 && len(ch.WarningNotes) == 0, bothOf(say)
}

// refusedShown bounds the refused cases the flash names: the rest are counted, not named.
const refusedShown = 3

// refusedCases words why the first cases that refused the change refused it, from the codes the
// journeys gave (a refusal of an older worker, with none, is counted but not named).
func refusedCases(rd i18n.Reader, cases []store.PackageEditCase) string {
	var out []string
	for _, c := range cases {
		if c.Outcome != starter.NoticeRefused || c.Code == "" {
			continue
		}
		if len(out) == refusedShown {
			break
		}
		out = append(out, rd.Tf("package.saved.refused", "case", c.CaseID, "reason", rd.T(c.Code, c.Params)))
	}
	return strings.Join(out, "; ")
}
