// Package web serves kompeten's pages: the overview (funnel per centre), the stuck cases with
// their actions, the approvals inbox and the case page. Pages are rendered on the server with
// html/template from embedded templates and one stylesheet: no JavaScript, no CDN, so they work
// offline and on a phone. Every number and every action goes through the JSON API (called
// in-process), so the pages can do nothing the API does not offer.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// Options shape the pages.
type Options struct {
	// Location shows times as the centres see them (journey.timezone); UTC when nil.
	Location *time.Location
	Logger   *slog.Logger
	// MinAge and MaxAge are the cohort upload's age rules (journey.min_age, max_age), as the CLI's import takes them.
	MinAge, MaxAge int
	// PublicURL is where the public reaches kompeten (selfreport.public_url): the certificate
	// summary's QR code points there. Empty: the request's own host.
	PublicURL string
	// Jobs keeps the cohort-start jobs (the store), so that every serve process shows them and
	// a restarted one resumes them (web/cohort_job.go); nil keeps them in this process's memory.
	Jobs JobStore
	// Keyring seals the uploads the jobs keep (the payload keys); required with Jobs.
	Keyring *codec.Keyring
	// JobLease is how long a job stays with the process running it without a renewal: a
	// process that died leaves its jobs to the others after it (default a minute).
	JobLease time.Duration
	// JobRetention is how long a job and its report are kept after its last change (default
	// 30 days).
	JobRetention time.Duration
}

// Server renders the pages from the API.
type Server struct {
	api  *apiclient.Client
	next http.Handler
	opts Options
	// sets are the parsed pages per language and time zone (the template helpers word in one
	// language and one zone); built on first use of each.
	mu   sync.Mutex
	sets map[prefs]map[string]*template.Template
	// jobStore keeps the cohort-start jobs, jobs runs this process's, seal seals their uploads.
	jobStore JobStore
	jobs     *jobRunner
	seal     sealer
}

// pageNames are the templates rendered inside the layout.
var pageNames = []string{"overview", "stuck", "inbox", "case", "error", "mous", "cases", "accounts", "decisions", "certificate", "assessments"}

// New builds the pages on top of the API handler: page routes are served here, every other
// request (the API itself, /healthz) goes to api.
func New(api http.Handler, opts Options) (*Server, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.JobLease <= 0 {
		opts.JobLease = defaultJobLease
	}
	if opts.JobRetention <= 0 {
		opts.JobRetention = defaultJobRetention
	}
	if opts.Jobs != nil && opts.Keyring == nil {
		return nil, errors.New("web: the cohort jobs' store needs the payload keys to seal the uploads it keeps")
	}
	s := &Server{api: apiclient.InProcess(api), next: api, opts: opts, sets: map[prefs]map[string]*template.Template{},
		jobStore: opts.Jobs, seal: newSealer(opts.Keyring)}
	if s.jobStore == nil {
		s.jobStore = &memJobs{jobs: map[string]*memJob{}}
	}
	s.jobs = newJobRunner(s)
	// Parse the default set now: a template error shows at start, not on a first page view.
	if _, err := s.pagesFor(prefs{Lang: i18n.ID}); err != nil {
		return nil, err
	}
	return s, nil
}

// pagesFor are the pages parsed with helpers that speak p's language in p's zone.
func (s *Server) pagesFor(p prefs) (map[string]*template.Template, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if set, ok := s.sets[p]; ok {
		return set, nil
	}
	set := map[string]*template.Template{}
	fm := s.funcs(p.reader(s.opts.Location))
	for _, name := range append(pageNames, weekPages...) {
		t, err := template.New("layout.html").Funcs(fm).Funcs(authzFuncs()).ParseFS(templateFiles, "templates/layout.html", "templates/person.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		set[name] = t
	}
	s.sets[p] = set
	return set, nil
}

// Handler routes the pages, their form posts and the assets; everything else goes to the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.overviewPage)
	mux.HandleFunc("GET /stuck", s.stuckPage)
	mux.HandleFunc("GET /inbox", s.inboxPage)
	mux.HandleFunc("GET /cases/{id}", s.casePage)
	mux.HandleFunc("GET /cases", s.casesPage)                       // people and search: web/people.go
	mux.HandleFunc("GET /cases/{id}/sertifikat", s.certificatePage) // printable certificate summary: web/certificate.go
	mux.HandleFunc("GET /download/{path...}", s.download)           // files under the login: web/downloads.go
	mux.HandleFunc("GET /mous", s.mousPage)                         // agreements: web/mous.go
	mux.HandleFunc("GET /accounts", s.accountsPage)                 // login accounts: web/accounts.go
	assets, _ := fs.Sub(assetFiles, "assets")
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", cacheFor(time.Hour, http.FileServerFS(assets))))

	// Form posts change cases: refuse them from other sites (no cookie-riding approvals).
	posts := http.NewServeMux()
	forms := map[string]http.HandlerFunc{
		"POST /actor":                 s.setActor,
		"POST /preferences":           s.setPreferences, // the language and time zone switch: web/prefs.go
		"POST /cases/{id}/retry":      s.retry,
		"POST /cases/{id}/escalate":   s.escalate,
		"POST /cases/{id}/decide":     s.decide,
		"POST /cases/{id}/refusal":    s.wayOut,
		"POST /cases/{id}/correct":    s.correct,          // a record BPJS refused: web/corrections.go
		"POST /cases/{id}/assessment": s.recordAssessment, // web/assess.go
		"POST /inbox/decide":          s.decideMany,       // bulk decisions: web/decisions.go
		"POST /cases":                 s.casesPage,        // a search by name or NIK, in the body
	}
	for p, h := range s.accountForms() {
		forms[p] = h
	}
	s.weekRoutes(mux, forms)        // packages and registers: web/packages.go
	s.assessmentsRoutes(mux, forms) // assessment results: web/assessments.go
	for p, h := range forms {
		posts.HandleFunc(p, h)
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.formExpired))
	guarded := cop.Handler(posts)
	for p := range forms {
		mux.Handle(p, guarded)
	}
	mux.Handle("/", s.htmlNotFound(s.next))
	return securityHeaders(apiLanguage(mux))
}

