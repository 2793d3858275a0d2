// Package metrics exposes kompeten's Prometheus metrics: the Temporal SDK's own (through
// Temporal's OpenTelemetry contrib handler, with the standard names), partner call latency
// and errors, and case gauges read from the read model. No label carries personal data or a case ID: labels are
// partner codes, operations, outcomes, stages, centre codes and stuck codes.
package metrics

import (
	"net/http"

	"go.temporal.io/sdk/client"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's registry and the instruments kompeten records into.
type Metrics struct {
	reg      *prometheus.Registry
	sdk      client.MetricsHandler
	partners *partnerMetrics
	cases    *caseCollector
	steps    *prometheus.HistogramVec
}

// Default is the process's metrics: the worker's SDK client, the partner adapters and the
// HTTP server's /metrics share it, as one process has one scrape endpoint.
var Default = New()

// New builds a registry with the Go runtime and process collectors and kompeten's instruments.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	sdk, err := newSDKHandler(reg)
	if err != nil {
		panic(err) // only a second exporter on one registry fails, and each registry is new here
	}
	m := &Metrics{reg: reg, sdk: sdk, partners: newPartnerMetrics(), cases: newCaseCollector(), steps: newStepDuration()}
	reg.MustRegister(m.cases, m.steps)
	m.partners.register(reg)
	return m
}

// Handler serves the metrics in the Prometheus text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the underlying registry, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
