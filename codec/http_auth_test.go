package codec_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/codec"
)

// The endpoint admits the static token and whatever Authorize accepts (an operator's API
// token), as a bearer or as the path segment, and refuses the rest.
func TestCodecAdmitsAuthorizedTokens(t *testing.T) {
	ring := ring(t, key(t, "k1", 1))
	h := codec.Handler(ring, codec.HandlerOptions{Token: "static-token-0123456789abcdef0123456789",
		Authorize: func(_ context.Context, tok string) bool { return tok == "kpt_operator" }})
	body := `{"payloads":[]}`
	for _, c := range []struct {
		name, path, bearer string
		want               int
	}{
		{"static bearer", "/decode", "static-token-0123456789abcdef0123456789", http.StatusOK},
		{"operator bearer", "/decode", "kpt_operator", http.StatusOK},
		{"operator path", "/kpt_operator/decode", "", http.StatusOK},
		{"viewer bearer", "/decode", "kpt_viewer", http.StatusUnauthorized},
		{"no token", "/decode", "", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest("POST", c.path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if c.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+c.bearer)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: HTTP %d, want %d", c.name, rec.Code, c.want)
		}
	}
}

// The Temporal Web UI decodes with the browser's cookies (includeCredentials): a request its
// AuthorizeRequest accepts (a login session) is admitted without any token, and answered with
// the CORS headers a credentialed browser request needs — the exact origin, never "*", and
// credentials allowed — for the preflight too.
func TestCodecAdmitsALoginSessionFromTheWebUI(t *testing.T) {
	const ui = "http://127.0.0.1:8233"
	h := codec.Handler(ring(t, key(t, "k1", 1)), codec.HandlerOptions{Origins: []string{ui},
		AuthorizeRequest: func(r *http.Request) bool {
			c, err := r.Cookie("kompeten_session")
			return err == nil && c.Value == "operator-session"
		}})
	send := func(method, cookie string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/decode?preserveStorageRefs=true", strings.NewReader(`{"payloads":[]}`))
		req.Header.Set("Origin", ui)
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "kompeten_session", Value: cookie})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, c := range []struct {
		name, method, cookie string
		want                 int
	}{
		{"preflight", http.MethodOptions, "", http.StatusNoContent},
		{"session", http.MethodPost, "operator-session", http.StatusOK},
		{"no session", http.MethodPost, "", http.StatusUnauthorized},
		{"other session", http.MethodPost, "viewer-session", http.StatusUnauthorized},
	} {
		rec := send(c.method, c.cookie)
		if rec.Code != c.want {
			t.Errorf("%s: HTTP %d, want %d", c.name, rec.Code, c.want)
		}
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != ui || rec.Header().Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("%s: CORS origin %q credentials %q", c.name, got, rec.Header().Get("Access-Control-Allow-Credentials"))
		}
	}
}
