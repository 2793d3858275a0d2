package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/prometheus/client_golang/prometheus"
)

// CaseCount is one group of cases in the read model.
type CaseCount struct {
	Centre string
	Stage  vocab.Stage
	// StuckCode is the machine-readable stuck reason; empty for cases that are not stuck.
	StuckCode vocab.Reason
	WaitingOn vocab.Party
	N         int
}

// CaseSource counts the cases of the read model by centre, stage and stuck code.
type CaseSource func(ctx context.Context) ([]CaseCount, error)

var (
	casesDesc = prometheus.NewDesc("kompeten_cases",
		"Cases in the read model by centre and stage (closed cases under stage \"closed\").",
		[]string{"centre", "stage"}, nil)
	stuckDesc = prometheus.NewDesc("kompeten_cases_stuck",
		"Stuck cases by centre, stage, stuck reason code and who the case waits on.",
		[]string{"centre", "stage", "reason", "waiting_on"}, nil)
	caseErrDesc = prometheus.NewDesc("kompeten_case_metrics_up",
		"1 when the last read of the case gauges from the read model succeeded.", nil, nil)
)

// caseCollector reads the case counts at scrape time, at most once per refresh interval, so
// frequent scrapes cost the database one grouped query.
type caseCollector struct {
	mu      sync.Mutex
	source  CaseSource
	refresh time.Duration
	at      time.Time
	counts  []CaseCount
	ok      bool
}

func newCaseCollector() *caseCollector { return &caseCollector{} }

// WatchCases makes /metrics report case gauges from src, read at most every refresh. A second
// call replaces the source (one process serves one read model).
func (m *Metrics) WatchCases(src CaseSource, refresh time.Duration) {
	m.cases.mu.Lock()
	defer m.cases.mu.Unlock()
	m.cases.source, m.cases.refresh, m.cases.at, m.cases.counts = src, refresh, time.Time{}, nil
}

// Describe sends the fixed descriptors.
func (c *caseCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- casesDesc
	ch <- stuckDesc
	ch <- caseErrDesc
}

// Collect emits the gauges, refreshing them first when they are older than the interval.
func (c *caseCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.source == nil {
		return
	}
	if time.Since(c.at) >= c.refresh {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		counts, err := c.source(ctx)
		cancel()
		c.ok = err == nil
		if err == nil {
			c.counts, c.at = counts, time.Now()
		}
	}
	up := 0.0
	if c.ok {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(caseErrDesc, prometheus.GaugeValue, up)
	cases := map[[2]string]int{}
	stuck := map[[4]string]int{}
	for _, n := range c.counts {
		cases[[2]string{n.Centre, string(n.Stage)}] += n.N
		if n.StuckCode != "" {
			stuck[[4]string{n.Centre, string(n.Stage), string(n.StuckCode), string(n.WaitingOn)}] += n.N
		}
	}
	for k, n := range cases {
		ch <- prometheus.MustNewConstMetric(casesDesc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
	for k, n := range stuck {
		ch <- prometheus.MustNewConstMetric(stuckDesc, prometheus.GaugeValue, float64(n), k[0], k[1], k[2], k[3])
	}
}
