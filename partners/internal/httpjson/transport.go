// Package httpjson is the HTTP plumbing and error classification shared by the partner adapters:
// both must classify partner answers the same way (data errors not retried, everything else retried).
package httpjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// maxBody bounds what is read from a partner, so a broken proxy cannot exhaust memory.
const maxBody = 1 << 20

// maxExcerpt bounds the body excerpt placed in error messages (they end up in case histories).
const maxExcerpt = 120

// Transport sends JSON requests to one partner base URL.
type Transport struct {
	service string // error prefix, e.g. "bpjs"
	base    string
	apiKey  string
	timeout time.Duration
	hc      *http.Client
}

// New returns a Transport for one partner; service prefixes its errors ("bpjs", "lsp").
func New(service, base, apiKey string, timeout time.Duration, hc *http.Client) *Transport {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if hc == nil {
		// No client-level timeout: the per-call context deadline below governs.
		hc = &http.Client{}
	}
	return &Transport{service: service, base: strings.TrimRight(base, "/"), apiKey: apiKey, timeout: timeout, hc: hc}
}

// Do sends one request and returns the status and body of any answer. err is set only when no
// answer arrived (network error, timeout); such errors are retryable.
func (t *Transport) Do(ctx context.Context, op, method, path, idemKey string, in any) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %s: encode request: %w", t.service, op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, body)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %s: build request: %w", t.service, op, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	if t.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+t.apiKey)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		// *url.Error includes the URL, which never holds personal data in this protocol.
		return 0, nil, fmt.Errorf("%s: %s: %w", t.service, op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %s: read answer (HTTP %d): %w", t.service, op, resp.StatusCode, err)
	}
	return resp.StatusCode, b, nil
}

// Decode parses a successful answer into out.
func (t *Transport) Decode(op string, status int, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: %s: HTTP %d: malformed answer: %w", t.service, op, status, err)
	}
	return nil
}

// Classify turns a non-2xx answer into an error: a *partners.DataError (wrapped) when the partner
// refused the data, an ordinary retryable error otherwise.
func (t *Transport) Classify(op string, status int, body []byte) error {
	var eb errorBody
	parsed := json.Unmarshal(body, &eb) == nil && eb.Code != ""
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
		if parsed {
			return fmt.Errorf("%s: %s: %w", t.service, op,
				&partners.DataError{Code: eb.Code, Message: Redact(eb.Message)})
		}
		// Without the partner's error body the refusal may come from a proxy: keep retrying
		// rather than asking someone to correct a record that may be fine.
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%s: %s: HTTP %d: %s (check the API key)", t.service, op, status, excerpt(body, eb, parsed))
	}
	return fmt.Errorf("%s: %s: HTTP %d: %s", t.service, op, status, excerpt(body, eb, parsed))
}

// digitRun matches anything that could be a NIK, phone or account number echoed by a partner.
var digitRun = regexp.MustCompile(`\d{8,}`)

// Redact removes long digit runs: partners sometimes echo the NIK in error messages, and these
// messages end up in logs and case histories.
func Redact(s string) string { return digitRun.ReplaceAllString(s, "[redacted]") }

// excerpt is the short, redacted description of an error answer.
func excerpt(body []byte, eb errorBody, parsed bool) string {
	s := strings.TrimSpace(string(body))
	if parsed {
		s = eb.Message
		if s == "" {
			s = eb.Code
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxExcerpt {
		s = strings.ToValidUTF8(s[:maxExcerpt], "") + "…"
	}
	if s == "" {
		s = "empty body"
	}
	return Redact(s)
}

// ErrNoKey is returned before any call when the caller forgot the idempotency key: without it a
// retry could register a person twice.
var ErrNoKey = errors.New("idempotency key is required")

// errorBody is the partners' error answer: {"code": "...", "message": "..."}.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
