package integration

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// pageSession is a browser without JavaScript: a cookie jar logged in to the pages with a
// token, posting their forms with the session's CSRF token as the pages' own forms do.
type pageSession struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var (
	flashText = regexp.MustCompile(`(?s)<p class="flash (ok|bad)"[^>]*id="flash">(.*?)</p>`)
)

// loginPages logs in to the pages at base with token, as the login form does.
func loginPages(t *testing.T, base, token string) *pageSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &pageSession{t: t, base: base, c: &http.Client{Jar: jar}}
	_, body := p.get("/login")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the login page has no CSRF field:\n%s", body)
	}
	status, body := p.send("/login", url.Values{"csrf": {html.UnescapeString(m[1])}, "token": {token}, "next": {"/"}})
	if status != http.StatusOK {
		t.Fatalf("login: HTTP %d\n%s", status, body)
	}
	if m = csrfField.FindStringSubmatch(body); m == nil {
		t.Fatalf("after the login the page has no form token:\n%s", body)
	}
	p.csrf = html.UnescapeString(m[1])
	return p
}

func (p *pageSession) get(path string) (int, string) {
	p.t.Helper()
	resp, err := p.c.Get(p.base + path)
	if err != nil {
		p.t.Fatalf("GET %s: %v", path, err)
	}
	return p.read(resp)
}

func (p *pageSession) read(resp *http.Response) (int, string) {
	p.t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatalf("read %s: %v", resp.Request.URL.Path, err)
	}
	return resp.StatusCode, string(b)
}

// send posts a form as it is, following the redirect to the page it comes back to.
func (p *pageSession) send(path string, form url.Values) (int, string) {
	p.t.Helper()
	resp, err := p.c.PostForm(p.base+path, form)
	if err != nil {
		p.t.Fatalf("POST %s: %v", path, err)
	}
	return p.read(resp)
}

// submit posts a form with the session's CSRF token and requires the page it comes back to
// to say the action was taken (a green flash); it returns that page.
func (p *pageSession) submit(path string, form url.Values) string {
	p.t.Helper()
	form.Set("csrf", p.csrf)
	status, body := p.send(path, form)
	p.ok(path, status, body)
	return body
}

// ok fails the test unless the page after a post is a success with a green flash.
func (p *pageSession) ok(path string, status int, body string) {
	p.t.Helper()
	m := flashText.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil || m[1] != "ok" {
		flash := "no flash"
		if m != nil {
			flash = m[1] + ": " + html.UnescapeString(m[2])
		}
		p.t.Fatalf("POST %s: HTTP %d, %s", path, status, flash)
	}
}

// upload posts a file in the multipart field "file" with the session's CSRF token.
func (p *pageSession) upload(path, file string) (int, string) {
	p.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		p.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", p.csrf)
	fw, err := mw.CreateFormFile("file", filepath.Base(file))
	if err != nil {
		p.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		p.t.Fatal(err)
	}
	resp, err := p.c.Post(p.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		p.t.Fatalf("POST %s: %v", path, err)
	}
	return p.read(resp)
}

// pageOperator takes the routine's steps in the pages, logged in as a centre admin and as an
// LSP manager, with the same form fields the pages' own forms post.
type pageOperator struct {
	t          *testing.T
	admin, lsp *pageSession
}

func (o *pageOperator) createPackage(req api.PackageRequest) {
	o.t.Helper()
	f := url.Values{"code": {req.Code}, "centre": {req.Centre}, "trade": {req.Trade}, "scheme": {req.Scheme}, "lsp": {req.LSP},
		"start": {req.Start}, "end": {req.End}, "hours": {strconv.Itoa(req.Hours)}}
	if req.AutoApprove {
		f.Set("auto_approve", "yes")
	}
	o.admin.submit("/packages", f)
}

var startAction = regexp.MustCompile(`action="(/packages/[^"/]+/cohort/[^"/]+/start)"`)

func (o *pageOperator) importCohort(pkg, file string) {
	o.t.Helper()
	status, body := o.admin.upload("/packages/"+pkg+"/cohort", file)
	m := startAction.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		o.t.Fatalf("cohort preview: HTTP %d, no start form:\n%s", status, body)
	}
	action := html.UnescapeString(m[1])
	f := url.Values{"csrf": {o.admin.csrf}, "back": {"/packages/" + pkg}}
	status, body = o.admin.send(action, f)
	// The start runs on the server: its page shows the progress (reloading itself) until the
	// outcome with the report link.
	deadline := time.Now().Add(30 * time.Second)
	for status == http.StatusOK && !strings.Contains(body, `id="cohort-report"`) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond) // the page's own refresh, quicker
		status, body = o.admin.get(strings.TrimSuffix(action, "/start"))
	}
	if status != http.StatusOK || !strings.Contains(body, `id="cohort-report"`) || strings.Contains(body, `data-outcome="failed"`) {
		o.t.Fatalf("cohort start: HTTP %d\n%s", status, body)
	}
}

