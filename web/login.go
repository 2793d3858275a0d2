package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Session cookie and CSRF cookie names.
const (
	sessionCookie = "kompeten_session"
	csrfCookie    = "kompeten_csrf"
	sessionLength = 12 * time.Hour
	// DefaultIdle ends a session nobody used for this long (security.session_idle's default).
	DefaultIdle = 30 * time.Minute
)

// Sessions puts a login in front of the pages: a person logs in with their account's username
// (or email) and password (web/password_login.go; when Accounts is set), or pastes an API token,
// and gets a session kept on the server (Store): the cookie (HttpOnly, SameSite=Lax, Secure over
// TLS) carries only a random session ID. A session ends at logout (its row is deleted, so a
// copied cookie stops working), after Idle without a request, 12 hours after login, and when its
// token is revoked or its account disabled (both are looked up again on every request). The
// identity reaches the in-process API through the request context (api.WithIdentity); API
// requests from the network still need their bearer token.
type Sessions struct {
	// Lookup finds the identity of a token hash (api.StoreTokens).
	Lookup auth.TokenLookup
	// Key derives the forms' CSRF tokens from the session cookie (security.actor_key).
	Key []byte
	// Store keeps the sessions (the store's web_sessions); required.
	Store SessionStore
	// Idle ends a session not used for this long (security.session_idle); zero: DefaultIdle.
	Idle time.Duration
	// Now is the clock; nil: time.Now (tests move it to pass the idle timeout).
	Now func() time.Time
	// Logger records a session store that fails; nil: slog.Default().
	Logger *slog.Logger
	// Accounts enables the password login and the one-time set-password links (*store.Store);
	// nil: the token login only.
	Accounts AccountStore
	// Limits throttle failed password logins; zero: store.DefaultLoginLimits.
	Limits store.LoginLimits
	// SSO adds single sign-on with an OpenID Connect provider (web/sso.go) and its button on
	// the login page; nil: off.
	SSO *SSO
}

// SessionStore keeps the pages' sessions on the server (*store.Store).
type SessionStore interface {
	CreateSession(ctx context.Context, ws store.WebSession, idleSince time.Time) error
	TouchSession(ctx context.Context, idHash []byte, at, idleSince time.Time) (store.WebSession, error)
	EndSession(ctx context.Context, idHash []byte) error
}

// errNoSession is a request without a live session: it is sent to the login.
var errNoSession = errors.New("no live session")

// Wrap guards pages behind the login; /api/, /healthz, /assets/ and /login pass through.
func (s *Sessions) Wrap(pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /password/{token}", s.setPasswordPage)
	mux.HandleFunc("POST /password/{token}", s.setPassword)
	mux.HandleFunc("GET /expired", s.expiredPage)
	s.ssoRoutes(mux)
	// The language switch works signed in (an account stores it) and signed out (a cookie).
	mux.Handle("POST /preferences", http.NewCrossOriginProtection().Handler(http.HandlerFunc(s.preferences)))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/healthz" || strings.HasPrefix(p, "/assets/") || strings.HasPrefix(p, "/sim/") {
			pages.ServeHTTP(w, r)
			return
		}
		id, pr, err := s.sessionWith(r)
		if err != nil && !errors.Is(err, errNoSession) {
			s.logger().Error("page session", "path", r.URL.Path, "error", err)
			http.Error(w, "the sessions cannot be checked just now; try again shortly", http.StatusServiceUnavailable)
			return
		}
		if err != nil {
			s.noSession(w, r) // web/session_pages.go
			return
		}
		// Every form of a session carries a token bound to the session cookie: a post without
		// it is refused even from this site's origin (defence in depth beside the cross-origin
		// check and SameSite=Lax).
		csrf := s.csrfToken(r)
		if r.Method == http.MethodPost {
			limit := int64(64 << 10)
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				limit = MaxUploadBytes + 1<<20 // a cohort file (web/cohort.go)
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrf)) {
				bareProblem(w, r, http.StatusForbidden, problem{Kind: "form-expired", Back: back(r)})
				return
			}
		}
		ctx := context.WithValue(api.WithIdentity(r.Context(), id), csrfKey{}, csrf)
		if pr != nil {
			ctx = withPrefs(ctx, *pr)
		}
		pages.ServeHTTP(w, r.WithContext(ctx))
	}))
	return mux
}

