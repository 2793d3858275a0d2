package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// The login: pages redirect to it; a form without the CSRF cookie's value or with an unknown
// token is refused; a good token gives an HttpOnly, SameSite=Lax session whose identity reaches
// the page handler; a revoked token ends the session; a forged cookie is worthless.
func TestLoginSessionsAndCSRF(t *testing.T) {
	good := "kpt_good-token"
	revoked := false
	s := &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Lookup: func(_ context.Context, h []byte) (auth.Identity, error) {
		if string(h) == string(auth.HashToken(good)) && !revoked {
			return auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}, nil
		}
		return auth.Identity{}, store.ErrNotFound
	}}
	h := s.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := api.IdentityFrom(r.Context())
		if r.URL.Path == "/api/v1/x" {
			w.Write([]byte("api"))
			return
		}
		if !ok {
			t.Fatalf("page reached without an identity")
		}
		if r.Method == http.MethodPost {
			w.Write([]byte("posted " + r.FormValue("kind")))
			return
		}
		w.Write([]byte("hello " + id.Name + " " + csrfFrom(r.Context())))
	}))
	do := func(req *http.Request, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := do(httptest.NewRequest("GET", "/stuck", nil)); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Fatalf("page without session: HTTP %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do(httptest.NewRequest("GET", "/api/v1/x", nil)); rec.Body.String() != "api" {
		t.Fatalf("API paths must pass to the API's own bearer check, got %q", rec.Body.String())
	}
	form := httptest.NewRecorder()
	h.ServeHTTP(form, httptest.NewRequest("GET", "/login?next=/stuck", nil))
	var csrf *http.Cookie
	for _, c := range form.Result().Cookies() {
		if c.Name == csrfCookie {
			csrf = c
		}
	}
	if csrf == nil || !strings.Contains(form.Body.String(), `name="csrf" value="`+csrf.Value+`"`) {
		t.Fatal("login form without a CSRF token matching its cookie")
	}
	post := func(values url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/login", strings.NewReader(values.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(req, cookies...)
	}
	if rec := post(url.Values{"token": {good}, "csrf": {"forged"}}, csrf); rec.Code != http.StatusForbidden {
		t.Fatalf("wrong CSRF token: HTTP %d", rec.Code)
	}
	if rec := post(url.Values{"token": {good}, "csrf": {csrf.Value}}); rec.Code != http.StatusForbidden {
		t.Fatalf("no CSRF cookie: HTTP %d", rec.Code)
	}
	if rec := post(url.Values{"token": {"kpt_wrong"}, "csrf": {csrf.Value}}, csrf); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown token: HTTP %d", rec.Code)
	}
	rec := post(url.Values{"token": {good}, "csrf": {csrf.Value}, "next": {"//evil.example/"}}, csrf)
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" || session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("login: HTTP %d to %q, session %+v", rec.Code, rec.Header().Get("Location"), session)
	}
	page := do(httptest.NewRequest("GET", "/stuck", nil), session)
	formToken := strings.TrimPrefix(page.Body.String(), "hello siti ")
	if !strings.HasPrefix(page.Body.String(), "hello siti ") || formToken == "" {
		t.Fatalf("page with session: %d %q", page.Code, page.Body.String())
	}
	// A page form posts with the session's token; without it, or with another, it is refused.
	decide := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/cases/abcdefghij/decide", strings.NewReader(url.Values{"kind": {"enrolment"}, "csrf": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(req, session)
	}
	if rec := decide(""); rec.Code != http.StatusForbidden {
		t.Fatalf("form without CSRF token: HTTP %d", rec.Code)
	}
	if rec := decide("forged"); rec.Code != http.StatusForbidden {
		t.Fatalf("form with a wrong CSRF token: HTTP %d", rec.Code)
	}
	if rec := decide(formToken); rec.Code != http.StatusOK || rec.Body.String() != "posted enrolment" {
		t.Fatalf("form with the CSRF token: HTTP %d %q", rec.Code, rec.Body.String())
	}
	forged := *session
	forged.Value = strings.Replace(session.Value, ".", "9.", 1)
	if rec := do(httptest.NewRequest("GET", "/stuck", nil), &forged); rec.Code != http.StatusSeeOther {
		t.Fatalf("forged session: HTTP %d", rec.Code)
	}
	revoked = true
	if rec := do(httptest.NewRequest("GET", "/stuck", nil), session); rec.Code != http.StatusSeeOther {
		t.Fatalf("session of a revoked token: HTTP %d", rec.Code)
	}
}
