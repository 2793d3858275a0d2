package bpjs

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/internal/httpjson"
)

// Config says how to reach the BPJS API.
type Config struct {
	BaseURL string
	APIKey  string // sent as a bearer token when set
	// Timeout bounds each call; zero means 30 seconds.
	Timeout time.Duration
	// HTTPClient is optional, e.g. to add TLS settings or a proxy.
	HTTPClient *http.Client
}

// Client talks to the BPJS Ketenagakerjaan registration API. It is safe for concurrent use.
type Client struct {
	t *httpjson.Transport
}

var _ partners.Insurer = (*Client)(nil)

// New returns a Client for cfg.
func New(cfg Config) *Client {
	return &Client{t: httpjson.New("bpjs", cfg.BaseURL, cfg.APIKey, cfg.Timeout, cfg.HTTPClient)}
}

// Register registers r for JKK + JKM coverage. A retry with the same r.IdempotencyKey returns the
// coverage registered the first time.
func (c *Client) Register(ctx context.Context, r partners.Registration) (partners.Coverage, error) {
	const op = "register"
	if r.IdempotencyKey == "" {
		return partners.Coverage{}, fmt.Errorf("bpjs: %s: %w", op, httpjson.ErrNoKey)
	}
	in := RegisterRequest{
		NIK: r.NIK, Name: r.Name, BirthDate: r.BirthDate, Phone: r.Phone, Centre: r.CentreCode,
		CoverageStart: r.CoverageStart, CoverageEnd: r.CoverageEnd,
		DeclaredIncome: r.DeclaredIncome, MonthlyFee: r.MonthlyFee,
		Programs: []string{ProgramJKK, ProgramJKM},
	}
	status, body, err := c.t.Do(ctx, op, http.MethodPost, "/v1/registrations", r.IdempotencyKey, in)
	if err != nil {
		return partners.Coverage{}, err
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return partners.Coverage{}, c.t.Classify(op, status, body)
	}
	var out RegisterResponse
	if err := c.t.Decode(op, status, body, &out); err != nil {
		return partners.Coverage{}, err
	}
	if out.KPJ == "" {
		return partners.Coverage{}, fmt.Errorf("bpjs: %s: HTTP %d: answer has no KPJ", op, status)
	}
	return partners.Coverage{KPJ: out.KPJ, CoverageStart: out.CoverageStart, CoverageEnd: out.CoverageEnd}, nil
}

// EndCoverage ends the coverage of membership kpj early (withdrawal, drop-out) on end.
func (c *Client) EndCoverage(ctx context.Context, idempotencyKey, kpj string, end time.Time) error {
	const op = "end coverage"
	if idempotencyKey == "" {
		return fmt.Errorf("bpjs: %s: %w", op, httpjson.ErrNoKey)
	}
	if kpj == "" {
		return fmt.Errorf("bpjs: %s: KPJ is required", op)
	}
	path := "/v1/registrations/" + url.PathEscape(kpj) + "/end"
	status, body, err := c.t.Do(ctx, op, http.MethodPost, path, idempotencyKey, EndRequest{EndDate: end})
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusCreated && status != http.StatusNoContent {
		return c.t.Classify(op, status, body)
	}
	return nil
}
