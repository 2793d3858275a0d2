package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Behind the login, a cohort file well over the forms' 64 KB passes the session check when it
// is a multipart upload with the session's CSRF token (its handler reads the file), is refused
// without the token, and a URL-encoded form of that size is still refused.
func TestCohortUploadPassesTheSessionCheck(t *testing.T) {
	good := "kpt_good-token"
	s := &Sessions{Key: []byte("session-key-0123456789abcdef0123456789"), Store: &memSessions{}, Lookup: func(_ context.Context, h []byte) (auth.Identity, error) {
		if string(h) == string(auth.HashToken(good)) {
			return auth.Identity{Name: "siti", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}, nil
		}
		return auth.Identity{}, store.ErrNotFound
	}}
	var got int
	h := s.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, csrfFrom(r.Context()))
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(f)
		got = len(b)
	}))
	do := func(req *http.Request, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	form := do(httptest.NewRequest("GET", "/login", nil))
	var csrf, session *http.Cookie
	for _, c := range form.Result().Cookies() {
		if c.Name == csrfCookie {
			csrf = c
		}
	}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {good}, "csrf": {csrf.Value}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range do(req, csrf).Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session")
	}
	token := do(httptest.NewRequest("GET", "/packages/P1", nil), session).Body.String()
	big := strings.Repeat("3504035907041187;Kartika Hidayat;P;Sidoarjo;19-07-2004\n", 4000) // ~220 KB
	upload := func(tok string) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("csrf", tok)
		fw, _ := mw.CreateFormFile("file", "peserta.csv")
		_, _ = io.WriteString(fw, big)
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/packages/P1/cohort", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return do(req, session)
	}
	if rec := upload(token); rec.Code != http.StatusOK || got != len(big) {
		t.Fatalf("upload with the token: HTTP %d %s, handler read %d of %d bytes", rec.Code, rec.Body.String(), got, len(big))
	}
	got = 0
	if rec := upload("forged"); rec.Code != http.StatusForbidden || got != 0 {
		t.Fatalf("upload with a forged token: HTTP %d, handler read %d", rec.Code, got)
	}
	req = httptest.NewRequest("POST", "/packages/P1/register", strings.NewReader(url.Values{"csrf": {token}, "x": {big}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if rec := do(req, session); rec.Code == http.StatusOK {
		t.Fatal("a 220 KB URL-encoded form passed the session check")
	}
}
