package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// The language switch on a password session is kept on the account: a fresh browser that logs
// in as the same person speaks the chosen language in the chosen zone. Signed out, the switch
// is kept by the browser and the login page follows it.
func TestLanguageSwitchFollowsTheAccount(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	now := time.Now()
	sessions := &web.Sessions{Now: func() time.Time { return now }, Lookup: api.StoreTokens(s.st), Key: []byte("session-key-0123456789abcdef0123456789"), Store: s.st,
		Accounts: s.st, Limits: store.LoginLimits{PerAccount: 3, PerAddress: 50, Window: time.Minute}}
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sessions.Wrap(site.Handler())
	a, err := s.st.CreateAccount(ctx, store.Account{Username: "wayan", Role: "coordinator", CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	link := auth.HashToken("link-wayan")
	hash, err := auth.HashPassword("gamelan-sore-77")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.IssuePasswordLink(ctx, a.ID, link, now, now.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.UsePasswordLink(ctx, link, hash, now); err != nil {
		t.Fatal(err)
	}
	login := func(addr string) *pageClient {
		c := &pageClient{t: t, h: h, cookies: map[string]*http.Cookie{}, addr: addr}
		if rec := c.post("/login", "/login", url.Values{"login": {"wayan"}, "password": {"gamelan-sore-77"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("login: HTTP %d %s", rec.Code, rec.Body)
		}
		return c
	}

	first := login("10.0.0.1:1")
	if body := first.send("GET", "/stuck", nil).Body.String(); !strings.Contains(body, `<html lang="id">`) || !strings.Contains(body, "Kasus macet") {
		t.Fatalf("a new account's pages are not Indonesian:\n%s", body)
	}
	if rec := first.post("/stuck", "/preferences", url.Values{"lang": {"en"}, "zone": {"WITA"}, "back": {"/stuck"}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/stuck" {
		t.Fatalf("switch: HTTP %d → %s", rec.Code, rec.Header().Get("Location"))
	}
	if got, err := s.st.AccountByID(ctx, a.ID); err != nil || got.Lang != "en" || got.TimeZone != "WITA" {
		t.Fatalf("account after the switch: %+v %v", got, err)
	}
	// A switch without the session's CSRF token is refused and changes nothing.
	if rec := first.send("POST", "/preferences", url.Values{"lang": {"id"}, "zone": {"WIT"}, "back": {"/"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("switch without CSRF: HTTP %d", rec.Code)
	}

	// Another browser, no cookies of the first: the account's choice.
	other := login("10.0.0.2:1")
	body := other.send("GET", "/stuck", nil).Body.String()
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Stuck cases") || strings.Contains(body, "Kasus macet") ||
		!strings.Contains(body, `<option value="WITA" selected>`) {
		t.Fatalf("the account's language and zone do not follow it to another browser:\n%s", body)
	}

	// Signed out: the browser keeps the choice, and the login page speaks it.
	anon := &pageClient{t: t, h: h, cookies: map[string]*http.Cookie{}, addr: "10.0.0.3:1"}
	if body := anon.send("GET", "/login", nil).Body.String(); !strings.Contains(body, `<html lang="id">`) || !strings.Contains(body, "Kata sandi") {
		t.Fatalf("login page by default:\n%s", body)
	}
	if rec := anon.send("POST", "/preferences", url.Values{"lang": {"en"}, "zone": {"WIT"}, "back": {"/login"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("signed-out switch: HTTP %d", rec.Code)
	}
	if body := anon.send("GET", "/login", nil).Body.String(); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Password") || strings.Contains(body, "Kata sandi") {
		t.Fatalf("login page after the switch:\n%s", body)
	}
}