// session reads the session cookie, finds its live session (marking it used) and its token's
// identity. errNoSession: no cookie, or a session that ended (logout, idle, expired, revoked
// token); any other error is the store failing.
func (s *Sessions) session(r *http.Request) (auth.Identity, error) {
	id, _, err := s.sessionWith(r)
	return id, err
}

// sessionWith is session with the account's language and time zone (nil for a token's session,
// whose browser keeps them in cookies).
func (s *Sessions) sessionWith(r *http.Request) (auth.Identity, *prefs, error) {
	ws, err := s.liveSession(r)
	if err != nil {
		return auth.Identity{}, nil, err
	}
	if ws.AccountID != 0 {
		return s.accountIdentity(r.Context(), ws.AccountID)
	}
	id, err := s.Lookup(r.Context(), ws.TokenHash)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Identity{}, nil, errNoSession
	}
	if err != nil {
		return auth.Identity{}, nil, fmt.Errorf("session's token: %w", err)
	}
	return id, nil, nil
}

// liveSession is the request's live session, marked used.
func (s *Sessions) liveSession(r *http.Request) (store.WebSession, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return store.WebSession{}, errNoSession
	}
	if s.Store == nil {
		return store.WebSession{}, errors.New("web: Sessions has no Store")
	}
	now := s.now()
	ws, err := s.Store.TouchSession(r.Context(), sessionHash(c.Value), now, now.Add(-s.idle()))
	if errors.Is(err, store.ErrNotFound) {
		return store.WebSession{}, errNoSession
	}
	return ws, err
}

// identity is the session's identity, if the request has a live one.
func (s *Sessions) identity(r *http.Request) (auth.Identity, bool) {
	id, err := s.session(r)
	if err != nil && !errors.Is(err, errNoSession) {
		s.logger().Error("session", "path", r.URL.Path, "error", err)
	}
	return id, err == nil
}

