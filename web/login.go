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

// Sessions puts a login in front of the pages: a person pastes an API token once and gets a
// session kept on the server (Store): the cookie (HttpOnly, SameSite=Lax, Secure over TLS)
// carries only a random session ID. A session ends at logout (its row is deleted, so a copied
// cookie stops working), after Idle without a request, 12 hours after login, and when its
// token is revoked (the token is looked up again on every request). The identity reaches the
// in-process API through the request context (api.WithIdentity); API requests from the
// network still need their bearer token.
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
}

// SessionStore keeps the pages' sessions on the server (*store.Store).
type SessionStore interface {
	CreateSession(ctx context.Context, ws store.WebSession, idleSince time.Time) error
	TouchSession(ctx context.Context, idHash []byte, at, idleSince time.Time) ([]byte, error)
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
	mux.HandleFunc("GET /expired", s.expiredPage)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/healthz" || strings.HasPrefix(p, "/assets/") || strings.HasPrefix(p, "/sim/") {
			pages.ServeHTTP(w, r)
			return
		}
		id, err := s.session(r)
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
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrf)) {
				bareProblem(w, r, http.StatusForbidden, problem{Kind: "form-expired", Back: back(r)})
				return
			}
		}
		ctx := context.WithValue(api.WithIdentity(r.Context(), id), csrfKey{}, csrf)
		pages.ServeHTTP(w, r.WithContext(ctx))
	}))
	return mux
}

// session reads the session cookie, finds its live session (marking it used) and its token's
// identity. errNoSession: no cookie, or a session that ended (logout, idle, expired, revoked
// token); any other error is the store failing.
func (s *Sessions) session(r *http.Request) (auth.Identity, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return auth.Identity{}, errNoSession
	}
	if s.Store == nil {
		return auth.Identity{}, errors.New("web: Sessions has no Store")
	}
	now := s.now()
	token, err := s.Store.TouchSession(r.Context(), sessionHash(c.Value), now, now.Add(-s.idle()))
	if errors.Is(err, store.ErrNotFound) {
		return auth.Identity{}, errNoSession
	}
	if err != nil {
		return auth.Identity{}, err
	}
	id, err := s.Lookup(r.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Identity{}, errNoSession
	}
	if err != nil {
		return auth.Identity{}, fmt.Errorf("session's token: %w", err)
	}
	return id, nil
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

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Masuk · Log in · kompeten</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main><h1>Masuk · Log in</h1>
{{if .Error}}<p class="flash error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="next" value="{{.Next}}">
<label>Token API · API token <input type="password" name="token" autocomplete="off" required></label>
<button type="submit">Masuk · Log in</button>
</form><p>kompeten token create --role ROLE --name NAMA</p></main></body></html>`))

func (s *Sessions) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, "", http.StatusOK)
}

func (s *Sessions) renderLogin(w http.ResponseWriter, r *http.Request, msg string, status int) {
	raw := make([]byte, 18)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_ = loginTmpl.Execute(w, map[string]string{"CSRF": token, "Next": safeNext(r.FormValue("next")), "Error": msg})
}

// login checks the CSRF token (double submit: the form's value must equal the cookie's) and
// the API token, then starts a session.
func (s *Sessions) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" || !hmac.Equal([]byte(c.Value), []byte(r.FormValue("csrf"))) {
		s.renderLogin(w, r, "Formulir kedaluwarsa, coba lagi · The form expired, try again", http.StatusForbidden)
		return
	}
	hash := auth.HashToken(r.FormValue("token"))
	if _, err := s.Lookup(r.Context(), hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		s.logger().Error("login: token lookup", "error", err)
		s.renderLogin(w, r, "Gagal memeriksa token · The token could not be checked; try again", http.StatusServiceUnavailable)
		return
	} else if err != nil {
		s.renderLogin(w, r, "Token tidak dikenal atau dicabut · Unknown or revoked token", http.StatusUnauthorized)
		return
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		s.logger().Error("login: session ID", "error", err)
		s.renderLogin(w, r, "Gagal membuat sesi · Could not start a session; try again", http.StatusInternalServerError)
		return
	}
	sid := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	if s.Store == nil {
		s.logger().Error("login", "error", "web: Sessions has no Store")
		s.renderLogin(w, r, "Gagal membuat sesi · Could not start a session; try again", http.StatusInternalServerError)
		return
	}
	err = s.Store.CreateSession(r.Context(), store.WebSession{IDHash: sessionHash(sid), TokenHash: hash, CreatedAt: now,
		ExpiresAt: now.Add(sessionLength)}, now.Add(-s.idle()))
	if err != nil {
		s.logger().Error("login: store session", "error", err)
		s.renderLogin(w, r, "Gagal membuat sesi · Could not start a session; try again", http.StatusServiceUnavailable)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/",
		MaxAge: int(sessionLength.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
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
