package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
)

// Session cookie and CSRF cookie names.
const (
	sessionCookie = "kompeten_session"
	csrfCookie    = "kompeten_csrf"
	sessionLength = 12 * time.Hour
)

// Sessions puts a login in front of the pages: a person pastes an API token once, and a session
// cookie (HttpOnly, SameSite=Lax, Secure over TLS) carries the token's hash, an expiry and a MAC
// under key. Each request looks the hash up again, so revoking the token ends its sessions. The
// identity reaches the in-process API through the request context (api.WithIdentity); API
// requests from the network still need their bearer token.
type Sessions struct {
	// Lookup finds the identity of a token hash (api.StoreTokens).
	Lookup auth.TokenLookup
	// Key authenticates the cookies (security.actor_key).
	Key []byte
}

// Wrap guards pages behind the login; /api/, /healthz, /assets/ and /login pass through.
func (s *Sessions) Wrap(pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/healthz" || strings.HasPrefix(p, "/assets/") || strings.HasPrefix(p, "/sim/") {
			pages.ServeHTTP(w, r)
			return
		}
		id, ok := s.identity(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+template.URLQueryEscaper(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "log in first (/login)", http.StatusUnauthorized)
			return
		}
		// Every form of a session carries a token bound to the session cookie: a post without
		// it is refused even from this site's origin (defence in depth beside the cross-origin
		// check and SameSite=Lax).
		csrf := s.csrfToken(r)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrf)) {
				http.Error(w, "the form expired or did not come from this page; reload it and try again", http.StatusForbidden)
				return
			}
		}
		ctx := context.WithValue(api.WithIdentity(r.Context(), id), csrfKey{}, csrf)
		pages.ServeHTTP(w, r.WithContext(ctx))
	}))
	return mux
}

// identity reads and checks the session cookie.
func (s *Sessions) identity(r *http.Request) (auth.Identity, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return auth.Identity{}, false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return auth.Identity{}, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || time.Now().Unix() > exp {
		return auth.Identity{}, false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(s.mac(parts[0]+"."+parts[1]))) {
		return auth.Identity{}, false
	}
	hash, err := hex.DecodeString(parts[0])
	if err != nil {
		return auth.Identity{}, false
	}
	id, err := s.Lookup(r.Context(), hash)
	return id, err == nil
}

func (s *Sessions) mac(msg string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("session\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
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
	if _, err := s.Lookup(r.Context(), hash); err != nil {
		s.renderLogin(w, r, "Token tidak dikenal atau dicabut · Unknown or revoked token", http.StatusUnauthorized)
		return
	}
	payload := hex.EncodeToString(hash) + "." + strconv.FormatInt(time.Now().Add(sessionLength).Unix(), 10)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: payload + "." + s.mac(payload), Path: "/",
		MaxAge: int(sessionLength.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

func (s *Sessions) logout(w http.ResponseWriter, r *http.Request) {
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
