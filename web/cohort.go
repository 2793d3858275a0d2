package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// MaxUploadBytes caps a cohort file sent from the pages: the CLI's spreadsheet limit
// (xlsxsafe.MaxFileBytes), for CSV too. The login's session middleware lets a multipart post
// this large through (web/login.go); the multipart envelope gets a little room on top.
const MaxUploadBytes = xlsxsafe.MaxFileBytes

// cohortBatch is how many people go to the enrol API per request, as the CLI's import sends.
const cohortBatch = 200

// heldUploads keeps an uploaded cohort between its preview and its start (the browser cannot
// send a file twice without asking the person again), in memory, bound to the package and to
// who uploaded it, for heldFor. A preview stays on this server only: a restart loses it and the
// person uploads again (idempotent: started rows then read already-enrolled). Once started,
// the upload goes to its job, kept in the job store (web/cohort_job.go), and leaves this map.
var heldUploads = uploads{m: map[string]*upload{}}

const (
	heldFor    = time.Hour
	maxHeld    = 32
	tokenBytes = 16
)

type upload struct {
	Package string
	Who     string
	Name    string // the file's name (its extension chooses the reader)
	Data    []byte
	Expires time.Time
}

type uploads struct {
	mu sync.Mutex
	m  map[string]*upload
}

// put holds u and returns its token; full, it refuses rather than drop someone's preview.
func (h *uploads) put(u *upload) (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("cohort upload token: %w", err)
	}
	tok := hex.EncodeToString(b)
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	for k, v := range h.m {
		if now.After(v.Expires) {
			delete(h.m, k)
		}
	}
	if len(h.m) >= maxHeld {
		return "", i18n.Word(fmt.Errorf("%d cohort uploads are waiting to be started on this server; start or let them expire (%v) and upload again", maxHeld, heldFor),
			"cohort.held-full", "n", strconv.Itoa(maxHeld), "for", heldFor.String())
	}
	u.Expires = now.Add(heldFor)
	h.m[tok] = u
	return tok, nil
}

// get finds a held upload of pkg by who.
func (h *uploads) get(tok, pkg, who string) (*upload, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	u, ok := h.m[tok]
	if !ok || u.Package != pkg || u.Who != who || time.Now().After(u.Expires) {
		return nil, false
	}
	return u, true
}

// drop forgets a held upload (its job keeps it now).
func (h *uploads) drop(tok string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, tok)
}

// cohortRoutes adds the cohort upload of a package (issue 16 point 2).
func (s *Server) cohortRoutes(mux *http.ServeMux, forms map[string]http.HandlerFunc) {
	forms["POST /packages/{code}/cohort"] = s.previewCohort
	forms["POST /packages/{code}/cohort/{token}/start"] = s.startCohort
	mux.HandleFunc("GET /packages/{code}/cohort/{token}", s.cohortProgress) // web/cohort_job.go
	mux.HandleFunc("GET /packages/{code}/cohort/{token}/report.csv", s.cohortReport)
}

// cohortRow is one row of the preview or the report as the page shows it.
type cohortRow struct {
	importer.RowReport
	Name string
}

// cohortData is the preview (before start) or the outcome (after) of an uploaded cohort.
type cohortData struct {
	Package string
	File    string
	Token   string
	Started bool
	// Progress is set while the start runs (the page reloads itself); Finished once it ended.
	Progress *progressData
	Finished bool
	// Resumes says, while the start runs, that a restart of the server does not stop it.
	Resumes string
	Rows    []cohortRow
	Counts  map[string]int
	Valid   int
	// Outcomes lists the outcomes in the CLI's summary order with their counts.
	Outcomes []outcomeCount
	Error    string
}

type outcomeCount struct {
	Outcome string
	Count   int
}

// outcomeOrder is the CLI's summary order (kompeten import).
var outcomeOrder = []string{starter.OutcomeStarted, starter.OutcomeWarnedStarted, starter.OutcomeAlreadyEnrolled, importer.OutcomeValid,
	importer.OutcomeRejected, starter.OutcomeFailed, importer.OutcomeUnknown, importer.OutcomeNotSent}

// readCohort reads an uploaded cohort by its file's extension, as `kompeten import` does.
func readCohort(name string, data []byte) ([]cohort.Row, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt":
		return cohort.ReadCSV(bytes.NewReader(data))
	case ".xlsx", ".xlsm":
		return cohort.ReadXLSX(bytes.NewReader(data))
	case ".xls":
		return nil, i18n.Errorm("upload.xls")
	default:
		return nil, i18n.Errorm("upload.file-type", "ext", strconv.Quote(filepath.Ext(name)))
	}
}

// fileWords words why an uploaded file is refused, in the reader's language: the error's
// catalogue message when it has one (cohort, results, xlsxsafe and the upload's own refusals),
// else its English as the cause of a file that cannot be read.
func fileWords(rd i18n.Reader, err error) string {
	if m, ok := i18n.WordsOf(err); ok {
		return m.In(rd)
	}
	return rd.Tf("upload.unreadable", "error", err.Error())
}

// cohortRules are the package's eligibility rules, as the CLI's import takes them.
func (s *Server) cohortRules(p api.PackageView) cohort.Rules {
	return cohort.Rules{StartDate: p.StartDate.In(s.opts.Location), MinAge: s.opts.MinAge, MaxAge: s.opts.MaxAge}
}

// mayEnrol refuses, in the policy's words, a logged-in person whose role may not enrol: the
// preview then does not hold a file the start would be refused.
func mayEnrol(r *http.Request) string {
	if id, ok := api.IdentityFrom(r.Context()); ok && !id.May(auth.ActionEnrol) {
		return auth.Refusal(id.Role, auth.ActionEnrol)
	}
	return ""
}

