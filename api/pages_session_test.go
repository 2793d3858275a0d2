package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// Issue 14 point 5, on PostgreSQL as kompeten serves it (web.Sessions over the store): a copy
// of the session cookie taken before logout is refused after it, on the pages and on the
// codec's session check; revoking the token ends a session at once.
func TestPageSessionsEndOnTheServer(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	sessions := &web.Sessions{Lookup: api.StoreTokens(s.st), Key: []byte("session-key-0123456789abcdef0123456789"), Store: s.st}
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sessions.Wrap(site.Handler())
	do := func(req *http.Request, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	login := func(token string) *http.Cookie {
		t.Helper()
		form := do(httptest.NewRequest("GET", "/login", nil))
		csrf := form.Result().Cookies()[0]
		req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {token}, "csrf": {csrf.Value}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range do(req, csrf).Result().Cookies() {
			if c.Name == "kompeten_session" && c.Value != "" {
				return c
			}
		}
		t.Fatal("no session after login")
		return nil
	}
	stuckPage := func(c *http.Cookie) int { return do(httptest.NewRequest("GET", "/stuck", nil), c).Code }

	session := login(s.token["cora"])
	copied := *session
	if code := stuckPage(session); code != http.StatusOK {
		t.Fatalf("page with a fresh session: HTTP %d", code)
	}
	if id, ok := sessions.Identity(withCookie(&copied)); !ok || id.Name != "cora" {
		t.Fatalf("codec's session check before logout: %+v %v", id, ok)
	}
	if rec := do(httptest.NewRequest("POST", "/logout", nil), session); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: HTTP %d", rec.Code)
	}
	if code := stuckPage(&copied); code != http.StatusSeeOther {
		t.Fatalf("a copy of the cookie after logout: HTTP %d, want 303 to the login", code)
	}
	if _, ok := sessions.Identity(withCookie(&copied)); ok {
		t.Fatal("the codec's session check admits a logged-out cookie")
	}

	// A revoked token ends its session (and the row is gone, not only refused).
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateToken(ctx, "opi", vocab.RoleOperator, nil, hash); err != nil {
		t.Fatal(err)
	}
	session = login(token)
	if code := stuckPage(session); code != http.StatusOK {
		t.Fatalf("operator's page: HTTP %d", code)
	}
	if err := s.st.RevokeToken(ctx, "opi"); err != nil {
		t.Fatal(err)
	}
	if code := stuckPage(session); code != http.StatusSeeOther {
		t.Fatalf("session of a revoked token: HTTP %d", code)
	}
}

func withCookie(c *http.Cookie) *http.Request {
	r := httptest.NewRequest("GET", "/codec/decode", nil)
	r.AddCookie(c)
	return r
}
