package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

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
	s := &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Store: &memSessions{}, Lookup: func(_ context.Context, h []byte) (auth.Identity, error) {
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
	forged.Value = session.Value[:len(session.Value)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(session.Value, "A")]
	if rec := do(httptest.NewRequest("GET", "/stuck", nil), &forged); rec.Code != http.StatusSeeOther {
		t.Fatalf("forged session: HTTP %d", rec.Code)
	}
	revoked = true
	if rec := do(httptest.NewRequest("GET", "/stuck", nil), session); rec.Code != http.StatusSeeOther {
		t.Fatalf("session of a revoked token: HTTP %d", rec.Code)
	}
}

// memSessions is the session store in memory, with the store's rules (end, idle, logout).
type memSessions struct {
	mu   sync.Mutex
	rows map[string]*memSession
}

type memSession struct {
	token          []byte
	lastSeen, ends time.Time
}

func (m *memSessions) CreateSession(_ context.Context, ws store.WebSession, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rows == nil {
		m.rows = map[string]*memSession{}
	}
	m.rows[string(ws.IDHash)] = &memSession{token: ws.TokenHash, lastSeen: ws.CreatedAt, ends: ws.ExpiresAt}
	return nil
}

func (m *memSessions) TouchSession(_ context.Context, id []byte, at, idleSince time.Time) (store.WebSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rows[string(id)]
	if ok && (!r.ends.After(at) || r.lastSeen.Before(idleSince)) {
		delete(m.rows, string(id)) // ended for good, as the store does
		ok = false
	}
	if !ok {
		return store.WebSession{}, store.ErrNotFound
	}
	if at.After(r.lastSeen) {
		r.lastSeen = at
	}
	return store.WebSession{IDHash: id, TokenHash: r.token}, nil
}

func (m *memSessions) EndSession(_ context.Context, id []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rows, string(id))
	return nil
}

// A session ends on the server: after logout a copy of its cookie is refused, a session idle
// for longer than Idle is refused (one used within it lives on), and one past 12 hours too.
func TestSessionsEndOnTheServer(t *testing.T) {
	good := "kpt_good-token"
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Store: &memSessions{}, Idle: 10 * time.Minute,
		Now: func() time.Time { return now },
		Lookup: func(_ context.Context, h []byte) (auth.Identity, error) {
			if string(h) == string(auth.HashToken(good)) {
				return auth.Identity{Name: "cora", Role: vocab.RoleCoordinator}, nil
			}
			return auth.Identity{}, store.ErrNotFound
		}}
	h := s.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page")) }))
	do := func(req *http.Request, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	login := func() *http.Cookie {
		t.Helper()
		form := do(httptest.NewRequest("GET", "/login", nil))
		csrf := form.Result().Cookies()[0]
		req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {good}, "csrf": {csrf.Value}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range do(req, csrf).Result().Cookies() {
			if c.Name == sessionCookie && c.Value != "" {
				if strings.Contains(c.Value, "kpt_") || len(c.Value) < 40 {
					t.Fatalf("session cookie %q is not a random ID", c.Value)
				}
				return c
			}
		}
		t.Fatal("login set no session cookie")
		return nil
	}
	live := func(c *http.Cookie) bool {
		t.Helper()
		rec := do(httptest.NewRequest("GET", "/stuck", nil), c)
		return rec.Code == http.StatusOK && rec.Body.String() == "page"
	}

	// Logout: the browser's cookie is cleared, and a copy taken before is refused.
	session := login()
	copied := *session
	if !live(session) {
		t.Fatal("fresh session refused")
	}
	out := do(httptest.NewRequest("POST", "/logout", nil), session)
	if out.Code != http.StatusSeeOther {
		t.Fatalf("logout: HTTP %d", out.Code)
	}
	if live(&copied) {
		t.Fatal("a copy of the cookie still works after logout")
	}

	// Idle: used every 9 minutes it lives on; 11 minutes without a request end it.
	session = login()
	for range 3 {
		now = now.Add(9 * time.Minute)
		if !live(session) {
			t.Fatalf("session used within the idle timeout was ended at %s", now)
		}
	}
	now = now.Add(11 * time.Minute)
	if live(session) {
		t.Fatal("a session idle for 11 minutes (idle timeout 10) still works")
	}
	now = now.Add(-11 * time.Minute) // the clock going back does not revive it either
	if live(session) {
		t.Fatal("an idle-ended session came back")
	}

	// Absolute end: 12 hours after login, however busy.
	session = login()
	start := now
	for now.Add(9 * time.Minute).Before(start.Add(12 * time.Hour)) {
		now = now.Add(9 * time.Minute)
		if !live(session) {
			t.Fatalf("busy session ended after %s", now.Sub(start))
		}
	}
	now = start.Add(12*time.Hour + time.Minute)
	if live(session) {
		t.Fatal("a session still works past its 12 hours")
	}
}
