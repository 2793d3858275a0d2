package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/metrics"
	"github.com/bpvp-sidoarjo/kompeten/partners"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func has(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(out, l) {
			t.Errorf("metrics output lacks %q", l)
		}
	}
}

// The SDK's metrics carry Temporal's standard Prometheus names (counters _total, timers in
// seconds). The SDK adds tags as it goes: series of one metric with different label sets must all be
// exported, and tags naming one workflow never become labels.
func TestSDKHandler(t *testing.T) {
	m := metrics.New()
	h := m.SDK().WithTags(map[string]string{"namespace": "default"})
	h.Counter("temporal_request").Inc(2)
	h.WithTags(map[string]string{"operation": "StartWorkflowExecution", "workflow_id": "journey-secret"}).Counter("temporal_request").Inc(1)
	h.Gauge("temporal_num_pollers").Update(3)
	tm := h.WithTags(map[string]string{"task_queue": "kompeten"}).Timer("temporal_workflow_task_execution_latency")
	tm.Record(20 * time.Millisecond)
	tm.Record(3 * time.Second)
	out := scrape(t, m)
	has(t, out,
		`temporal_request_total{namespace="default"} 2`,
		`temporal_request_total{namespace="default",operation="StartWorkflowExecution"} 1`,
		`temporal_num_pollers{namespace="default"} 3`,
		`temporal_workflow_task_execution_latency_seconds_bucket{namespace="default",task_queue="kompeten",le="0.025"} 1`,
		`temporal_workflow_task_execution_latency_seconds_bucket{namespace="default",task_queue="kompeten",le="5"} 2`,
		`temporal_workflow_task_execution_latency_seconds_count{namespace="default",task_queue="kompeten"} 2`,
	)
	if strings.Contains(out, "journey-secret") || strings.Contains(out, "workflow_id") {
		t.Error("a workflow id became a label")
	}
}

type fakeInsurer struct{ err error }

func (f fakeInsurer) Register(context.Context, partners.Registration) (partners.Coverage, error) {
	return partners.Coverage{KPJ: "23000000001"}, f.err
}
func (f fakeInsurer) EndCoverage(context.Context, string, string, time.Time) error { return f.err }

func TestPartnerCallsAreMeasuredWithoutPersonalData(t *testing.T) {
	m := metrics.New()
	ok := m.Insurer("BPJSTK-JATIM", fakeInsurer{})
	reg := partners.Registration{NIK: "3515014101900001", Name: "Siti Aminah", IdempotencyKey: "case-ABC"}
	if _, err := ok.Register(context.Background(), reg); err != nil {
		t.Fatal(err)
	}
	bad := m.Insurer("BPJSTK-JATIM", fakeInsurer{err: &partners.DataError{Code: "invalid_nik", Message: "bad"}})
	_, _ = bad.Register(context.Background(), reg)
	down := m.Insurer("BPJSTK-JATIM", fakeInsurer{err: errors.New("503")})
	_ = down.EndCoverage(context.Background(), "case-ABC-end", "23000000001", time.Now())
	slow := m.Insurer("BPJSTK-JATIM", fakeInsurer{err: context.DeadlineExceeded})
	_, _ = slow.Register(context.Background(), reg)

	out := scrape(t, m)
	has(t, out,
		`kompeten_partner_call_duration_seconds_count{operation="register",outcome="ok",partner="BPJSTK-JATIM"} 1`,
		`kompeten_partner_call_errors_total{operation="register",outcome="data_error",partner="BPJSTK-JATIM"} 1`,
		`kompeten_partner_call_errors_total{operation="register",outcome="timeout",partner="BPJSTK-JATIM"} 1`,
		`kompeten_partner_call_errors_total{operation="end_coverage",outcome="error",partner="BPJSTK-JATIM"} 1`,
	)
	for _, secret := range []string{"3515014101900001", "Siti", "case-ABC", "23000000001"} {
		if strings.Contains(out, secret) {
			t.Errorf("metrics carry %q", secret)
		}
	}
}

func TestCaseGaugesReadAtMostOncePerInterval(t *testing.T) {
	m := metrics.New()
	reads := 0
	counts := []metrics.CaseCount{
		{Centre: "BLK-SBY", Stage: "insurance", N: 3},
		{Centre: "BLK-SBY", Stage: "insurance", StuckCode: "partner-failing", WaitingOn: "bpjs", N: 2},
		{Centre: "BLK-SGS", Stage: "closed", N: 1},
	}
	m.WatchCases(func(context.Context) ([]metrics.CaseCount, error) {
		reads++
		return counts, nil
	}, time.Hour)
	out := scrape(t, m)
	has(t, out,
		`kompeten_cases{centre="BLK-SBY",stage="insurance"} 5`,
		`kompeten_cases{centre="BLK-SGS",stage="closed"} 1`,
		`kompeten_cases_stuck{centre="BLK-SBY",reason="partner-failing",stage="insurance",waiting_on="bpjs"} 2`,
		`kompeten_case_metrics_up 1`,
	)
	scrape(t, m)
	if reads != 1 {
		t.Errorf("read model read %d times for two scrapes within the interval", reads)
	}
	m.WatchCases(func(context.Context) ([]metrics.CaseCount, error) { return nil, errors.New("db down") }, 0)
	has(t, scrape(t, m), `kompeten_case_metrics_up 0`)
}
