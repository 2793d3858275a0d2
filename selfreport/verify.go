package selfreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/clientip"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// VerifyPath is where the certificate check answers, before the number.
const VerifyPath = "/verifikasi/"

// CertificateStore finds a certificate by its number (*store.Store).
type CertificateStore interface {
	CertificateByNumber(ctx context.Context, number string) (store.CertificateRecord, error)
}

// Certificate statuses.
const (
	StatusValid   = "valid"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

var statusLabels = map[string]string{
	StatusValid:   "Sah · Valid",
	StatusExpired: "Kedaluwarsa · Expired",
	StatusRevoked: "Dicabut · Revoked",
}

// Verification is the public answer about a certificate number. An unknown number and a
// malformed one answer the same: Found false and nothing else.
type Verification struct {
	Found      bool   `json:"found"`
	Status     string `json:"status,omitempty"` // valid | expired | revoked
	Number     string `json:"number,omitempty"`
	Scheme     string `json:"scheme,omitempty"`
	SchemeName string `json:"scheme_name,omitempty"`
	LSP        string `json:"lsp,omitempty"`
	LSPName    string `json:"lsp_name,omitempty"`
	Issued     string `json:"issued,omitempty"`  // YYYY-MM-DD
	Expires    string `json:"expires,omitempty"` // YYYY-MM-DD
	Initials   string `json:"holder_initials,omitempty"`
}

// StatusLabel words the status for the page.
func (v Verification) StatusLabel() string { return statusLabels[v.Status] }

// Verifier serves GET /verifikasi/{number}: a page, or JSON when asked (Accept: application/json
// or ?format=json). It is public and rate-limited per client address.
type Verifier struct {
	Store CertificateStore
	// Limiter throttles each client address; required (selfreport.verify_per_minute).
	Limiter  *Limiter
	Location *time.Location
	Logger   *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// numberShape is what a certificate number may look like; anything else is not looked up.
var numberShape = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9./_-]{0,79}$`)

// Register mounts the check on mux.
func (v *Verifier) Register(mux *http.ServeMux) {
	if v.Location == nil {
		v.Location = time.UTC
	}
	if v.Logger == nil {
		v.Logger = slog.Default()
	}
	mux.HandleFunc("GET "+VerifyPath+"{number...}", v.serve)
}

func (v *Verifier) serve(w http.ResponseWriter, r *http.Request) {
	asJSON := r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json")
	if ok, retry := v.Limiter.Allow(clientip.Of(r)); !ok {
		w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
		if asJSON {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests; try again in a minute"})
			return
		}
		http.Error(w, "Terlalu banyak permintaan dari alamat ini; coba lagi dalam satu menit · Too many requests", http.StatusTooManyRequests)
		return
	}
	res, err := v.Check(r.Context(), r.PathValue("number"))
	if err != nil {
		v.Logger.Error("certificate check", "error", err)
		http.Error(w, "Sertifikat tidak dapat diperiksa saat ini; coba lagi · The check failed; try again", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if asJSON {
		writeJSON(w, http.StatusOK, res)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	// One status for found and not found: the answer says which, and a made-up number must not
	// be told from a malformed one.
	if err := pages.ExecuteTemplate(w, "verifikasi.html", res); err != nil {
		v.Logger.Error("certificate page render", "error", err)
	}
}

// Check answers for one number; a number of the wrong shape is not looked up and answers as an
// unknown one.
func (v *Verifier) Check(ctx context.Context, number string) (Verification, error) {
	number = strings.TrimSpace(number)
	if !numberShape.MatchString(number) {
		return Verification{}, nil
	}
	c, err := v.Store.CertificateByNumber(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		return Verification{}, nil
	}
	if err != nil {
		return Verification{}, err
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	out := Verification{Found: true, Status: StatusValid, Number: c.Number, Scheme: c.Scheme, SchemeName: c.SchemeName,
		LSP: c.LSP, LSPName: c.LSPName, Initials: c.Initials}
	if c.IssuedOn != nil {
		out.Issued = c.IssuedOn.In(v.Location).Format(time.DateOnly)
	}
	if c.ExpiresOn != nil {
		out.Expires = c.ExpiresOn.In(v.Location).Format(time.DateOnly)
	}
	switch {
	case c.RevokedAt != nil:
		out.Status = StatusRevoked
	case c.ExpiresOn != nil && !now.Before(*c.ExpiresOn):
		out.Status = StatusExpired
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
