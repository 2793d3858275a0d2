package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/internal/httpjson"
)

// Config says how to reach one LSP's API.
type Config struct {
	BaseURL string
	APIKey  string // sent as a bearer token when set
	// Timeout bounds each call; zero means 30 seconds.
	Timeout time.Duration
	// HTTPClient is optional, e.g. to add TLS settings or a proxy.
	HTTPClient *http.Client
}

// Client talks to one certification body. It is safe for concurrent use.
type Client struct {
	t *httpjson.Transport
}

var _ partners.Certifier = (*Client)(nil)

// New returns a Client for cfg.
func New(cfg Config) *Client {
	return &Client{t: httpjson.New("lsp", cfg.BaseURL, cfg.APIKey, cfg.Timeout, cfg.HTTPClient)}
}

// RequestSchedule asks for an assessment date, test site and assessor. A retry with the same
// r.IdempotencyKey returns the schedule made the first time.
func (c *Client) RequestSchedule(ctx context.Context, r partners.ScheduleRequest) (partners.Schedule, error) {
	const op = "schedule"
	if r.IdempotencyKey == "" {
		return partners.Schedule{}, fmt.Errorf("lsp: %s: %w", op, httpjson.ErrNoKey)
	}
	in := AssessmentRequest{
		Scheme: r.Scheme, Package: r.PackageCode, CandidateRef: r.CandidateRef,
		CandidateName: r.CandidateName, NotBefore: r.NotBefore, Units: r.Units,
	}
	var out partners.Schedule
	if err := c.post(ctx, op, "/v1/assessments", r.IdempotencyKey, in, &out); err != nil {
		return partners.Schedule{}, err
	}
	if out.AssessmentID == "" {
		return partners.Schedule{}, fmt.Errorf("lsp: %s: answer has no assessment id", op)
	}
	return out, nil
}

// FetchResult returns the assessor's recommendation, or ok=false while there is none yet.
func (c *Client) FetchResult(ctx context.Context, assessmentID string) (partners.AssessmentResult, bool, error) {
	const op = "fetch result"
	if assessmentID == "" {
		return partners.AssessmentResult{}, false, fmt.Errorf("lsp: %s: assessment id is required", op)
	}
	path := "/v1/assessments/" + url.PathEscape(assessmentID) + "/result"
	status, body, err := c.t.Do(ctx, op, http.MethodGet, path, "", nil)
	if err != nil {
		return partners.AssessmentResult{}, false, err
	}
	switch status {
	case http.StatusOK:
		var out partners.AssessmentResult
		if err := c.t.Decode(op, status, body, &out); err != nil {
			return partners.AssessmentResult{}, false, err
		}
		return out, true, nil
	case http.StatusAccepted:
		return partners.AssessmentResult{}, false, nil
	case http.StatusNotFound:
		// Some LSPs answer 404 until a result exists; only an explicit "unknown assessment" is final.
		var eb ErrorBody
		if json.Unmarshal(body, &eb) == nil && eb.Code == CodeAssessmentNotFound {
			return partners.AssessmentResult{}, false, fmt.Errorf("lsp: %s: %w", op,
				&partners.DataError{Code: eb.Code, Message: httpjson.Redact(eb.Message)})
		}
		return partners.AssessmentResult{}, false, nil
	}
	return partners.AssessmentResult{}, false, c.t.Classify(op, status, body)
}

// IssueCertificate issues the certificate after the certification manager's approval. A retry
// with the same r.IdempotencyKey returns the certificate issued the first time.
func (c *Client) IssueCertificate(ctx context.Context, r partners.CertificateRequest) (partners.Certificate, error) {
	const op = "issue certificate"
	if r.IdempotencyKey == "" {
		return partners.Certificate{}, fmt.Errorf("lsp: %s: %w", op, httpjson.ErrNoKey)
	}
	in := IssueRequest{
		AssessmentID: r.AssessmentID, Scheme: r.Scheme, CandidateRef: r.CandidateRef,
		CandidateName: r.CandidateName, IssueDate: r.IssueDate,
	}
	var out partners.Certificate
	if err := c.post(ctx, op, "/v1/certificates", r.IdempotencyKey, in, &out); err != nil {
		// The assessor may record the result with kompeten before the LSP's own system has it:
		// that clears up by itself, so it is retried rather than treated as bad data.
		var de *partners.DataError
		if errors.As(err, &de) && de.Code == CodeResultPending {
			return partners.Certificate{}, fmt.Errorf("lsp: %s: the LSP has no result for assessment %s yet (%s)", op, r.AssessmentID, CodeResultPending)
		}
		return partners.Certificate{}, err
	}
	if out.Number == "" {
		return partners.Certificate{}, fmt.Errorf("lsp: %s: answer has no certificate number", op)
	}
	return out, nil
}

// post sends an idempotent POST and decodes a 200/201 answer into out.
func (c *Client) post(ctx context.Context, op, path, key string, in, out any) error {
	status, body, err := c.t.Do(ctx, op, http.MethodPost, path, key, in)
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return c.t.Classify(op, status, body)
	}
	return c.t.Decode(op, status, body, out)
}
