package selfreport

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/clientip"
	"github.com/bpvp-sidoarjo/kompeten/messaging"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// Answers a graduate can give, as the form sends them.
const (
	AnswerWorking      = "working"
	AnswerSelfEmployed = "self-employed"
	AnswerStudy        = "continuing-study"
	AnswerLooking      = "still-looking"
)

// answerLabels word the answers for the thank-you page.
var answerLabels = map[string]string{
	AnswerWorking: "bekerja", AnswerSelfEmployed: "berwirausaha", AnswerStudy: "melanjutkan sekolah atau kuliah",
	AnswerLooking: "masih mencari kerja",
}

// SubjectStore finds what the page may show of a case (*store.Store).
type SubjectStore interface {
	SelfReportSubject(ctx context.Context, caseID string) (store.SelfReportSubject, error)
}

// Stepper sends a journey's update, signed as the API signs staff steps (*starter.Service).
type Stepper interface {
	Update(ctx context.Context, caseID, name string, arg any) (workflows.UpdateResult, error)
}

// Page serves the follow-up links: GET shows the question, POST records the answer.
type Page struct {
	Issuer   *Issuer
	Subjects SubjectStore
	Steps    Stepper
	// Limiter throttles each client address on the page; nil: 30 a minute.
	Limiter *Limiter
	// Location shows the link's expiry and reads the start date as the centres see them.
	Location *time.Location
	Logger   *slog.Logger
}

// csrfCookie carries the form's double-submit token (there is no session to bind it to).
const csrfCookie = "kompeten_lapor_csrf"

// maxForm bounds the answer's body.
const maxForm = 8 << 10

// pageData is what the template gets.
type pageData struct {
	Gone, Done                           bool
	FirstName, Package, Expires, CSRF    string
	Answer, Employer, Kind, Start, Error string
	AnswerLabel                          string
}

// Register mounts the page on mux (GET and POST /lapor/{token}), refusing cross-origin posts.
func (p *Page) Register(mux *http.ServeMux) {
	if p.Limiter == nil {
		p.Limiter = NewLimiter(30, time.Minute)
	}
	if p.Location == nil {
		p.Location = time.UTC
	}
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	mux.Handle("GET "+LinkPath+"{token}", p.limited(http.HandlerFunc(p.show)))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.render(w, r, http.StatusForbidden, pageData{Gone: true})
	}))
	mux.Handle("POST "+LinkPath+"{token}", p.limited(cop.Handler(http.HandlerFunc(p.answer))))
}

// limited refuses an address over its limit with the page's own words.
func (p *Page) limited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, retry := p.Limiter.Allow(clientip.Of(r)); !ok {
			w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
			http.Error(w, "Terlalu banyak permintaan; coba lagi sebentar lagi.", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// show asks the question of a link that works, without spending it.
func (p *Page) show(w http.ResponseWriter, r *http.Request) {
	l, subj, ok := p.open(w, r)
	if !ok {
		return
	}
	p.form(w, r, http.StatusOK, l, subj, pageData{})
}

// open finds the link and its case; a link that is gone, or whose case has left the follow-up,
// is answered here.
func (p *Page) open(w http.ResponseWriter, r *http.Request) (store.SelfReportLink, store.SelfReportSubject, bool) {
	l, err := p.Issuer.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		p.fail(w, r, err)
		return l, store.SelfReportSubject{}, false
	}
	subj, err := p.Subjects.SelfReportSubject(r.Context(), l.CaseID)
	if err == nil && (subj.Status != store.StatusOpen || subj.Stage != string(vocab.StagePlacement)) {
		err = ErrLinkGone // the follow-up is over: nothing to answer
	}
	if errors.Is(err, store.ErrNotFound) {
		err = ErrLinkGone
	}
	if err != nil {
		p.fail(w, r, err)
		return l, subj, false
	}
	return l, subj, true
}

// fail answers a gone link with the one refusal page, anything else as a passing failure.
func (p *Page) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrLinkGone) {
		p.render(w, r, http.StatusGone, pageData{Gone: true})
		return
	}
	p.Logger.Error("self-report page", "error", err)
	http.Error(w, "Jawaban tidak dapat diperiksa saat ini; coba lagi sebentar lagi.", http.StatusServiceUnavailable)
}

// form renders the question with a fresh CSRF token.
func (p *Page) form(w http.ResponseWriter, r *http.Request, status int, l store.SelfReportLink, subj store.SelfReportSubject, d pageData) {
	raw := make([]byte, 18)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: r.URL.Path, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 3600})
	d.CSRF, d.FirstName = token, subj.FirstName
	d.Package = subj.Package
	if subj.Trade != "" {
		d.Package = subj.Trade + " (" + subj.Package + ")"
	}
	d.Expires = messaging.Day(l.ExpiresAt.In(p.Location))
	p.render(w, r, status, d)
}

