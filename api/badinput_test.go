package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Bad requests are answered with a clear 4xx before anything reaches the store or Temporal:
// the server here has neither, so a request that got past the checks would panic, not pass.
func TestBadInputIsRefusedBeforeAnythingHappens(t *testing.T) {
	h := (&Server{}).Handler()
	big := `{"reason":"` + strings.Repeat("x", maxBody) + `"}`
	for _, c := range []struct {
		name, method, path, ctype, body string
		want                            int
		says                            string
	}{
		{"malformed", "POST", "/api/v1/cases/abcdefghij/enrolment", "application/json", `{"approve":`, 400, "invalid JSON body"},
		{"unknown field", "POST", "/api/v1/cases/abcdefghij/enrolment", "application/json", `{"approve":true,"admin":true}`, 400, "unknown field"},
		{"two values", "POST", "/api/v1/cases/abcdefghij/withdrawal", "application/json", `{"reason":"a"}{"reason":"b"}`, 400, "more than one value"},
		{"wrong type", "POST", "/api/v1/cases/abcdefghij/attendance", "application/json", `{"attended":"all"}`, 400, "invalid JSON body"},
		{"not json", "POST", "/api/v1/cases/abcdefghij/placement", "text/plain", `category=formal`, 415, "application/json"},
		{"oversized", "POST", "/api/v1/cases/abcdefghij/withdrawal", "application/json", big, 413, "larger than"},
		{"case id too short", "GET", "/api/v1/cases/abc", "", "", 400, "not a case ID"},
		{"case id upper case", "POST", "/api/v1/cases/ABCDEFGHIJ/enrolment", "application/json", `{}`, 400, "not a case ID"},
		{"case id with quote", "GET", "/api/v1/cases/abcdefghi'/events", "", "", 400, "not a case ID"},
		{"case id injection", "POST", "/api/v1/cases/a'%20OR%201=1--/retry", "application/json", `{}`, 400, "not a case ID"},
		{"case id digits 0 1 8 9", "GET", "/api/v1/cases/abcdefgh01", "", "", 400, "not a case ID"},
		{"limit not a number", "GET", "/api/v1/cases?limit=1%20OR%201=1", "", "", 400, `query parameter \"limit\"`},
		{"negative offset", "GET", "/api/v1/cases?offset=-1", "", "", 400, `query parameter \"offset\"`},
		{"stage not a stage", "GET", "/api/v1/cases?stage=foo", "", "", 400, `query parameter \"stage\"`},
		{"stuck not a boolean", "GET", "/api/v1/cases?stuck=perhaps", "", "", 400, `query parameter \"stuck\"`},
		{"NUL in a filter", "GET", "/api/v1/cases?package=a%00b", "", "", 400, `query parameter \"package\" contains a NUL byte`},
		{"NUL in a package code", "GET", "/api/v1/packages/a%00b", "", "", 400, "NUL byte"},
		{"invalid UTF-8 in a filter", "GET", "/api/v1/cases?centre=%ff", "", "", 400, `query parameter \"centre\" is not valid UTF-8`},
		{"json prefix is not json", "POST", "/api/v1/cases/abcdefghij/placement", "application/jsonx", `{}`, 415, "application/json"},
		{"json with garbage parameters", "POST", "/api/v1/cases/abcdefghij/placement", "application/json; charset", `{}`, 415, "application/json"},
	} {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want || !strings.Contains(rec.Body.String(), c.says) {
			t.Errorf("%s: HTTP %d %s, want %d saying %q", c.name, rec.Code, strings.TrimSpace(rec.Body.String()), c.want, c.says)
		}
	}
}

// Without a token every API path but the health check is refused, and a token that is not
// known is refused alike; the checks run before any handler.
func TestAPIRequiresATokenWhenConfigured(t *testing.T) {
	s := &Server{Tokens: func(_ context.Context, _ []byte) (auth.Identity, error) { return auth.Identity{}, store.ErrNotFound }}
	h := s.Handler()
	for _, path := range []string{"/api/v1/cases", "/api/v1/cases/abcdefghij", "/api/v1/packages"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("GET %s without a token: HTTP %d", path, rec.Code)
		}
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer kpt_unknown")
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "unknown or revoked") {
			t.Errorf("GET %s with an unknown token: HTTP %d", path, rec.Code)
		}
	}
}

// An unauthenticated /healthz says a dependency is down but not why (the error names the
// database user, database and port); an operator's token, and a coordinator's, see why; a
// viewer's does not.
func TestHealthDetailsOnlyForOperators(t *testing.T) {
	secret := "failed to connect to `user=kompeten database=kompeten`: 127.0.0.1:5432"
	roles := map[string]auth.Identity{"op": {Name: "rina", Role: "operator"}, "co": {Name: "budi", Role: "coordinator"}, "view": {Name: "vera", Role: "viewer"}}
	s := &Server{
		Checks: map[string]Checker{"postgres": func(context.Context) error { return errors.New(secret) }},
		Tokens: func(_ context.Context, hash []byte) (auth.Identity, error) {
			for tok, id := range roles {
				if bytes.Equal(hash, auth.HashToken(tok)) {
					return id, nil
				}
			}
			return auth.Identity{}, store.ErrNotFound
		},
	}
	h := s.Handler()
	for token, want := range map[string]bool{"": false, "view": false, "nope": false, "op": true, "co": true} {
		req := httptest.NewRequest("GET", "/healthz", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(body, `"down"`) {
			t.Fatalf("token %q: HTTP %d %s", token, rec.Code, body)
		}
		for _, leak := range []string{"user=", "database=", "5432"} {
			if strings.Contains(body, leak) != want {
				t.Errorf("token %q: body %s; names %q: %v, want %v", token, body, leak, !want, want)
			}
		}
	}
}