// apiLanguage asks the API calls a page makes to word their refusals in the reader's language.
func apiLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			r = r.WithContext(apiclient.WithLanguage(r.Context(), string(prefsOf(r).Lang)))
		}
		next.ServeHTTP(w, r)
	})
}

// pageCSP allows the pages this site's own styles and images only: no script at all.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders forbids anything but this site's own styles and images on the pages.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/healthz" {
			w.Header().Set("Content-Security-Policy", pageCSP)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("Referrer-Policy", "same-origin")
		}
		next.ServeHTTP(w, r)
	})
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		next.ServeHTTP(w, r)
	})
}

// page is what every template gets: the page's own data plus the chrome.
type page struct {
	Title string
	Nav   string // which menu entry is current
	Actor string // who acts: the logged-in identity's name, or the name given in a cookie
	// Identity is the logged-in person when the pages require a login (dev and serve).
	Identity *auth.Identity
	// CSRF goes into every form; the login's session middleware checks it (web/login.go).
	CSRF   string
	Flash  *flash
	Path   string // the page's own path and query, where forms come back to
	Data   any
	Now    time.Time
	Status int
	// Lang and Zone are the reader's language and time zone (the switch on every page).
	Lang  i18n.Lang
	Zone  string
	Zones []string
	// Bare pages (an ended session's) show no menu, no identity and no clock.
	Bare bool
	// Refresh, in seconds, reloads the page by itself (a meta refresh: the pages have no
	// script): a cohort's progress.
	Refresh int
}

// render writes a page; a template error becomes a 500 with a plain message (and a log line).
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	p.Actor = actorName(r)
	if id, ok := api.IdentityFrom(r.Context()); ok {
		p.Identity = &id
	}
	p.CSRF = csrfFrom(r.Context())
	p.Flash = takeFlash(w, r)
	p.Path = r.URL.RequestURI()
	p.Now = time.Now()
	pr := prefsOf(r)
	p.Lang, p.Zone, p.Zones = pr.Lang, pr.Zone, zoneNames
	if p.Zone == "" {
		p.Zone = p.Now.In(s.opts.Location).Format("MST")
	}
	p.Title = pickPair(p.Title, pr.Lang)
	if p.Flash != nil {
		// An update's answer is English from the journey: worded here in the reader's language.
		p.Flash.Text = sayFlash(pr.reader(s.opts.Location), pickPair(p.Flash.Text, pr.Lang))
	}
	set, err := s.pagesFor(pr)
	if err != nil {
		s.opts.Logger.Error("parse pages", "lang", pr.Lang, "zone", pr.Zone, "error", err)
		http.Error(w, "the page could not be drawn; see the server log", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := set[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.opts.Logger.Error("render page", "page", name, "path", r.URL.Path, "error", err)
		http.Error(w, "the page could not be drawn; see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", string(pr.Lang))
	if p.Status != 0 {
		w.WriteHeader(p.Status)
	}
	_, _ = buf.WriteTo(w)
}

// actorCookie remembers the name a person acts under on this browser.
const actorCookie = "kompeten_actor"

func actorName(r *http.Request) string {
	// Logged in: the token's name is who acts, whatever a cookie says.
	if id, ok := api.IdentityFrom(r.Context()); ok {
		return id.Name
	}
	c, err := r.Cookie(actorCookie)
	if err != nil {
		return ""
	}
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return v
}

// flash is a one-time message shown on the next page after an action.
type flash struct {
	OK   bool
	Text string
}

const flashCookie = "kompeten_flash"

func setFlash(w http.ResponseWriter, ok bool, text string) {
	v := "0"
	if ok {
		v = "1"
	}
	if len(text) > 1500 {
		text = text[:1500] + "…"
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v + url.QueryEscape(text), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	text, err := url.QueryUnescape(c.Value[1:])
	if err != nil {
		return nil
	}
	return &flash{OK: c.Value[0] == '1', Text: text}
}

// back is where a form returns to: a path on this site, else the overview.
func back(r *http.Request) string {
	b := r.FormValue("back")
	if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") || strings.ContainsAny(b, "\\\r\n") {
		return "/"
	}
	return b
}
