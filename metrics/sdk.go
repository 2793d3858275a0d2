package metrics

import (
	"fmt"
	"maps"

	"github.com/prometheus/client_golang/prometheus"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// timerBuckets cover Temporal request and task latencies, from a millisecond to a minute.
var timerBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// droppedTags could identify one case; the SDK does not send them today, and they never become
// labels should it start to.
var droppedTags = map[string]bool{"workflow_id": true, "run_id": true, "activity_id": true, "update_id": true}

// newSDKHandler is the Temporal SDK's metrics through Temporal's maintained OpenTelemetry
// handler (go.temporal.io/sdk/contrib/opentelemetry), exported into reg by OpenTelemetry's
// Prometheus exporter, so the names are the ones Temporal's published Go SDK (OpenTelemetry)
// dashboards query: counters end in _total, timers are histograms in seconds
// (temporal_workflow_task_execution_latency_seconds_bucket).
func newSDKHandler(reg prometheus.Registerer) (client.MetricsHandler, error) {
	refused := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "kompeten_sdk_metric_errors_total",
		Help: "Temporal SDK metrics the OpenTelemetry meter refused (each one is then not recorded).",
	})
	if err := reg.Register(refused); err != nil {
		return nil, fmt.Errorf("temporal sdk metrics: %w", err)
	}
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("temporal sdk metrics: prometheus exporter: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(exp),
		// The SDK's timers are in seconds; OpenTelemetry's default buckets are for milliseconds.
		sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Unit: "s"},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: timerBuckets}},
		)),
	)
	h := temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter:                provider.Meter("temporal-sdk-go"),
		UseMonotonicCounters: true,
		// A metric the meter refuses is counted, never a panic in a worker.
		OnError: func(error) { refused.Inc() },
	})
	return privateTags{h}, nil
}

// SDK returns the handler to give the Temporal client (client.Options.MetricsHandler).
func (m *Metrics) SDK() client.MetricsHandler { return m.sdk }

// privateTags drops the tags that could name one case before they reach the handler.
type privateTags struct{ client.MetricsHandler }

// WithTags adds tags except the dropped ones.
func (p privateTags) WithTags(tags map[string]string) client.MetricsHandler {
	kept := maps.Clone(tags)
	maps.DeleteFunc(kept, func(k, _ string) bool { return droppedTags[k] })
	return privateTags{p.MetricsHandler.WithTags(kept)}
}

// Unwrap lets the SDK's contrib find the OpenTelemetry handler underneath.
func (p privateTags) Unwrap() client.MetricsHandler { return p.MetricsHandler }
