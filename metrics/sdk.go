package metrics

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// timerBuckets cover Temporal request and task latencies, from a millisecond to a minute.
var timerBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// droppedTags could identify one case; the SDK does not send them today, and they never become
// labels should it start to.
var droppedTags = map[string]bool{"workflow_id": true, "run_id": true, "activity_id": true, "update_id": true}

var invalidName = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// SDK returns the handler to give the Temporal client (client.Options.MetricsHandler).
func (m *Metrics) SDK() client.MetricsHandler { return &sdkHandler{reg: m.sdk} }

// sdkHandler implements client.MetricsHandler over the registry; tags become labels.
type sdkHandler struct {
	reg  *sdkRegistry
	tags map[string]string
}

var _ client.MetricsHandler = (*sdkHandler)(nil)

func (h *sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := maps.Clone(h.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	for k, v := range tags {
		if droppedTags[k] {
			continue
		}
		merged[invalidName.ReplaceAllString(k, "_")] = v
	}
	return &sdkHandler{reg: h.reg, tags: merged}
}

func (h *sdkHandler) Counter(name string) client.MetricsCounter {
	return h.reg.series(name, prometheus.CounterValue, h.tags)
}

func (h *sdkHandler) Gauge(name string) client.MetricsGauge {
	return h.reg.series(name, prometheus.GaugeValue, h.tags)
}

func (h *sdkHandler) Timer(name string) client.MetricsTimer {
	return h.reg.series(name, prometheus.UntypedValue, h.tags) // untyped marks a histogram here
}

// sdkRegistry keeps every series the SDK has touched and emits them at scrape time. The SDK
// adds tags as it goes (a series of one metric may carry more labels than another), which
// prometheus vectors with fixed label names cannot hold; an unchecked collector can.
type sdkRegistry struct {
	mu   sync.Mutex
	byID map[string]*sdkSeries // by name and sorted labels
}

func newSDKRegistry() *sdkRegistry { return &sdkRegistry{byID: map[string]*sdkSeries{}} }

// sdkSeries is one metric with one label set: a counter, a gauge or a histogram.
type sdkSeries struct {
	name   string
	kind   prometheus.ValueType
	desc   *prometheus.Desc
	values []string

	bits atomic.Uint64 // counter total or gauge value, as float64 bits

	mu      sync.Mutex // histogram only
	buckets []uint64
	count   uint64
	sum     float64
}

func (r *sdkRegistry) series(name string, kind prometheus.ValueType, tags map[string]string) *sdkSeries {
	name = invalidName.ReplaceAllString(name, "_")
	if kind == prometheus.UntypedValue {
		name += "_seconds"
	}
	keys := slices.Sorted(maps.Keys(tags))
	var id strings.Builder
	id.WriteString(name)
	for _, k := range keys {
		id.WriteString("\xff" + k + "=" + tags[k])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.byID[id.String()]; ok {
		return s
	}
	values := make([]string, len(keys))
	for i, k := range keys {
		values[i] = tags[k]
	}
	s := &sdkSeries{
		name: name, kind: kind, values: values,
		desc: prometheus.NewDesc(name, "Temporal SDK metric "+name+".", keys, nil),
	}
	if kind == prometheus.UntypedValue {
		s.buckets = make([]uint64, len(timerBuckets))
	}
	r.byID[id.String()] = s
	return s
}

// Inc adds to a counter.
func (s *sdkSeries) Inc(n int64) {
	for {
		old := s.bits.Load()
		if s.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+float64(n))) {
			return
		}
	}
}

// Update sets a gauge.
func (s *sdkSeries) Update(v float64) { s.bits.Store(math.Float64bits(v)) }

// Record observes a latency.
func (s *sdkSeries) Record(d time.Duration) {
	v := d.Seconds()
	i := sort.SearchFloat64s(timerBuckets, v)
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < len(s.buckets) {
		s.buckets[i]++
	}
	s.count++
	s.sum += v
}

// Describe sends nothing: the collector is unchecked, its series appear as the SDK makes them.
func (r *sdkRegistry) Describe(chan<- *prometheus.Desc) {}

// Collect emits every series.
func (r *sdkRegistry) Collect(ch chan<- prometheus.Metric) {
	r.mu.Lock()
	all := slices.Collect(maps.Values(r.byID))
	r.mu.Unlock()
	for _, s := range all {
		if s.kind != prometheus.UntypedValue {
			ch <- prometheus.MustNewConstMetric(s.desc, s.kind, math.Float64frombits(s.bits.Load()), s.values...)
			continue
		}
		s.mu.Lock()
		cum := make(map[float64]uint64, len(timerBuckets))
		var run uint64
		for i, b := range timerBuckets {
			run += s.buckets[i]
			cum[b] = run
		}
		count, sum := s.count, s.sum
		s.mu.Unlock()
		ch <- prometheus.MustNewConstHistogram(s.desc, count, sum, cum, s.values...)
	}
}
