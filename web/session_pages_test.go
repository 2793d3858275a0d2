package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// An ended session gets an Indonesian page, not a bare redirect or a plain-text 401: a page
// request is sent to /expired, which offers the login that returns to that page; a form post
// offers the login that returns to the form's page (never another site); a form without its
// token gets the expired-form page. A browser that never logged in goes to the login directly.
func TestEndedSessionPages(t *testing.T) {
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
	form := do(httptest.NewRequest("GET", "/login", nil))
	csrf := form.Result().Cookies()[0]
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {good}, "csrf": {csrf.Value}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var session *http.Cookie
	for _, c := range do(req, csrf).Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session")
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/cases/abcdefghij/decide", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(req, session)
	}

	// A form without the session's token: the expired-form page, back to the form's page.
	rec := post(url.Values{"kind": {"enrolment"}, "csrf": {"forged"}, "back": {"/inbox?role=centre-admin"}})
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusForbidden || !strings.Contains(string(body), "Formulir kedaluwarsa") ||
		!strings.Contains(string(body), `href="/inbox?role=centre-admin"`) || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("form without its token: HTTP %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), body)
	}

	// Never logged in: straight to the login, keeping the page.
	if rec := do(httptest.NewRequest("GET", "/stuck?centre=BLK-SBY", nil)); rec.Code != http.StatusSeeOther ||
		rec.Header().Get("Location") != "/login?next=%2Fstuck%3Fcentre%3DBLK-SBY" {
		t.Fatalf("no session: HTTP %d to %q", rec.Code, rec.Header().Get("Location"))
	}

	now = now.Add(11 * time.Minute) // idle: the session ends
	rec = do(httptest.NewRequest("GET", "/stuck?centre=BLK-SBY", nil), session)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/expired?next=%2Fstuck%3Fcentre%3DBLK-SBY" {
		t.Fatalf("ended session: HTTP %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	cleared := false
	for _, c := range rec.Result().Cookies() {
		cleared = cleared || (c.Name == sessionCookie && c.MaxAge < 0)
	}
	if !cleared {
		t.Error("the ended session's cookie is not cleared")
	}
	rec = do(httptest.NewRequest("GET", rec.Header().Get("Location"), nil))
	body, _ = io.ReadAll(rec.Body)
	for _, want := range []string{`lang="id"`, "Sesi Anda berakhir", `href="/login?next=%2Fstuck%3Fcentre%3DBLK-SBY"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("expired page lacks %s:\n%s", want, body)
		}
	}
	if rec.Code != http.StatusUnauthorized || strings.Contains(string(body), `action="/actor"`) || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("expired page: HTTP %d, CSP %q, shows the menu's forms: %v", rec.Code, rec.Header().Get("Content-Security-Policy"), strings.Contains(string(body), `action="/actor"`))
	}

	// A form posted after the session ended: the login returns to the form's page.
	rec = post(url.Values{"kind": {"enrolment"}, "csrf": {"x"}, "back": {"/inbox?role=centre-admin"}})
	body, _ = io.ReadAll(rec.Body)
	if rec.Code != http.StatusUnauthorized || !strings.Contains(string(body), `href="/login?next=%2Finbox%3Frole%3Dcentre-admin"`) {
		t.Fatalf("post after the end: HTTP %d\n%s", rec.Code, body)
	}
	for _, evil := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		rec = post(url.Values{"back": {evil}})
		body, _ = io.ReadAll(rec.Body)
		if !strings.Contains(string(body), `href="/login"`) || strings.Contains(string(body), "evil") {
			t.Errorf("back %q: the login link leaves the site:\n%s", evil, body)
		}
		rec = do(httptest.NewRequest("GET", "/expired?next="+url.QueryEscape(evil), nil))
		body, _ = io.ReadAll(rec.Body)
		if strings.Contains(string(body), "evil") {
			t.Errorf("expired?next=%q: the login link leaves the site", evil)
		}
	}
}
