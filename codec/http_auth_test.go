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
