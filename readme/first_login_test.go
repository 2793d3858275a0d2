package readme

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	firstLink = regexp.MustCompile(`first coordinator account.*username=admin link=(http://\S+/password/[A-Za-z0-9_-]+)`)
	formCSRF  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// checkFirstLogin does what the quick start says about the pages: the dev log of a fresh data
// directory prints a one-time link for "admin"; opening it and choosing a password logs the
// coordinator in, and the same link does not work twice.
func checkFirstLogin(t *testing.T, d *devProcess) {
	t.Helper()
	m := firstLink.FindStringSubmatch(d.log())
	if m == nil {
		t.Errorf("kompeten dev's log on a fresh data directory has no one-time link for admin, as the quick start says")
		return
	}
	link := m[1]
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (int, string) {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get(link)
	f := formCSRF.FindStringSubmatch(body)
	if code != http.StatusOK || f == nil {
		t.Errorf("the dev log's link: HTTP %d %s", code, body)
		return
	}
	resp, err := c.PostForm(link, url.Values{"csrf": {html.UnescapeString(f[1])}, "password": {"readme-password-1"}, "confirm": {"readme-password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("setting admin's password through the link: HTTP %d", resp.StatusCode)
		return
	}
	base := link[:strings.Index(link, "/password/")]
	if code, body := get(base + "/"); code != http.StatusOK || !strings.Contains(body, `id="identity">admin`) {
		t.Errorf("the overview after setting the password: HTTP %d, not logged in as admin", code)
	}
	if code, _ := get(link); code != http.StatusNotFound {
		t.Errorf("the one-time link a second time: HTTP %d, want 404", code)
	}
}
