package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// Outcomes of a partner call (label "outcome").
const (
	OutcomeOK        = "ok"
	OutcomeDataError = "data_error" // the partner refused the data; not retried
	OutcomeTimeout   = "timeout"    // our deadline or cancellation (a worker stopping)
	OutcomeError     = "error"      // transient: 5xx, network; retried
)

// partnerMetrics are the partner call instruments.
type partnerMetrics struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

func newPartnerMetrics() *partnerMetrics {
	return &partnerMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kompeten_partner_call_duration_seconds",
			Help:    "Partner API calls by partner code, operation and outcome (ok, data_error, timeout, error).",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60},
		}, []string{"partner", "operation", "outcome"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kompeten_partner_call_errors_total",
			Help: "Failed partner API calls by partner code, operation and outcome.",
		}, []string{"partner", "operation", "outcome"}),
	}
}

func (p *partnerMetrics) register(reg prometheus.Registerer) {
	reg.MustRegister(p.duration, p.errors)
}

// observe records one call; only codes and outcomes become labels, never request content.
func (p *partnerMetrics) observe(partner, op string, start time.Time, err error) {
	outcome := classify(err)
	p.duration.WithLabelValues(partner, op, outcome).Observe(time.Since(start).Seconds())
	if outcome != OutcomeOK {
		p.errors.WithLabelValues(partner, op, outcome).Inc()
	}
}

func classify(err error) string {
	switch {
	case err == nil:
		return OutcomeOK
	case partners.IsDataError(err):
		return OutcomeDataError
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return OutcomeTimeout
	default:
		return OutcomeError
	}
}

// Insurer wraps a BPJS adapter so its calls are measured under the partner code.
func (m *Metrics) Insurer(code string, in partners.Insurer) partners.Insurer {
	if in == nil {
		return nil
	}
	return &insurer{next: in, code: code, m: m.partners}
}

type insurer struct {
	next partners.Insurer
	code string
	m    *partnerMetrics
}

func (i *insurer) Register(ctx context.Context, r partners.Registration) (partners.Coverage, error) {
	start := time.Now()
	c, err := i.next.Register(ctx, r)
	i.m.observe(i.code, "register", start, err)
	return c, err
}

func (i *insurer) EndCoverage(ctx context.Context, key, kpj string, end time.Time) error {
	start := time.Now()
	err := i.next.EndCoverage(ctx, key, kpj, end)
	i.m.observe(i.code, "end_coverage", start, err)
	return err
}

// Certifier wraps an LSP adapter so its calls are measured under the LSP's code.
func (m *Metrics) Certifier(code string, in partners.Certifier) partners.Certifier {
	if in == nil {
		return nil
	}
	return &certifier{next: in, code: code, m: m.partners}
}

type certifier struct {
	next partners.Certifier
	code string
	m    *partnerMetrics
}

func (c *certifier) RequestSchedule(ctx context.Context, r partners.ScheduleRequest) (partners.Schedule, error) {
	start := time.Now()
	s, err := c.next.RequestSchedule(ctx, r)
	c.m.observe(c.code, "request_schedule", start, err)
	return s, err
}

func (c *certifier) FetchResult(ctx context.Context, id string) (partners.AssessmentResult, bool, error) {
	start := time.Now()
	res, ok, err := c.next.FetchResult(ctx, id)
	c.m.observe(c.code, "fetch_result", start, err)
	return res, ok, err
}

func (c *certifier) IssueCertificate(ctx context.Context, r partners.CertificateRequest) (partners.Certificate, error) {
	start := time.Now()
	cert, err := c.next.IssueCertificate(ctx, r)
	c.m.observe(c.code, "issue_certificate", start, err)
	return cert, err
}