func (o *pageOperator) approveEnrolment(id string) {
	o.t.Helper()
	o.admin.submit("/cases/"+id+"/decide", url.Values{"kind": {"enrolment"}, "approve": {"yes"}, "back": {"/inbox"}})
}

// correctName is the case page's correction form with only the name changed (the form sends
// what differs from the record it showed: was_name, was_birth_date).
func (o *pageOperator) correctName(id, was, name, note string) {
	o.t.Helper()
	o.admin.submit("/cases/"+id+"/correct", url.Values{"name": {name}, "was_name": {was}, "note": {note}, "back": {"/cases/" + id}})
}

var (
	registerMode = regexp.MustCompile(`name="mode" value="([^"]*)"`)
	registerCase = regexp.MustCompile(`name="case" value="([^"]*)"`)
)

// recordRegister opens the day's register and sends it as a person would: every trainee the
// page lists, ticked by its mode (in absence mode the absent ones, else the present ones).
func (o *pageOperator) recordRegister(pkg, date string, present []string) {
	o.t.Helper()
	_, body := o.admin.get("/packages/" + pkg + "/register?date=" + date)
	mode := registerMode.FindStringSubmatch(body)
	if mode == nil {
		o.t.Fatalf("the register of %s on %s has no form:\n%s", pkg, date, body)
	}
	here := map[string]bool{}
	for _, id := range present {
		here[id] = true
	}
	f := url.Values{"date": {date}, "mode": {mode[1]}}
	for _, m := range registerCase.FindAllStringSubmatch(body, -1) {
		id := m[1]
		f.Add("case", id)
		if here[id] != (mode[1] == "absence") {
			f.Add("tick", id)
		}
	}
	if len(f["case"]) != len(present) {
		o.t.Fatalf("the register of %s lists %v, want %v", pkg, f["case"], present)
	}
	o.admin.submit("/packages/"+pkg+"/register", f)
}

var (
	assessmentField = regexp.MustCompile(`name="assessment_id" value="([^"]*)"`)
	unitField       = regexp.MustCompile(`name="unit" value="([^"]*)"`)
)

// assess fills the case page's result form as it is drawn (its assessment, its units): K on
// every unit; the page must offer the units the API says the assessment has.
func (o *pageOperator) assess(id, assessmentID string, units []string, assessor string) {
	o.t.Helper()
	_, body := o.lsp.get("/cases/" + id)
	m := assessmentField.FindStringSubmatch(body)
	if m == nil || m[1] != assessmentID {
		o.t.Fatalf("the case page of %s has no result form for %s:\n%s", id, assessmentID, body)
	}
	f := url.Values{"assessment_id": {m[1]}, "assessor": {assessor}, "back": {"/cases/" + id}}
	for _, u := range unitField.FindAllStringSubmatch(body, -1) {
		f.Add("unit", u[1])
		f.Set(resultField(u[1]), "K")
	}
	if !slices.Equal(f["unit"], units) {
		o.t.Fatalf("the result form of %s offers units %v, the assessment has %v", id, f["unit"], units)
	}
	o.lsp.submit("/cases/"+id+"/assessment", f)
}

func (o *pageOperator) approveCertification(id string) {
	o.t.Helper()
	o.lsp.submit("/cases/"+id+"/decide", url.Values{"kind": {"certification"}, "approve": {"yes"}, "back": {"/inbox"}})
}

// notReached is the follow-up form with "not reached" chosen: a contact, not a placement.
func (o *pageOperator) notReached(id, note string) {
	o.t.Helper()
	o.admin.submit("/cases/"+id+"/placement", url.Values{"category": {"not-reached"}, "note": {note}, "back": {"/followups"}})
}

// startField is the follow-up form's start day as the page fills it in.
var startField = regexp.MustCompile(`name="start" value="([^"]*)"`)

func (o *pageOperator) placeFormal(id, employer, day string) {
	o.t.Helper()
	_, body := o.admin.get("/followups")
	if m := startField.FindStringSubmatch(body); m == nil || !strings.Contains(body, id) {
		o.t.Fatalf("the follow-ups page has no form for %s with a start day:\n%s", id, body)
	}
	o.admin.submit("/cases/"+id+"/placement", url.Values{"category": {"formal"}, "employer": {employer}, "start": {day}, "back": {"/followups"}})
}

// resultField is the assessment form's field of a unit's K/BK choice (web/assess.go).
func resultField(unit string) string { return "result." + unit }
