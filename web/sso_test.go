package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// ssoUser is a person at the test provider, with kompeten's two claims and, to test a token
// meant for another application, another audience.
type ssoUser struct {
	sub, username, email string
	role                 any // string or []string
	scope                string
	audience             string
}

func (u ssoUser) ID() string { return u.sub }

func (u ssoUser) Userinfo([]string) ([]byte, error) { return []byte(`{"sub":"` + u.sub + `"}`), nil }

func (u ssoUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.audience != "" {
		c.Audience = jwt.ClaimStrings{u.audience}
	}
	return &struct {
		*mockoidc.IDTokenClaims
		PreferredUsername string `json:"preferred_username,omitempty"`
		Email             string `json:"email,omitempty"`
		EmailVerified     bool   `json:"email_verified"`
		Role              any    `json:"kompeten_role,omitempty"`
		Scope             string `json:"kompeten_scope,omitempty"`
	}{c, u.username, u.email, u.email != "", u.role, u.scope}, nil
}

// ssoSite is kompeten's login in front of a page that answers who is logged in, with single
// sign-on at an in-process OpenID Connect provider, over real HTTP.
type ssoSite struct {
	t    *testing.T
	idp  *mockoidc.MockOIDC
	srv  *httptest.Server
	st   *store.Store
	sess *Sessions
}

func newSSOSite(t *testing.T) *ssoSite {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	_, st := testdb.NewMigrated(t)
	site := &ssoSite{t: t, idp: idp, st: st}
	var handler http.Handler
	site.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(site.srv.Close)
	cfg := config.OIDCConfig{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: site.srv.URL + config.OIDCCallbackPath, RoleClaim: "kompeten_role", ScopeClaim: "kompeten_scope",
		UsernameClaim: "preferred_username", Roles: []string{"kompeten-koordinator=coordinator", "admin-blk=centre-admin", "pengamat=viewer"}}
	sso, err := NewSSO(context.Background(), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	site.sess = &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Store: st, Accounts: st, SSO: sso,
		Lookup: func(context.Context, []byte) (auth.Identity, error) { return auth.Identity{}, store.ErrNotFound }}
	handler = site.sess.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := api.IdentityFrom(r.Context())
		fmt.Fprintf(w, "page %s as %s %s %v", r.URL.Path, id.Name, id.Role, id.Scopes)
	}))
	return site
}

