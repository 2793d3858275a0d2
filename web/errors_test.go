package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// Error pages are Indonesian HTML pages with the menu: an unknown page (instead of Go's plain
// "404 page not found"), an unknown download, an unknown case (with the API's sentence), a
// form from another site; the API's own answers and non-browser requests are left alone.
func TestErrorPages(t *testing.T) {
	s, err := web.New(http.NotFoundHandler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(path, accept string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, p := range []string{"/no/such/page", "/download/v1/secrets"} {
		code, ct, body := get(p, browser)
		if code != http.StatusNotFound || !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "Halaman tidak ditemukan") ||
			!strings.Contains(body, `lang="id"`) || !strings.Contains(body, `href="/stuck"`) || strings.Contains(body, "404 page not found") {
			t.Errorf("%s: HTTP %d %s\n%s", p, code, ct, body)
		}
	}
	if code, _, body := get("/no/such/page", ""); code != http.StatusNotFound || body != "404 page not found\n" {
		t.Errorf("a script's 404 changed: %d %q", code, body)
	}
	if code, _, body := get("/api/v1/nothing", browser); code != http.StatusNotFound || body != "404 page not found\n" {
		t.Errorf("the API's 404 changed: %d %q", code, body)
	}

	_, b := newSite(t)
	code, _, page := b.get("/cases/nosuchcase")
	if code != http.StatusNotFound || !strings.Contains(page, "Halaman tidak ditemukan") || !strings.Contains(page, "case not found") {
		t.Errorf("unknown case: HTTP %d\n%s", code, page)
	}
	req, _ := http.NewRequest("POST", b.base+"/actor", strings.NewReader(url.Values{"name": {"mallory"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Referer", b.base+"/inbox?role=lsp-manager")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Formulir kedaluwarsa") ||
		!strings.Contains(string(body), `id="problem-back" href="/inbox?role=lsp-manager"`) {
		t.Errorf("cross-site form: HTTP %d\n%s", resp.StatusCode, body)
	}
}

// A page the person's role may not read: the Indonesian 403 page with the API's sentence.
func TestForbiddenPage(t *testing.T) {
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(api.ErrorBody{Error: "role viewer may not read agreements"})
	})
	s, err := web.New(refuse, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/mous")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Tidak diizinkan") ||
		!strings.Contains(string(body), "role viewer may not read agreements") || !strings.Contains(string(body), `data-kind="forbidden"`) {
		t.Errorf("forbidden page: HTTP %d\n%s", resp.StatusCode, body)
	}
}
