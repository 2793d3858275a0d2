package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// fakeAPI answers the API calls the pages make with fixed data and records what it was asked:
// the pages are tested on what they show and what they send, not on how the API works.
type fakeAPI struct {
	mu       sync.Mutex
	requests []string          // "METHOD /path?query"
	bodies   map[string][]byte // POST path -> body
	refuse   string            // when set, POSTs answer 422 with this sentence
	noWF     bool              // the workflow endpoint fails
}

var since = time.Now().Add(-50 * time.Hour)

func rate(v float64) *float64 { return &v }

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		if f.bodies == nil {
			f.bodies = map[string][]byte{}
		}
		f.bodies[r.URL.Path] = b
	}
	refuse, noWF := f.refuse, f.noWF
	f.mu.Unlock()
	send := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(status int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: msg})
	}
	sby := store.Funnel{CentreCode: "BLK-SBY", Cases: 40, Enrolled: 36, Insured: 34, Trained: 30, Assessed: 28, Competent: 25,
		Certified: 24, Placed: 12, Open: 20, Stuck: 3, Rate6: store.PlacementRate{Placed: 6, Graduates: 12, Rate: rate(0.5)}}
	switch p := r.URL.Path; {
	case r.Method == http.MethodPost && refuse != "":
		fail(http.StatusUnprocessableEntity, refuse)
	case p == "/api/v1/overview":
		send(api.Overview{Total: sby, Centres: []api.CentreFunnel{{Funnel: sby, Name: "BLK Surabaya"}, {Funnel: store.Funnel{CentreCode: "BLK-TBN"}, Name: "BLK Tuban"}}})
	case p == "/api/v1/reports/tracer-study":
		send(api.TracerStudy{Channels: []store.ChannelRow{{CentreCode: "BLK-SBY", CentreName: "BLK Surabaya", FollowUps: 20,
			Linked: 10, SelfAnswered: 4, SelfPlaced: 3, StaffReported: 8, StaffPlaced: 6}}})
	case p == "/api/v1/inbox":
		send(api.Inbox{Groups: []api.InboxGroup{
			{Kind: "enrolment-approval", Role: "centre-admin", Action: "enrolment", Label: "Enrolment approvals", LabelID: "Persetujuan pendaftaran", Total: 1,
				Cases: []api.InboxItem{{CaseID: "enr0000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Package: "P1", Stage: "enrolment", Since: since}}},
			{Kind: "certification-approval", Role: "lsp-manager", Action: "certification", Label: "Certification approvals", LabelID: "Persetujuan sertifikasi", Total: 2,
				Cases: []api.InboxItem{{CaseID: "cert000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Package: "P1", Stage: "certification", Since: since, Overdue: true, Why: "certificate approval pending for more than 7 days"}}},
			{Kind: "certificate-refused", Role: "lsp-manager", Action: "retry-refused", Label: "Certificates refused by the LSP", LabelID: "Sertifikat ditolak LSP", Total: 1,
				Cases: []api.InboxItem{{CaseID: "refd000001", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Package: "P1", Stage: "certification", Since: since, Overdue: true,
					Why: `LSP-BLK-SBY refused to issue the certificate ("no assessment with this id")`}}},
		}})
	case p == "/api/v1/stuck":
		send(api.StuckList{Total: 120, Limit: 50, Cases: []api.StuckCase{{
			CaseID: "bpjs000001", Package: "P1", Centre: "BLK-SBY", LSP: "LSP-BLK-SBY", Stage: "insurance", Reason: "partner-failing",
			Why: "waiting on BPJS Ketenagakerjaan for more than 48h: 7 failed attempts, last error bpjs: register: HTTP 503", StuckSince: since,
			AgeSeconds: 50 * 3600, Attempts: 7, LastError: "bpjs: register: HTTP 503", Retryable: true,
			Unblock: workflows.Unblocker{Role: "insurer-liaison", Action: "get BPJS Ketenagakerjaan answering again, then retry the call"},
		}}})
	case p == "/api/v1/stuck/reasons":
		send(api.StuckReasons)
	case p == "/api/v1/centres":
		send([]store.Centre{{Code: "BLK-SBY", Name: "BLK Surabaya"}, {Code: "BLK-TBN", Name: "BLK Tuban"}})
	case p == "/api/v1/partners":
		send([]store.Partner{{Code: "BPJSTK-JATIM", Kind: "insurer"}, {Code: "LSP-BLK-SBY", Kind: "certifier"}})
	case p == "/api/v1/cases/cert000001":
		grad := since
		send(api.CaseView{Case: store.Case{CaseID: "cert000001", WorkflowID: "journey/P1/x", PackageCode: "P1", CentreCode: "BLK-SBY",
			LSPCode: "LSP-BLK-SBY", Stage: "certification", Status: "open", WaitingOn: "lsp-manager", KPJ: "12345678901", StageEnteredAt: since,
			Milestones: store.Milestones{Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true, GraduatedOn: &grad}},
			Events: []store.Event{{Kind: "insured", Stage: "insurance", Detail: "insured, KPJ 12345678901", At: since},
				{Kind: "assessment-result", Stage: "assessment", ActorID: "asr-7", ActorRole: "assessor", Detail: "3 K, 0 BK", At: since}}})
	case p == "/api/v1/cases/plcd000001":
		issued, expires := since, since.AddDate(3, 0, 0)
		send(api.CaseView{Case: store.Case{CaseID: "plcd000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "closed", Status: "closed", Outcome: vocab.OutcomePlacedFormal, CertificateNo: "LSP-BLK-SBY/2026/000123",
			Milestones: store.Milestones{Certified: true, PlacementCategory: vocab.PlacementFormal, PlacementSelfReported: true,
				CertificateIssuedOn: &issued, CertificateExpiresOn: &expires},
			Person: &store.Person{Name: "Siti Nur Aisyah"}}})
	case p == "/api/v1/cases/plcd000001/workflow":
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/z", RunID: "r3", Status: "completed"})
	case p == "/api/v1/packages/P1":
		send(store.Package{Code: "P1", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS"})
	case p == "/api/v1/cases/refd000001":
		stuckSince := since
		send(api.CaseView{Case: store.Case{CaseID: "refd000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "certification", Status: "open", WaitingOn: "lsp-manager", StageEnteredAt: since, Stuck: true, StuckSince: &stuckSince,
			StuckCode: vocab.StuckCertificateRefused, StuckReason: `LSP-BLK-SBY refused to issue the certificate ("no assessment with this id")`}})
	case p == "/api/v1/cases/asse000001":
		units := []string{"LOG.OO01.002.01", "LOG.OO18.002.01"}
		send(api.CaseView{Case: store.Case{CaseID: "asse000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "assessment", Status: "open", WaitingOn: vocab.WaitingLSP, StageEnteredAt: since},
			State: &workflows.CaseState{CaseID: "asse000001", Assessment: workflows.AssessmentState{Units: units,
				Schedule: &workflows.ScheduleInfo{AssessmentID: "AS-1", Units: units}}}})
	case p == "/api/v1/cases/corr000001":
		born := time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)
		send(api.CaseView{Case: store.Case{CaseID: "corr000001", PackageCode: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY",
			Stage: "insurance", Status: "open", WaitingOn: vocab.WaitingCorrection, StageEnteredAt: since,
			Person: &store.Person{Name: "Siti Nur", NIKMasked: "3515••••••••1187", BirthDate: &born}},
			Events: []store.Event{{Kind: "insurance-data-error", Stage: "insurance", At: since,
				Detail: "BPJS refused the data: name or birth date does not match the population register for this NIK; waiting for a corrected record"}}})
	case p == "/api/v1/cases/corr000001/workflow":
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/z", RunID: "r3", Status: "running"})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/correction"):
		send(api.CorrectionResult{UpdateResult: workflows.UpdateResult{CaseID: "corr000001", Stage: "insurance", Message: "correction accepted; registration will be retried"},
			Changes: []store.CorrectionChange{{Field: "name", Old: "S••• N••", New: "S••• N•••••••"}}})
	case p == "/api/v1/cases/refd000001/workflow":
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/y", RunID: "r2", Status: "running"})
	case p == "/api/v1/cases/cert000001/workflow":
		if noWF {
			fail(http.StatusServiceUnavailable, "temporal unavailable")
			return
		}
		next := time.Now().Add(8 * time.Minute)
		send(starter.WorkflowInfo{WorkflowID: "journey/P1/x", RunID: "r1", Status: "running", HistoryLength: 42,
			WebUIURL: "http://127.0.0.1:8233/namespaces/default/workflows/journey%2FP1%2Fx/r1/history",
			Pending:  []starter.PendingCall{{Type: "IssueCertificate", State: "scheduled", Attempt: 4, LastFailure: "lsp: HTTP 502", NextAttemptAt: &next, Failing: true}}})
	case r.Method == http.MethodPost && (strings.HasSuffix(p, "/retry-refused") || strings.HasSuffix(p, "/order-reassessment") || strings.HasSuffix(p, "/close-uncertified")):
		send(workflows.UpdateResult{CaseID: "refd000001", Stage: "certification", Message: "way out taken"})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/certification"):
		send(workflows.UpdateResult{CaseID: "cert000001", Stage: "certification", Message: "certification approved; the certificate will be issued"})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/retry"):
		send(api.RetryResponse{CaseID: "bpjs000001", Message: "retry now: RegisterInsurance after 7 attempts"})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/escalate"):
		send(api.EscalateResponse{CaseID: "bpjs000001", Message: "escalated to insurer-liaison",
			To: workflows.WhoUnblocks(vocab.StuckPartnerFailing, vocab.WaitingBPJS, "BLK-SBY", "")})
	default:
		fail(http.StatusNotFound, "case not found: "+p)
	}
}

func (f *fakeAPI) asked(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// browser is an HTTP client with cookies that does not follow redirects on its own.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newSite(t *testing.T) (*fakeAPI, *browser) {
	t.Helper()
	f := &fakeAPI{}
	s, err := web.New(f, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return f, &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) get(path string) (int, http.Header, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// post submits a form and returns the status and where it redirects.
func (b *browser) post(path string, form url.Values, header ...string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

func contains(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestOverviewPage(t *testing.T) {
	_, b := newSite(t)
	code, h, page := b.get("/")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("HTTP %d %s", code, h.Get("Content-Type"))
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	contains(t, page,
		`<b id="total-cases">40</b>`, `<b id="total-stuck">3</b>`, `<b id="total-waiting">4</b>`, `<b id="rate-6">50%</b>`, `<b id="rate-12">–</b>`,
		`id="funnel-chart"`, `Terserap kerja`, `12 · 30%`, // placed 12 of 40 cases
		`id="centre-BLK-SBY"`, `BLK Surabaya`, `href="/stuck?centre=BLK-SBY"`, `id="centre-BLK-TBN"`,
		`href="/download/v1/overview?format=csv"`, `href="/download/v1/reports/tracer-study?format=xlsx"`,
		`id="channel-BLK-SBY"`, `40% <small>4/10</small>`, `75% <small>3/4</small>`, `40% <small>8/20</small>`, `75% <small>6/8</small>`, `<link rel="stylesheet" href="/assets/style.css">`)
	if strings.Contains(page, "<script") || strings.Contains(page, "http://cdn") || strings.Contains(page, "https://") {
		t.Error("the page loads something from elsewhere or runs scripts")
	}
}

func TestStuckPageShowsWhyAndWhoAndPassesFilters(t *testing.T) {
	f, b := newSite(t)
	_, _, page := b.get("/stuck?centre=BLK-SBY&reason=partner-failing&offset=50")
	contains(t, page, `id="stuck-total">120<`, `id="stuck-bpjs000001"`, `href="/cases/bpjs000001"`,
		"7 failed attempts, last error bpjs: register: HTTP 503", `<dd class="attempts">7</dd>`, "Penghubung BPJS",
		"get BPJS Ketenagakerjaan answering again", "2 hari",
		`action="/cases/bpjs000001/retry"`, `action="/cases/bpjs000001/escalate"`,
		`href="/download/v1/stuck?centre=BLK-SBY&amp;format=csv&amp;reason=partner-failing"`,
		`<option value="BLK-SBY" selected>`, `<option value="partner-failing" selected>`,
		`href="/stuck?centre=BLK-SBY&amp;offset=0&amp;reason=partner-failing"`, `href="/stuck?centre=BLK-SBY&amp;offset=100&amp;reason=partner-failing"`,
		"Isi nama Anda di atas untuk bertindak.")
	// Without a name, the action buttons are disabled.
	if !strings.Contains(page, `class="retry" disabled`) {
		t.Error("retry is enabled for an anonymous visitor")
	}
	asked := f.asked("GET /api/v1/stuck?")
	if len(asked) != 1 || asked[0] != "GET /api/v1/stuck?centre=BLK-SBY&limit=50&offset=50&reason=partner-failing" {
		t.Fatalf("asked the API %v", asked)
	}
}

func TestApproveFromInboxSendsTheDecision(t *testing.T) {
	f, b := newSite(t)
	_, _, page := b.get("/inbox")
	contains(t, page, `id="group-enrolment-approval"`, `id="group-certification-approval"`, `id="inbox-cert000001"`,
		"Persetujuan sertifikasi", "Manajer sertifikasi LSP", "certificate approval pending for more than 7 days",
		`<input type="hidden" name="kind" value="certification">`, `id="inbox-total">4<`)

	// No name yet: refused with a hint, and the API is not asked.
	code, loc := b.post("/cases/cert000001/decide", url.Values{"kind": {"certification"}, "approve": {"yes"}, "back": {"/inbox"}})
	if code != http.StatusSeeOther || loc != "/inbox" || len(f.asked("POST")) != 0 {
		t.Fatalf("anonymous approve: %d %s, API asked %v", code, loc, f.asked("POST"))
	}
	_, _, page = b.get("/inbox")
	contains(t, page, `class="flash bad"`, "Isi nama Anda dulu")

	if code, _ := b.post("/actor", url.Values{"name": {"budi"}, "back": {"/inbox"}}); code != http.StatusSeeOther {
		t.Fatalf("set name: %d", code)
	}
	code, loc = b.post("/cases/cert000001/decide", url.Values{"kind": {"certification"}, "approve": {"yes"}, "back": {"/inbox?role=lsp-manager"}})
	if code != http.StatusSeeOther || loc != "/inbox?role=lsp-manager" {
		t.Fatalf("approve: %d %s", code, loc)
	}
	var sent workflows.CertificationDecision
	if err := json.Unmarshal(f.bodies["/api/v1/cases/cert000001/certification"], &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Actor != (workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}) || !sent.Approve {
		t.Fatalf("sent %+v", sent)
	}
	_, _, page = b.get("/inbox?role=lsp-manager")
	contains(t, page, `class="flash ok"`, "cert000001: sertifikasi disetujui; sertifikat akan diterbitkan", `value="budi"`)
	// The flash is shown once.
	_, _, page = b.get("/inbox")
	if strings.Contains(page, "sertifikasi disetujui") || strings.Contains(page, "certification approved") {
		t.Error("flash shown twice")
	}

	// A refusal by the journey comes back in its words.
	f.refuse = "cannot decide certification: case cert000001 is in stage placement (needs certification)"
	b.post("/cases/cert000001/decide", url.Values{"kind": {"certification"}, "approve": {"no"}, "reason": {"x"}, "back": {"/inbox"}})
	_, _, page = b.get("/inbox")
	contains(t, page, `class="flash bad"`, "is in stage placement (needs certification)")
}

func TestRetryAndEscalateFromStuckPage(t *testing.T) {
	f, b := newSite(t)
	b.post("/actor", url.Values{"name": {"rina"}, "back": {"/stuck"}})
	b.post("/cases/bpjs000001/retry", url.Values{"back": {"/stuck"}})
	b.post("/cases/bpjs000001/escalate", url.Values{"back": {"/stuck"}, "note": {"third day"}})
	var retry api.RetryRequest
	var esc api.EscalateRequest
	_ = json.Unmarshal(f.bodies["/api/v1/cases/bpjs000001/retry"], &retry)
	_ = json.Unmarshal(f.bodies["/api/v1/cases/bpjs000001/escalate"], &esc)
	if retry.Actor != (workflows.Actor{ID: "rina", Role: vocab.RoleOperator}) || esc.Actor.ID != "rina" || esc.Note != "third day" {
		t.Fatalf("sent retry %+v, escalate %+v", retry, esc)
	}
	_, _, page := b.get("/stuck")
	contains(t, page, "bpjs000001: dieskalasi ke Penghubung BPJS: ", "(catatan: third day)")
}

func TestCasePage(t *testing.T) {
	f, b := newSite(t)
	code, _, page := b.get("/cases/cert000001")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d", code)
	}
	contains(t, page, `id="case-id">cert000001<`, `data-stage="certification"`, `<code>12345678901</code>`,
		`href="http://127.0.0.1:8233/namespaces/default/workflows/journey%2FP1%2Fx/r1/history"`,
		`id="decide"`, "Menunggu persetujuan sertifikasi", `>IssueCertificate</td>`, `<code>lsp: HTTP 502</code>`,
		`class="ev-assessment-result"`, "asr-7", `href="/download/v1/cases/cert000001/events?format=csv"`, "✓")
	f.noWF = true
	_, _, page = b.get("/cases/cert000001")
	contains(t, page, "temporal unavailable", `id="kpj"`)
	code, _, page = b.get("/cases/nosuchcase")
	if code != http.StatusNotFound || !strings.Contains(page, "case not found") {
		t.Fatalf("unknown case: HTTP %d", code)
	}
}

func TestFormsRefuseOtherSites(t *testing.T) {
	f, b := newSite(t)
	code, _ := b.post("/actor", url.Values{"name": {"mallory"}}, "Sec-Fetch-Site", "cross-site")
	if code != http.StatusForbidden {
		t.Fatalf("cross-site post: HTTP %d", code)
	}
	if code, loc := b.post("/actor", url.Values{"name": {"x"}, "back": {"https://evil.example/"}}); code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("redirect to another site: %d %s", code, loc)
	}
	if len(f.asked("POST")) != 0 {
		t.Fatal("the API was asked")
	}
}

func TestAssetsAndAPIPassThrough(t *testing.T) {
	_, b := newSite(t)
	code, h, css := b.get("/assets/style.css")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !strings.Contains(css, "@media") {
		t.Fatalf("stylesheet: HTTP %d %s", code, h.Get("Content-Type"))
	}
	code, h, body := b.get("/api/v1/centres")
	if code != http.StatusOK || !strings.Contains(body, "BLK-SBY") || h.Get("Content-Security-Policy") != "" {
		t.Fatalf("API through the pages' handler: HTTP %d %s", code, body)
	}
}

// Behind the login the pages act as the logged-in person, in their own role, and show who that is.
func TestLoggedInIdentityActs(t *testing.T) {
	f := &fakeAPI{}
	s, err := web.New(f, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := auth.Identity{Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-BLK-SBY"}}
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), id)))
	}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	_, _, page := b.get("/inbox")
	contains(t, page, `id="identity">budi`, "Manajer sertifikasi LSP", "LSP-BLK-SBY", `action="/logout"`)
	if strings.Contains(page, `id="actor-name"`) || strings.Contains(page, "disabled") {
		t.Error("a logged-in person is asked for a name")
	}
	b.post("/cases/cert000001/decide", url.Values{"kind": {"certification"}, "approve": {"yes"}, "back": {"/inbox"}})
	var sent workflows.CertificationDecision
	if err := json.Unmarshal(f.bodies["/api/v1/cases/cert000001/certification"], &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Actor != (workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}) {
		t.Fatalf("sent as %+v", sent.Actor)
	}
}

// A certificate the LSP refused is in the inbox with the LSP's words and the three ways out; each
// form sends its own action with the reason and, to re-assess, the units.
func TestRefusalWaysOutFromInbox(t *testing.T) {
	f, b := newSite(t)
	b.post("/actor", url.Values{"name": {"budi"}, "back": {"/inbox"}})
	_, _, page := b.get("/inbox")
	contains(t, page, `id="group-certificate-refused"`, `id="inbox-refd000001"`, "no assessment with this id",
		`action="/cases/refd000001/refusal"`, `name="kind" value="retry"`, `name="kind" value="reassess"`, `name="kind" value="skip"`,
		"Tutup tanpa sertifikat (koordinator)")
	b.post("/cases/refd000001/refusal", url.Values{"kind": {"retry"}, "back": {"/inbox"}})
	b.post("/cases/refd000001/refusal", url.Values{"kind": {"reassess"}, "units": {"LOG.OO18.002.01, LOG.OO09.001.01"}, "reason": {"BK at the LSP"}, "back": {"/inbox"}})
	b.post("/cases/refd000001/refusal", url.Values{"kind": {"skip"}, "reason": {"declined"}, "back": {"/inbox"}})
	var retry, reassess, skip workflows.RefusalDecision
	for path, into := range map[string]*workflows.RefusalDecision{"retry-refused": &retry, "order-reassessment": &reassess, "close-uncertified": &skip} {
		if err := json.Unmarshal(f.bodies["/api/v1/cases/refd000001/"+path], into); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if retry.Actor.ID != "budi" || retry.Actor.Role != vocab.RoleLSPManager {
		t.Errorf("retry %+v", retry)
	}
	if len(reassess.Units) != 2 || reassess.Units[1] != "LOG.OO09.001.01" || reassess.Reason != "BK at the LSP" {
		t.Errorf("re-assessment %+v", reassess)
	}
	if skip.Reason != "declined" || skip.Actor.Role != vocab.RoleCoordinator {
		t.Errorf("skip %+v", skip)
	}
	if code, _ := b.post("/cases/refd000001/refusal", url.Values{"kind": {"approve"}, "back": {"/inbox"}}); code != http.StatusBadRequest {
		t.Errorf("unknown kind: %d", code)
	}
}

// A case stuck on an LSP's refusal sends its reader to the inbox, where the ways out are, and
// offers no "retry now" (nothing is failing).
func TestRefusedCasePagePointsToTheInbox(t *testing.T) {
	_, b := newSite(t)
	code, _, page := b.get("/cases/refd000001")
	if code != http.StatusOK {
		t.Fatalf("case page: %d", code)
	}
	contains(t, page, `id="refusal-inbox"`, `href="/inbox?role=lsp-manager#inbox-refd000001"`, "no assessment with this id")
	if strings.Contains(page, `action="/cases/refd000001/retry"`) {
		t.Error("a refused case offers retry now")
	}
}

// The printable certificate summary names the holder, the certificate and its dates, and carries
// a QR code (inline SVG, no script) to the public check; the case page links to it and says the
// placement was self-reported.
func TestCertificateSummaryPage(t *testing.T) {
	_, b := newSite(t)
	code, _, page := b.get("/cases/plcd000001/sertifikat")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", code, page)
	}
	contains(t, page, "Siti Nur Aisyah", "LSP-BLK-SBY/2026/000123", "SKM-LAS", `<svg class="qr"`,
		`/verifikasi/LSP-BLK-SBY%2F2026%2F000123`)
	if strings.Contains(page, "<script") {
		t.Error("the summary carries a script")
	}
	code, _, page = b.get("/cases/plcd000001")
	if code != http.StatusOK {
		t.Fatalf("case page: HTTP %d", code)
	}
	contains(t, page, `href="/cases/plcd000001/sertifikat"`, `id="placement-channel"`, "lapor mandiri")
	if code, _, _ := b.get("/cases/cert000001/sertifikat"); code != http.StatusNotFound {
		t.Errorf("summary of a case without a certificate: HTTP %d, want 404", code)
	}
}
