package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// newStepDuration measures how long a person's step (an approval, a register, a correction) took from
// the API sending the journey its update to the journey's answer: the approval latency.
func newStepDuration() *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "kompeten_step_duration_seconds",
		Help:    "People's steps sent to a journey, from the update to its answer, by update name and outcome (ok, error: refused or failed).",
		Buckets: []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	}, []string{"step", "outcome"})
}

// ObserveStep records one step; step is the update's name (decide-enrolment, ...), a fixed
// vocabulary, never a case.
func (m *Metrics) ObserveStep(step string, start time.Time, err error) {
	outcome := OutcomeOK
	if err != nil {
		outcome = OutcomeError
	}
	m.steps.WithLabelValues(step, outcome).Observe(time.Since(start).Seconds())
}
