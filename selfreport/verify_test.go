package selfreport_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// fakeCertificates holds certificates by number.
type fakeCertificates map[string]store.CertificateRecord

func (f fakeCertificates) CertificateByNumber(_ context.Context, n string) (store.CertificateRecord, error) {
	if c, ok := f[n]; ok {
		return c, nil
	}
	return store.CertificateRecord{}, store.ErrNotFound
}

// TestVerifyStatuses: valid, expired and revoked certificates say so with the holder's initials
// only; an unknown and a malformed number answer byte for byte the same, as page and as JSON;
// the limit refuses the request after it.
func TestVerifyStatuses(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) *time.Time { v := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &v }
	certs := fakeCertificates{
		"C-VALID":   {Number: "C-VALID", Scheme: "SKM-LAS", LSP: "LSP-X", IssuedOn: day(2026, 1, 2), ExpiresOn: day(2029, 1, 2), Initials: store.Initials("siti nur aisyah")},
		"C-OLD":     {Number: "C-OLD", IssuedOn: day(2020, 1, 2), ExpiresOn: day(2023, 1, 2), Initials: "B."},
		"C-REVOKED": {Number: "C-REVOKED", IssuedOn: day(2026, 1, 2), ExpiresOn: day(2029, 1, 2), RevokedAt: day(2026, 6, 1), Initials: "C."},
	}
	v := &selfreport.Verifier{Store: certs, Limiter: selfreport.NewLimiter(8, time.Minute), Now: func() time.Time { return now }}
	mux := http.NewServeMux()
	v.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for number, want := range map[string]string{"C-VALID": `"status":"valid"`, "C-OLD": `"status":"expired"`, "C-REVOKED": `"status":"revoked"`} {
		code, body := get("/verifikasi/" + number + "?format=json")
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: HTTP %d %s; want %s", number, code, body, want)
		}
	}
	if _, body := get("/verifikasi/C-VALID?format=json"); !strings.Contains(body, `"holder_initials":"S. N. A."`) || strings.Contains(strings.ToLower(body), "siti") {
		t.Errorf("the holder is not shown by initials only: %s", body)
	}
	_, unknownJSON := get("/verifikasi/C-NEVER?format=json")
	_, malformedJSON := get("/verifikasi/%3Cx%3E%20'--?format=json")
	_, unknownPage := get("/verifikasi/C-NEVER")
	_, malformedPage := get("/verifikasi/%3Cx%3E%20'--")
	if unknownJSON != malformedJSON || unknownPage != malformedPage || !strings.Contains(unknownJSON, `"found":false`) {
		t.Errorf("unknown and malformed answer differently:\n%s\n%s", unknownJSON, malformedJSON)
	}
	// Eight requests so far: the ninth is over the limit.
	if code, _ := get("/verifikasi/C-VALID"); code != http.StatusTooManyRequests {
		t.Errorf("request over the limit: HTTP %d, want 429", code)
	}
}