// browser is a client with its own cookies; follow says whether it follows redirects.
func (s *ssoSite) browser(follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

func (s *ssoSite) get(c *http.Client, u string) (int, string, *http.Response) {
	s.t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

// login runs the whole flow for u in a fresh browser: the page sends it to the login, the SSO
// button to the provider, the provider back to the callback, the callback to the page.
func (s *ssoSite) login(u ssoUser) (*http.Client, int, string) {
	s.t.Helper()
	s.idp.QueueUser(u)
	c := s.browser(true)
	code, body, _ := s.get(c, s.srv.URL+"/login/sso?next=/cases")
	return c, code, body
}

func (s *ssoSite) account(username string) store.Account {
	s.t.Helper()
	a, err := s.st.AccountByLogin(context.Background(), username)
	if err != nil {
		s.t.Fatalf("account %s: %v", username, err)
	}
	return a
}

func (s *ssoSite) events(id int64) []string {
	s.t.Helper()
	evs, err := s.st.AccountEvents(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Event+" by "+e.Actor)
	}
	return out
}

func TestSSOLoginCreatesTheAccountAndAPasswordLikeSession(t *testing.T) {
	site := newSSOSite(t)
	c := site.browser(true)
	_, page, _ := site.get(c, site.srv.URL+"/login")
	if !strings.Contains(page, `href="/login/sso?next=%2f"`) || !strings.Contains(page, "Masuk dengan SSO") {
		t.Fatalf("login page without the SSO button:\n%s", page)
	}

	// The redirect to the provider carries state, nonce and an S256 PKCE challenge.
	nc := site.browser(false)
	code, _, resp := site.get(nc, site.srv.URL+"/login/sso?next=/cases")
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if code != http.StatusFound || !strings.HasPrefix(loc.String(), site.idp.AuthorizationEndpoint()) || q.Get("state") == "" ||
		q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" || q.Get("client_id") != site.idp.ClientID {
		t.Fatalf("start: HTTP %d to %s", code, loc)
	}

	c, code, body := site.login(ssoUser{sub: "idp-0001", username: "Budi.Santoso", email: "budi@bpvp.example.id", role: "kompeten-koordinator"})
	if code != http.StatusOK || body != "page /cases as budi.santoso coordinator []" {
		t.Fatalf("after SSO: HTTP %d %q", code, body)
	}
	a := site.account("budi.santoso")
	if got := site.events(a.ID); strings.Join(got, "; ") != "sso-created by sso:"+site.idp.Issuer() {
		t.Fatalf("audit = %v", got)
	}
	// The session is a password session's: cookie rules and length, and it works for the next page.
	srvURL, _ := url.Parse(site.srv.URL)
	var sid *http.Cookie
	for _, ck := range c.Jar.Cookies(srvURL) {
		if ck.Name == sessionCookie {
			sid = ck
		}
	}
	if sid == nil {
		t.Fatal("no session cookie")
	}
	if _, body, _ := site.get(c, site.srv.URL+"/stuck"); body != "page /stuck as budi.santoso coordinator []" {
		t.Fatalf("second page: %q", body)
	}
	rec := httptest.NewRecorder()
	if err := site.sess.startSession(rec, httptest.NewRequest("GET", "/", nil), store.WebSession{AccountID: a.ID}); err != nil {
		t.Fatal(err)
	}
	pw := rec.Result().Cookies()[0]
	var raw *http.Cookie
	{
		nc := site.browser(false)
		site.idp.QueueUser(ssoUser{sub: "idp-0001", username: "budi.santoso", role: "kompeten-koordinator"})
		_, _, r1 := site.get(nc, site.srv.URL+"/login/sso")
		_, _, r2 := site.get(nc, r1.Header.Get("Location"))
		_, _, r3 := site.get(nc, r2.Header.Get("Location"))
		for _, ck := range r3.Cookies() {
			if ck.Name == sessionCookie && ck.Value != "" {
				raw = ck
			}
		}
	}
	if raw == nil || !raw.HttpOnly || raw.SameSite != http.SameSiteLaxMode || raw.MaxAge != pw.MaxAge || raw.Path != pw.Path {
		t.Fatalf("SSO session cookie %+v, password session cookie %+v", raw, pw)
	}

	// At the next login the provider's claims give the role and scope again: changed, audited.
	_, code, body = site.login(ssoUser{sub: "idp-0001", username: "budi.santoso", role: []string{"staf", "admin-blk"}, scope: "BLK-SBY"})
	if code != http.StatusOK || body != "page /cases as budi.santoso centre-admin [BLK-SBY]" {
		t.Fatalf("after the role changed: HTTP %d %q", code, body)
	}
	if got := site.events(a.ID); len(got) != 2 || !strings.HasPrefix(got[1], "sso-role-changed") {
		t.Fatalf("audit = %v", got)
	}
}

