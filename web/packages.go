package web

import (
	"errors"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// weekPages are the templates of a centre admin's week (issue 16): packages, a package, a day's
// register.
var weekPages = []string{"packages", "package", "register", "cohort", "followups"}

// weekRoutes adds the week's pages to mux and their form posts to forms (the caller guards the
// posts against other sites like every form).
func (s *Server) weekRoutes(mux *http.ServeMux, forms map[string]http.HandlerFunc) {
	mux.HandleFunc("GET /packages", s.packagesPage)
	mux.HandleFunc("GET /packages/{code}", s.packagePage)
	mux.HandleFunc("GET /packages/{code}/register", s.registerPage) // web/register.go
	forms["POST /packages"] = s.createPackage
	forms["POST /packages/preview"] = s.previewPackage
	forms["POST /packages/{code}/register"] = s.saveRegister
	s.packageEditRoutes(forms)   // web/package_edit.go
	s.cohortRoutes(mux, forms)   // web/cohort.go
	s.followUpRoutes(mux, forms) // web/followups.go
}

// packageForm is the create form's values as typed, so a refused form comes back filled in.
type packageForm struct {
	Code, Centre, Trade, Scheme, LSP, Start, End string
	Hours, Capacity, AttendancePct               string
	AutoApprove                                  bool
}

// packagesData is the packages page: the packages (of one centre, or all) and the create form.
type packagesData struct {
	Centre   string
	Packages []store.Package
	Choices  choices
	Schemes  []store.Scheme
	Form     packageForm
	// Error is the API's refusal of the last create, in its words.
	Error string
	// Checked says the agreements were checked (the preview button); Warnings are the gaps, as
	// catalogue messages the page words in the reader's language.
	Checked  bool
	Warnings []i18n.Message
	// CSV is the list's download (apiclient.PackagesCSV), of the centre filtered on.
	CSV string
}

// packagesPage lists the packages, a centre's with ?centre=, and offers the create form.
func (s *Server) packagesPage(w http.ResponseWriter, r *http.Request) {
	d := packagesData{Centre: r.URL.Query().Get("centre")}
	d.Form.Centre = d.Centre
	s.renderPackages(w, r, d, http.StatusOK)
}

func (s *Server) renderPackages(w http.ResponseWriter, r *http.Request, d packagesData, status int) {
	var err error
	if d.Packages, err = s.api.ListPackages(r.Context(), d.Centre); err != nil {
		s.failPage(w, r, err)
		return
	}
	d.CSV = string(apiclient.PackagesCSV(d.Centre))
	if d.Choices, err = s.choices(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	if d.Schemes, err = s.api.ListSchemes(r.Context()); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, "packages", page{Title: both("Paket pelatihan", "Training packages"), Nav: "packages", Data: d, Status: status})
}

// packageRequest reads the create form: the values as typed (for a form that comes back) and
// the API request, or the numbers that are not numbers.
func packageRequest(r *http.Request) (packageForm, api.PackageRequest, []string) {
	f := packageForm{Code: strings.TrimSpace(r.PostFormValue("code")), Centre: r.PostFormValue("centre"),
		Trade: strings.TrimSpace(r.PostFormValue("trade")), Scheme: r.PostFormValue("scheme"), LSP: r.PostFormValue("lsp"),
		Start: r.PostFormValue("start"), End: r.PostFormValue("end"), Hours: strings.TrimSpace(r.PostFormValue("hours")),
		Capacity: strings.TrimSpace(r.PostFormValue("capacity")), AttendancePct: strings.TrimSpace(r.PostFormValue("attendance_pct")),
		AutoApprove: r.PostFormValue("auto_approve") == "yes"}
	req := api.PackageRequest{Code: f.Code, Centre: f.Centre, Trade: f.Trade, Scheme: f.Scheme, LSP: f.LSP,
		Start: f.Start, End: f.End, AutoApprove: f.AutoApprove}
	var bad []string
	number := func(field, v string, into func(float64)) {
		if v == "" {
			return // the server's default
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 {
			bad = append(bad, field+": give a number, got "+strconv.Quote(v))
			return
		}
		into(n)
	}
	number("hours", f.Hours, func(n float64) { req.Hours = int(n) })
	number("capacity", f.Capacity, func(n float64) { req.Capacity = int(n) })
	number("attendance", f.AttendancePct, func(n float64) { req.AttendanceMin = n / 100 })
	return f, req, bad
}

// refused shows the form again with the API's refusal in its words (or the page's failure).
func (s *Server) refused(w http.ResponseWriter, r *http.Request, d packagesData, err error) {
	var ae *apiclient.Error
	if !errors.As(err, &ae) {
		s.failPage(w, r, err)
		return
	}
	d.Error = ae.Say()
	s.renderPackages(w, r, d, ae.Status)
}

// readPackageForm reads the package form for preview and create; a field that is not a number or a
// date shows the form again, filled in, with what is wrong (false: answered already).
func (s *Server) readPackageForm(w http.ResponseWriter, r *http.Request) (packagesData, api.PackageRequest, bool) {
	f, req, bad := packageRequest(r)
	d := packagesData{Centre: r.URL.Query().Get("centre"), Form: f}
	if len(bad) > 0 {
		d.Error = strings.Join(bad, "; ")
		s.renderPackages(w, r, d, http.StatusUnprocessableEntity)
		return d, req, false
	}
	return d, req, true
}

// previewPackage checks the form's agreements before saving (POST /api/v1/packages/preview)
// and shows the form again with the answer: the warnings, or that agreements cover it.
func (s *Server) previewPackage(w http.ResponseWriter, r *http.Request) {
	d, req, ok := s.readPackageForm(w, r)
	if !ok {
		return
	}
	p, err := s.api.PreviewPackage(r.Context(), req)
	if err != nil {
		s.refused(w, r, d, err)
		return
	}
	d.Checked, d.Warnings = true, p.WarningNotes
	s.renderPackages(w, r, d, http.StatusOK)
}

// createPackage sends the create form to the API (POST /api/v1/packages, the CLI's `kompeten
// package create`): created, it goes to the package's page with the agreement warnings; refused,
// the form comes back filled in with the API's sentence.
func (s *Server) createPackage(w http.ResponseWriter, r *http.Request) {
	d, req, ok := s.readPackageForm(w, r)
	if !ok {
		return
	}
	p, err := s.api.CreatePackage(r.Context(), req)
	if err != nil {
		s.refused(w, r, d, err)
		return
	}
	say := func(rd i18n.Reader) string {
		msg := rd.Tf("package.created", "code", p.Code)
		if len(p.WarningNotes) > 0 {
			msg += ". " + rd.Tf("package.warning", "warnings", sayAll(rd, p.WarningNotes, "; "))
		}
		return msg
	}
	setFlash(w, len(p.WarningNotes) == 0, bothOf(say))
	http.Redirect(w, r, "/packages/"+url.PathEscape(p.Code), http.StatusSeeOther)
}

// trainee is one case of a package on its page and in its register: the name when the reader
// may see it (never in a URL: the links carry the case ID).
type trainee struct {
	store.Case
	Name     string
	Waitlist int // position on the waiting list, 0 when not on it
	Days     *store.AttendanceCount
}

// packageData is a package's page.
type packageData struct {
	Package  api.PackageView
	Trainees []trainee
	// Total is how many cases the package has; Trainees lists up to packageCaseLimit.
	Total    int
	Register starter.RegisterOverview
	Today    string
	// Edit is the edit form (web/package_edit.go), the package as it is until typed.
	Edit packageEdit
}

// packageCaseLimit is how many of a package's cases its page lists (the API's largest page; a
// package has a few dozen).
const packageCaseLimit = 1000

// packagePage shows a package: how full it is, its trainees with name and stage, the waiting
// list, and its register's days recorded and missing with a link to each day's register.
func (s *Server) packagePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadPackage(r, r.PathValue("code"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.renderPackage(w, r, d, http.StatusOK)
}

// loadPackage reads what the package page shows, with the edit form holding the package's values.
func (s *Server) loadPackage(r *http.Request, code string) (packageData, error) {
	var d packageData
	var err error
	if d.Package, err = s.api.PackageView(r.Context(), code); err != nil {
		return d, err
	}
	if d.Register, err = s.api.AttendanceOverview(r.Context(), code); err != nil {
		return d, err
	}
	if d.Trainees, d.Total, err = s.trainees(r, code); err != nil {
		return d, err
	}
	line := map[string]int{}
	for i, id := range d.Package.Waitlist {
		line[id] = i + 1
	}
	counts := map[string]*store.AttendanceCount{}
	for i := range d.Register.Counts {
		counts[d.Register.Counts[i].CaseID] = &d.Register.Counts[i]
	}
	for i := range d.Trainees {
		d.Trainees[i].Waitlist = line[d.Trainees[i].CaseID]
		d.Trainees[i].Days = counts[d.Trainees[i].CaseID]
	}
	d.Today = s.opts.today()
	d.Edit = s.editOf(d.Package.Package)
	return d, nil
}

// renderPackage shows the package page d with the HTTP status (a refused edit is not a 200).
func (s *Server) renderPackage(w http.ResponseWriter, r *http.Request, d packageData, status int) {
	code := d.Package.Code
	s.render(w, r, "package", page{Title: both("Paket "+code, "Package "+code), Nav: "packages", Data: d, Status: status})
}

// trainees reads a package's cases with the people's names, in the API's order.
func (s *Server) trainees(r *http.Request, code string) ([]trainee, int, error) {
	pg, err := s.api.SearchCases(r.Context(), api.SearchRequest{Package: code, Limit: packageCaseLimit})
	if err != nil {
		return nil, 0, err
	}
	out := make([]trainee, 0, len(pg.Cases))
	for _, c := range pg.Cases {
		t := trainee{Case: c}
		if c.Person != nil {
			t.Name = c.Person.Name
		}
		out = append(out, t)
	}
	return out, pg.Total, nil
}

// weekActions are the forms of the week's pages with the action each asks for (the template
// function may asks auth's policy about them, like pageActions; these are not case actions).
var weekActions = map[string]auth.Action{
	"create-package":  auth.ActionCreatePackage,
	"update-package":  auth.ActionUpdatePackage,
	"record-register": auth.ActionRecordRegister,
	"enrol":           auth.ActionEnrol,
	"placement":       followUpAction,
	"follow-up":       auth.Action(workflows.UpdateRecordFollowUp),
}