func (p *Page) render(w http.ResponseWriter, r *http.Request, status int, d pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, "lapor.html", d); err != nil {
		p.Logger.Error("self-report page render", "error", err)
	}
}

// answer records the graduate's answer: the link is spent first (once, atomically), then the
// answer goes to the journey as a signed update; a refused or failed update gives the link back.
func (p *Page) answer(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	l, subj, ok := p.open(w, r)
	if !ok {
		return
	}
	d := pageData{Answer: r.PostFormValue("answer"), Employer: strings.TrimSpace(r.PostFormValue("employer")),
		Kind: r.PostFormValue("kind"), Start: r.PostFormValue("start")}
	if c, err := r.Cookie(csrfCookie); err != nil || c.Value == "" || !hmac.Equal([]byte(c.Value), []byte(r.PostFormValue("csrf"))) {
		d.Error = "Formulir kedaluwarsa; kirim sekali lagi."
		p.form(w, r, http.StatusForbidden, l, subj, d)
		return
	}
	name, arg, problem := p.step(d)
	if problem != "" {
		d.Error = problem
		p.form(w, r, http.StatusBadRequest, l, subj, d)
		return
	}
	if !auth.Allowed(vocab.RoleGraduate, auth.ActionSelfReport) {
		p.render(w, r, http.StatusForbidden, pageData{Gone: true})
		return
	}
	used, err := p.Issuer.Use(r.Context(), r.PathValue("token"), d.Answer)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	setActor(arg, used)
	if _, err := p.Steps.Update(r.Context(), used.CaseID, name, arg); err != nil {
		if rerr := p.Issuer.Release(r.Context(), used); rerr != nil {
			p.Logger.Error("self-report: give the link back", "case", used.CaseID, "error", rerr)
		}
		p.Logger.Warn("self-report refused", "case", used.CaseID, "answer", d.Answer, "error", err)
		d.Error = "Jawaban belum dapat dicatat; coba lagi sebentar lagi, atau hubungi BLK Anda."
		p.form(w, r, http.StatusConflict, l, subj, d)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "", Path: r.URL.Path, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	p.render(w, r, http.StatusOK, pageData{Done: true, FirstName: subj.FirstName, AnswerLabel: answerLabels[d.Answer]})
}

// ActorID is the actor a link's answer is recorded under: the link, not the person (no name in
// a workflow's history).
func ActorID(l store.SelfReportLink) string {
	id := l.ID
	if len(id) > 8 {
		id = id[:8]
	}
	return "self-report-link-" + id
}

// step turns the form into the journey's update, or says in Indonesian what is missing.
func (p *Page) step(d pageData) (name string, arg any, problem string) {
	if d.Answer == AnswerLooking {
		return workflows.UpdateSelfReportContact, &workflows.SelfReportContact{}, ""
	}
	var cat vocab.Placement
	switch d.Answer {
	case AnswerWorking:
		cat = vocab.PlacementFormal
		if d.Kind == "informal" {
			cat = vocab.PlacementInformal
		}
		if d.Employer == "" {
			return "", nil, "Tulis nama tempat kerja Anda."
		}
	case AnswerSelfEmployed:
		cat = vocab.PlacementSelfEmployed
	case AnswerStudy:
		cat = vocab.PlacementContinuingStudy
	default:
		return "", nil, "Pilih salah satu jawaban."
	}
	if len(d.Employer) > 120 {
		return "", nil, "Nama tempat kerja terlalu panjang."
	}
	start := time.Now().In(p.Location)
	if d.Start != "" {
		t, err := time.ParseInLocation(time.DateOnly, d.Start, p.Location)
		if err != nil || t.After(time.Now().AddDate(0, 1, 0)) || t.Before(time.Now().AddDate(-5, 0, 0)) {
			return "", nil, "Tanggal mulai tidak dikenali; pilih tanggal dari kalender."
		}
		start = t
	} else if d.Answer == AnswerWorking {
		return "", nil, "Isi tanggal mulai bekerja."
	}
	return workflows.UpdateReportPlacement, &workflows.PlacementReport{Category: cat, Employer: d.Employer, Start: start, SelfReported: true}, ""
}

// setActor puts the link's actor on the update's argument: the graduate, known by the link.
func setActor(arg any, l store.SelfReportLink) {
	a := workflows.Actor{ID: ActorID(l), Role: vocab.RoleGraduate}
	switch v := arg.(type) {
	case *workflows.PlacementReport:
		v.Actor = a
	case *workflows.SelfReportContact:
		v.Actor, v.Month = a, l.Month
	}
}
