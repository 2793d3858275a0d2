package api_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// pageClient is one browser on the pages: it keeps its cookies and reads forms' CSRF tokens.
type pageClient struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
	addr    string
}

func (c *pageClient) send(method, path string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if c.addr != "" {
		req.RemoteAddr = c.addr
	}
	for _, k := range c.cookies {
		req.AddCookie(k)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, k := range rec.Result().Cookies() {
		if k.MaxAge < 0 {
			delete(c.cookies, k.Name)
		} else {
			c.cookies[k.Name] = k
		}
	}
	return rec
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post sends a form from the page at from, with that page's CSRF token.
func (c *pageClient) post(from, path string, form url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	page := c.send("GET", from, nil)
	m := csrfField.FindStringSubmatch(page.Body.String())
	if m == nil {
		c.t.Fatalf("GET %s (HTTP %d): no CSRF field: %s", from, page.Code, page.Body.String())
	}
	form.Set("csrf", html.UnescapeString(m[1]))
	return c.send("POST", path, form)
}

// Issue 15 point 1 end to end over HTTP, on PostgreSQL: a coordinator creates an account on the
// accounts page and gets a one-time link; the person sets a password there (once), logs in with
// it, sees the pages as its role and scope (its centre's cases only, no accounts page), is
// throttled after repeated wrong passwords, and is refused at once when the coordinator
// disables the account.
func TestAccountsOnThePages(t *testing.T) {
	s := newScopedServer(t)
	now := time.Now()
	sessions := &web.Sessions{Now: func() time.Time { return now }, Lookup: api.StoreTokens(s.st), Key: []byte("session-key-0123456789abcdef0123456789"), Store: s.st,
		Accounts: s.st, Limits: store.LoginLimits{PerAccount: 3, PerAddress: 50, Window: time.Minute}}
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sessions.Wrap(site.Handler())
	browser := func(addr string) *pageClient {
		return &pageClient{t: t, h: h, cookies: map[string]*http.Cookie{}, addr: addr}
	}

	// The coordinator, logged in with a token (the second way), creates the account.
	cora := browser("10.0.0.1:1000")
	if rec := cora.post("/login", "/login", url.Values{"token": {s.token["cora"]}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("coordinator token login: HTTP %d %s", rec.Code, rec.Body)
	}
	if body := cora.send("GET", "/", nil).Body.String(); !strings.Contains(body, `href="/accounts"`) {
		t.Fatal("the coordinator's menu has no accounts entry")
	}
	rec := cora.post("/accounts", "/accounts", url.Values{"username": {"ani.sby"}, "role": {"centre-admin"}, "scopes": {"blk-sby"}})
	m := regexp.MustCompile(`<code id="link">http://[^/]+(/password/[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("create on the page: HTTP %d, no link: %s", rec.Code, rec.Body)
	}
	link := m[1]

	// The person sets a password through the link: a bad one leaves the link usable.
	ani := browser("10.0.0.2:1000")
	if rec := ani.send("GET", link, nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "ani.sby") {
		t.Fatalf("the link's page: HTTP %d %s", rec.Code, rec.Body)
	}
	if rec := ani.post(link, link, url.Values{"password": {"short"}, "confirm": {"short"}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("short password: HTTP %d", rec.Code)
	}
	if rec := ani.post(link, link, url.Values{"password": {"gamelan-sore-77"}, "confirm": {"gamelan-sore-78"}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("passwords differ: HTTP %d", rec.Code)
	}
	if rec := ani.post(link, link, url.Values{"password": {"gamelan-sore-77"}, "confirm": {"gamelan-sore-77"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("set the password: HTTP %d %s", rec.Code, rec.Body)
	}
	if rec := ani.send("GET", "/stuck", nil); rec.Code != http.StatusOK {
		t.Fatalf("logged in after setting the password: HTTP %d", rec.Code)
	}
	if rec := browser("10.0.0.9:1").send("GET", link, nil); rec.Code != http.StatusNotFound {
		t.Fatalf("the link a second time: HTTP %d, want 404", rec.Code)
	}

	// Log out, log in with the password, and see the pages as a centre-admin of BLK-SBY.
	if rec := ani.post("/stuck", "/logout", url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: HTTP %d", rec.Code)
	}
	if rec := ani.post("/login", "/login", url.Values{"login": {"ANI.SBY"}, "password": {"gamelan-sore-77"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("password login: HTTP %d %s", rec.Code, rec.Body)
	}
	stuck := ani.send("GET", "/stuck", nil).Body.String()
	if !strings.Contains(stuck, "sbyaaaaaaa") || strings.Contains(stuck, "tbnaaaaaaa") || !strings.Contains(stuck, "ani.sby") {
		t.Fatalf("the stuck page of a BLK-SBY centre-admin should list its case only and name the account: %s", stuck)
	}
	if strings.Contains(stuck, `href="/accounts"`) {
		t.Fatal("a centre-admin's menu offers the accounts page")
	}
	if rec := ani.send("GET", "/accounts", nil); rec.Code != http.StatusForbidden {
		t.Fatalf("the accounts page for a centre-admin: HTTP %d, want 403", rec.Code)
	}

	// Wrong passwords are throttled per account, with a clear message, even for the right one.
	guesser := browser("10.0.0.3:1000")
	for i := range 3 {
		if rec := guesser.post("/login", "/login", url.Values{"login": {"ani.sby"}, "password": {"wrong-password-" + string(rune('a'+i))}}); rec.Code != http.StatusUnauthorized ||
			!strings.Contains(rec.Body.String(), "Nama pengguna atau kata sandi salah") {
			t.Fatalf("wrong password %d: HTTP %d %s", i, rec.Code, rec.Body)
		}
	}
	rec = guesser.post("/login", "/login", url.Values{"login": {"ani.sby"}, "password": {"gamelan-sore-77"}})
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "Terlalu banyak percobaan masuk yang gagal untuk akun ini") || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after 3 failures: HTTP %d %s", rec.Code, rec.Body)
	}
	// An unknown name is refused exactly like a wrong password.
	if rec := guesser.post("/login", "/login", url.Values{"login": {"nobody"}, "password": {"gamelan-sore-77"}}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown name: HTTP %d", rec.Code)
	}

	// The coordinator disables the account: the open session ends at once, logging in is refused
	// (a minute later, once the throttle above has let go).
	now = now.Add(61 * time.Second)
	var list []store.Account
	s.get("cora", "/api/v1/accounts", &list)
	if rec := cora.post("/accounts", "/accounts/"+itoa(list[0].ID)+"/disable", url.Values{"back": {"/accounts"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("disable on the page: HTTP %d %s", rec.Code, rec.Body)
	}
	// An ended session goes to the "session ended" page, whose button logs in again
	// (web/session_pages.go).
	if rec := ani.send("GET", "/stuck", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/expired?next=") {
		t.Fatalf("a disabled account's session: HTTP %d to %q, want 303 to the ended-session page", rec.Code, rec.Header().Get("Location"))
	}
	if rec := browser("10.0.0.4:1000").post("/login", "/login", url.Values{"login": {"ani.sby"}, "password": {"gamelan-sore-77"}}); rec.Code != http.StatusForbidden ||
		!strings.Contains(rec.Body.String(), "dinonaktifkan") {
		t.Fatalf("login of a disabled account: HTTP %d %s", rec.Code, rec.Body)
	}
}