func TestSSOLinksAnExistingAccountAndRefusesADisabledOne(t *testing.T) {
	site := newSSOSite(t)
	ctx := context.Background()
	siti, err := site.st.CreateAccount(ctx, store.Account{Username: "siti", Role: "viewer", CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	_, code, body := site.login(ssoUser{sub: "idp-0002", username: "siti", role: "pengamat"})
	if code != http.StatusOK || body != "page /cases as siti viewer []" {
		t.Fatalf("linked login: HTTP %d %q", code, body)
	}
	if got := site.events(siti.ID); len(got) != 1 || !strings.HasPrefix(got[0], "sso-linked") {
		t.Fatalf("audit = %v", got)
	}
	// Another identity of the same name is not given siti's account.
	if _, code, body := site.login(ssoUser{sub: "idp-9999", username: "siti", role: "pengamat"}); code != http.StatusConflict || !strings.Contains(body, "sudah dipakai akun lain") {
		t.Fatalf("second identity named siti: HTTP %d %q", code, body)
	}
	if _, err := site.st.DisableAccount(ctx, siti.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	c, code, body := site.login(ssoUser{sub: "idp-0002", username: "siti", role: "pengamat"})
	if code != http.StatusForbidden || !strings.Contains(body, "Akun ini dinonaktifkan") {
		t.Fatalf("disabled account: HTTP %d %q", code, body)
	}
	if _, body, _ := site.get(c, site.srv.URL+"/cases"); strings.HasPrefix(body, "page ") {
		t.Fatalf("a disabled account got a session: %q", body)
	}
}

func TestSSORefusesBadStateWrongAudienceAndUnknownRoles(t *testing.T) {
	site := newSSOSite(t)
	// A callback whose state is not the one this browser was sent with.
	nc := site.browser(false)
	site.idp.QueueUser(ssoUser{sub: "idp-0003", username: "rina", role: "kompeten-koordinator"})
	_, _, r1 := site.get(nc, site.srv.URL+"/login/sso")
	_, _, r2 := site.get(nc, r1.Header.Get("Location"))
	cb, _ := url.Parse(r2.Header.Get("Location"))
	if cb.Path != config.OIDCCallbackPath {
		t.Fatalf("provider sent the browser to %s", cb)
	}
	q := cb.Query()
	q.Set("state", "forged"+q.Get("state"))
	cb.RawQuery = q.Encode()
	if code, body, _ := site.get(nc, cb.String()); code != http.StatusBadRequest || !strings.Contains(body, "tidak sah") {
		t.Fatalf("forged state: HTTP %d %q", code, body)
	}
	// A callback with no flow cookie at all (another browser) is refused the same way.
	if code, _, _ := site.get(site.browser(false), r2.Header.Get("Location")); code != http.StatusBadRequest {
		t.Fatalf("callback from another browser: HTTP %d", code)
	}

	for _, tc := range []struct {
		name string
		u    ssoUser
		code int
		want string
	}{
		{"wrong audience", ssoUser{sub: "idp-0004", username: "rina", role: "kompeten-koordinator", audience: "another-app"}, http.StatusUnauthorized, "tidak sah untuk kompeten"},
		{"unknown role", ssoUser{sub: "idp-0005", username: "rina", role: "superuser"}, http.StatusForbidden, "(kompeten_role: superuser) tidak terdaftar"},
		{"no role", ssoUser{sub: "idp-0006", username: "rina"}, http.StatusForbidden, "tidak terdaftar"},
		{"two roles", ssoUser{sub: "idp-0007", username: "rina", role: []string{"pengamat", "kompeten-koordinator"}}, http.StatusForbidden, "beberapa peran (coordinator, viewer)"},
		{"scoped role without scope", ssoUser{sub: "idp-0008", username: "rina", role: "admin-blk"}, http.StatusForbidden, "butuh kode pusat"},
		{"unknown centre", ssoUser{sub: "idp-0009", username: "rina", role: "admin-blk", scope: "BLK-NOWHERE"}, http.StatusForbidden, "Kode lingkup"},
	} {
		c, code, body := site.login(tc.u)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s: HTTP %d, want %d with %q:\n%s", tc.name, code, tc.code, tc.want, body)
		}
		if _, body, _ := site.get(c, site.srv.URL+"/cases"); strings.HasPrefix(body, "page ") {
			t.Errorf("%s: a refused login got a session: %q", tc.name, body)
		}
	}
	if _, err := site.st.AccountByLogin(context.Background(), "rina"); err == nil {
		t.Fatal("a refused login created an account")
	}
}

func TestLoginPageHasNoSSOButtonWhenOff(t *testing.T) {
	s := &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Store: &memSessions{}}
	rec := httptest.NewRecorder()
	s.Wrap(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	if strings.Contains(rec.Body.String(), "SSO") {
		t.Fatal("the SSO button shows without auth.oidc")
	}
	rec = httptest.NewRecorder()
	s.Wrap(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/login/sso", nil))
	if rec.Code == http.StatusFound {
		t.Fatal("/login/sso starts a flow without auth.oidc")
	}
}