// mac authenticates msg under the session key (the forms' CSRF tokens).
func (s *Sessions) mac(msg string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("session\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sessionHash is the stored form of a session ID.
func sessionHash(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sessions) idle() time.Duration {
	if s.Idle > 0 {
		return s.Idle
	}
	return DefaultIdle
}

func (s *Sessions) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// signedOutFuncs word the signed-out pages (login, set password) in one language: t picks the
// reader's side of a pair written in the template.
var signedOutFuncs = template.FuncMap{
	"t": func(l i18n.Lang, id, en string) string {
		if l == i18n.EN {
			return en
		}
		return id
	},
}

// langSwitch is the signed-out pages' language switch (the same form as on every page).
const langSwitch = `<form class="prefs" method="post" action="/preferences" id="prefs"><input type="hidden" name="back" value="{{.Back}}">
<label for="pref-lang">{{t .Lang "Bahasa" "Language"}}</label>
<select id="pref-lang" name="lang"><option value="id" lang="id"{{if eq .Lang "id"}} selected{{end}}>Bahasa Indonesia</option><option value="en" lang="en"{{if eq .Lang "en"}} selected{{end}}>English</option></select>
<input type="hidden" name="zone" value="{{.Zone}}">
<button type="submit" id="pref-save">{{t .Lang "Terapkan" "Apply"}}</button></form>`

var loginTmpl = template.Must(template.New("login").Funcs(signedOutFuncs).Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t .Lang "Masuk" "Log in"}} · kompeten</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main><h1>{{t .Lang "Masuk" "Log in"}}</h1>
{{if .Error}}<p class="flash error" role="alert">{{.Error}}</p>{{end}}
{{if .SSO}}<p><a class="button" href="/login/sso?next={{.Next}}">{{t .Lang "Masuk dengan SSO" "Log in with single sign-on"}}</a></p>{{end}}
{{if .Accounts}}<form method="post" action="/login">
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="next" value="{{.Next}}">
<label>{{t .Lang "Nama pengguna atau email" "Username or email"}} <input type="text" name="login" autocomplete="username" autocapitalize="none" value="{{.Login}}" required></label>
<label>{{t .Lang "Kata sandi" "Password"}} <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">{{t .Lang "Masuk" "Log in"}}</button>
</form>
<p>{{t .Lang "Belum punya kata sandi? Minta tautan sekali pakai dari koordinator." "No password yet? Ask your coordinator for a one-time link."}}</p>
<details><summary>{{t .Lang "Masuk dengan token API" "Log in with an API token"}}</summary>{{end}}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="next" value="{{.Next}}">
<label>{{t .Lang "Token API" "API token"}} <input type="password" name="token" autocomplete="off" required></label>
<button type="submit">{{t .Lang "Masuk" "Log in"}}</button>
</form><p>kompeten token create --role ROLE --name {{t .Lang "NAMA" "NAME"}}</p>{{if .Accounts}}</details>{{end}}</main><footer>` + langSwitch + `</footer></body></html>`))

func (s *Sessions) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, "", http.StatusOK)
}

func (s *Sessions) renderLogin(w http.ResponseWriter, r *http.Request, msg string, status int) {
	token := formCSRF(w, r, "/login")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	login := r.PostFormValue("login")
	if len(login) > 200 {
		login = ""
	}
	p := prefsOf(r)
	next := safeNext(r.FormValue("next"))
	_ = loginTmpl.Execute(w, map[string]any{"CSRF": token, "Next": next, "Error": pickPair(msg, p.Lang),
		"Accounts": s.Accounts != nil, "Login": login, "Lang": p.Lang, "Zone": p.Zone, "Back": loginBack(next), "SSO": s.SSO != nil})
}

// formCSRF sets a fresh double-submit CSRF cookie for the forms under path (the login and the
// set-password pages, before any session exists) and returns its value for the form.
func formCSRF(w http.ResponseWriter, r *http.Request, path string) string {
	raw := make([]byte, 18)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: path, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return token
}

// formCSRFOK checks a pre-session form's double-submit CSRF token (formCSRF).
func formCSRFOK(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	return err == nil && c.Value != "" && hmac.Equal([]byte(c.Value), []byte(r.FormValue("csrf")))
}

// login checks the CSRF token (double submit: the form's value must equal the cookie's) and
// the API token, then starts a session.
func (s *Sessions) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if !formCSRFOK(r) {
		s.renderLogin(w, r, both("Formulir kedaluwarsa, coba lagi", "The form expired, try again"), http.StatusForbidden)
		return
	}
	if r.FormValue("token") == "" && s.Accounts != nil {
		s.passwordLogin(w, r)
		return
	}
	hash := auth.HashToken(r.FormValue("token"))
	if _, err := s.Lookup(r.Context(), hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		s.logger().Error("login: token lookup", "error", err)
		s.renderLogin(w, r, both("Gagal memeriksa token", "The token could not be checked; try again"), http.StatusServiceUnavailable)
		return
	} else if err != nil {
		s.renderLogin(w, r, both("Token tidak dikenal atau dicabut", "Unknown or revoked token"), http.StatusUnauthorized)
		return
	}
	if err := s.startSession(w, r, store.WebSession{TokenHash: hash}); err != nil {
		s.logger().Error("login: start session", "error", err)
		s.renderLogin(w, r, both("Gagal membuat sesi", "Could not start a session; try again"), http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

// startSession stores a new session opened with ws's token hash or account and sets its cookie.
func (s *Sessions) startSession(w http.ResponseWriter, r *http.Request, ws store.WebSession) error {
	if s.Store == nil {
		return errors.New("web: Sessions has no Store")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("session ID: %w", err)
	}
	sid := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	ws.IDHash, ws.CreatedAt, ws.ExpiresAt = sessionHash(sid), now, now.Add(sessionLength)
	if err := s.Store.CreateSession(r.Context(), ws, now.Add(-s.idle())); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/",
		MaxAge: int(sessionLength.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return nil
}

// logout ends the session on the server (a copy of the cookie is then worthless) and clears
// the cookie. Ending it fails only when the store does; the person is told, not sent away as if
// logged out.
func (s *Sessions) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && s.Store != nil {
		if err := s.Store.EndSession(r.Context(), sessionHash(c.Value)); err != nil {
			s.logger().Error("logout", "error", err)
			http.Error(w, "the session could not be ended just now; try again shortly", http.StatusServiceUnavailable)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a redirect target on this site (a path, not //host or a scheme).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

type csrfKey struct{}

// csrfToken is the form token of the request's session: a MAC of the session cookie, so it
// needs no storage and changes with every login.
func (s *Sessions) csrfToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return s.mac("csrf\x00" + c.Value)
}

// csrfFrom is the form token the session middleware put in ctx; empty without a login.
func csrfFrom(ctx context.Context) string {
	v, _ := ctx.Value(csrfKey{}).(string)
	return v
}