// previewCohort reads the uploaded file, validates every row with the CLI's validator
// (importer.Run, dry run: the API client also answers who is enrolled, so those rows read
// already-enrolled as the start would say) and shows each row's outcome, holding the file for
// the start when some row would start.
func (s *Server) previewCohort(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	d := cohortData{Package: code}
	title := prefsOf(r).reader(s.opts.Location).Tf("cohort.title", "package", code)
	fail := func(status int, msg string) {
		d.Error = msg
		s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d, Status: status})
	}
	if msg := mayEnrol(r); msg != "" {
		fail(http.StatusForbidden, msg)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes+1<<20)
	if _, ok := s.actor(w, r, vocab.RoleCentreAdmin); !ok {
		return
	}
	data, file, ok := uploadedFile(r, "upload.what.cohort", fail)
	if !ok {
		return
	}
	d.File = file
	p, err := s.api.PackageView(r.Context(), code)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	rows, err := readCohort(d.File, data)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, xlsxsafe.ErrRefused) {
			status = http.StatusRequestEntityTooLarge
		}
		fail(status, fileWords(prefsOf(r).reader(nil), err))
		return
	}
	rep, err := importer.Run(r.Context(), rows, code, s.api, importer.Options{DryRun: true, Rules: s.cohortRules(p)})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.setRows(rep, rows)
	if d.Valid > 0 {
		if d.Token, err = heldUploads.put(&upload{Package: code, Who: actorName(r), Name: d.File, Data: data}); err != nil {
			fail(http.StatusServiceUnavailable, fileWords(prefsOf(r).reader(nil), err))
			return
		}
	}
	s.render(w, r, "cohort", page{Title: title, Nav: "packages", Data: d})
}

// setRows fills the page's rows and counts from a report of rows.
func (d *cohortData) setRows(rep importer.Report, rows []cohort.Row) {
	d.Counts = rep.Counts()
	d.Valid = d.Counts[importer.OutcomeValid]
	for i, rr := range rep.Rows {
		row := cohortRow{RowReport: rr}
		if i < len(rows) {
			row.Name = rows[i].Name
		}
		d.Rows = append(d.Rows, row)
	}
	for _, o := range outcomeOrder {
		if n := d.Counts[o]; n > 0 {
			d.Outcomes = append(d.Outcomes, outcomeCount{o, n})
		}
	}
}

// startCohort starts enrolling the valid rows of a previewed upload as a background job
// (web/cohort_job.go), through the enrol API in batches as `kompeten import` does: a row
// already enrolled reads already-enrolled, so starting the same file again starts nobody
// twice. The job is kept in the job store with the upload sealed, so a restarted server
// resumes it. It waits a moment for the job (a class-sized file is done by then) and sends the
// person to the upload's page: the outcome with the report link, or the progress until then.
// Starting an upload that already started shows that start's page; it runs once.
func (s *Server) startCohort(w http.ResponseWriter, r *http.Request) {
	code, tok := r.PathValue("code"), r.PathValue("token")
	if _, ok := s.actor(w, r, vocab.RoleCentreAdmin); !ok {
		return
	}
	who := actorName(r)
	progress := "/packages/" + url.PathEscape(code) + "/cohort/" + tok
	if _, ok := s.startedJob(r.Context(), tok, code, who); ok {
		http.Redirect(w, r, progress, http.StatusSeeOther)
		return
	}
	u, ok := heldUploads.get(tok, code, who)
	if !ok {
		d := cohortData{Package: code, Started: true, Error: s.lostUpload(r)}
		s.render(w, r, "cohort", page{Title: prefsOf(r).reader(s.opts.Location).Tf("cohort.title", "package", code), Nav: "packages", Data: d, Status: http.StatusNotFound})
		return
	}
	p, err := s.api.PackageView(r.Context(), code)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	// A file that does not read is refused now, not by a job in the background.
	if _, err := readCohort(u.Name, u.Data); err != nil {
		s.failPage(w, r, err)
		return
	}
	up := jobUpload{Name: u.Name, Data: u.Data, Rules: s.cohortRules(p)}
	j := store.CohortJob{TokenHash: tokenHash(tok), Package: code, Actor: who}
	if id, ok := api.IdentityFrom(r.Context()); ok {
		j.Role, j.Scopes = id.Role, id.Scopes
	}
	if j.NameSealed, err = s.seal.seal(u.Name); err == nil {
		j.UploadSealed, err = s.seal.seal(up)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	switch err := s.jobStore.CreateCohortJob(r.Context(), j, s.jobs.owner, s.opts.JobLease); {
	case errors.Is(err, store.ErrExists):
		// Pressed twice at once: the other press started it.
		http.Redirect(w, r, progress, http.StatusSeeOther)
		return
	case err != nil:
		s.failPage(w, r, err)
		return
	}
	heldUploads.drop(tok)
	end := s.jobs.launch(j, up)
	select {
	case <-end:
	case <-time.After(startWait):
	case <-r.Context().Done():
	}
	http.Redirect(w, r, progress, http.StatusSeeOther)
}

// cohortReport downloads a started upload's row report: the CLI's report CSV (masked NIKs, no
// names).
func (s *Server) cohortReport(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	j, ok := s.startedJob(r.Context(), r.PathValue("token"), code, actorName(r))
	if !ok || j.State == store.CohortJobRunning {
		http.Error(w, "no report for this upload here: it expired, was not started or is still starting", http.StatusNotFound)
		return
	}
	rep, err := jobReport(j)
	var buf bytes.Buffer
	if err == nil {
		err = rep.WriteCSV(&buf)
	}
	if err != nil {
		s.opts.Logger.Error("cohort report", "package", code, "error", err)
		http.Error(w, "the report could not be written; see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(code)+`-cohort-report.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}
