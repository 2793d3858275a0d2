package lsp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/lsp"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// clock is a settable clock for the simulator.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func start(t *testing.T, sim http.Handler, cfg lsp.Config) *lsp.Client {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL
	return lsp.New(cfg)
}

func scheduleRequest(key string) partners.ScheduleRequest {
	return partners.ScheduleRequest{
		IdempotencyKey: key, Scheme: "LAS-SMAW", PackageCode: "PKT-LAS-01",
		CandidateRef: "case-1", CandidateName: "Budi Hartono",
		NotBefore: time.Date(2027, 5, 3, 0, 0, 0, 0, time.UTC),
	}
}

func TestScheduleResultCertificate(t *testing.T) {
	clk := &clock{t: time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)}
	sim := simulator.NewLSP(simulator.LSPConfig{
		Config: simulator.Config{Now: clk.Now, APIKey: "k"},
		Code:   "LSP-BLK-SBY", ScheduleLead: 48 * time.Hour, ResultDelay: 24 * time.Hour,
	})
	c := start(t, sim, lsp.Config{APIKey: "k"})
	ctx := context.Background()

	req := scheduleRequest("case-1/assess/1")
	sched, err := c.RequestSchedule(ctx, req)
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	if want := req.NotBefore.Add(48 * time.Hour); !sched.Date.Equal(want) {
		t.Errorf("date %v, want %v (not_before + lead)", sched.Date, want)
	}
	if sched.TUK == "" || sched.Assessor == "" || sched.AssessmentID == "" {
		t.Errorf("incomplete schedule %+v", sched)
	}
	again, err := c.RequestSchedule(ctx, req)
	if err != nil || again != sched {
		t.Fatalf("replayed schedule %+v, %v; want %+v", again, err, sched)
	}
	if n := sim.AssessmentCount(); n != 1 {
		t.Errorf("assessments %d, want 1", n)
	}

	// Before the date plus the result delay there is no result.
	clk.Advance(48*time.Hour + 24*time.Hour) // now 2027-05-04 09:00, result at 2027-05-06 00:00
	if _, ok, err := c.FetchResult(ctx, sched.AssessmentID); err != nil || ok {
		t.Fatalf("early fetch: ok=%v err=%v, want pending", ok, err)
	}
	clk.Advance(48 * time.Hour)
	res, ok, err := c.FetchResult(ctx, sched.AssessmentID)
	if err != nil || !ok {
		t.Fatalf("fetch: ok=%v err=%v", ok, err)
	}
	if len(res.Units) != 5 || res.Units[0].Unit != "LAS-SMAW.U01" || res.Units[4].Unit != "LAS-SMAW.U05" {
		t.Errorf("units %+v", res.Units)
	}
	for _, u := range res.Units {
		if u.Result != "K" {
			t.Errorf("unit %s: %s with BKRate 0", u.Unit, u.Result)
		}
	}

	issue := time.Date(2027, 5, 10, 0, 0, 0, 0, time.UTC)
	creq := partners.CertificateRequest{
		IdempotencyKey: "case-1/certificate", AssessmentID: sched.AssessmentID, Scheme: req.Scheme,
		CandidateRef: req.CandidateRef, CandidateName: req.CandidateName, IssueDate: issue,
	}
	cert, err := c.IssueCertificate(ctx, creq)
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	if cert.Number != "LSP-BLK-SBY/2027/000001" {
		t.Errorf("number %q", cert.Number)
	}
	if !cert.ExpiryDate.Equal(issue.AddDate(3, 0, 0)) {
		t.Errorf("expiry %v", cert.ExpiryDate)
	}
	for _, key := range []string{"case-1/certificate", "case-1/certificate-again"} {
		creq.IdempotencyKey = key
		again, err := c.IssueCertificate(ctx, creq)
		if err != nil || again.Number != cert.Number {
			t.Errorf("key %s: %+v, %v; want the first certificate", key, again, err)
		}
	}
	if n := sim.CertificateCount(); n != 1 {
		t.Errorf("certificates %d, want 1", n)
	}
	if got := sim.Certificates()["case-1/certificate"]; got != 1 {
		t.Errorf("creations for key %d, want 1", got)
	}
}

func TestBKAndReassessment(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{BKRate: 1, Units: 3})
	c := start(t, sim, lsp.Config{})
	ctx := context.Background()
	first := scheduleRequest("case-1/assess/1")
	first.NotBefore = time.Time{} // assessed now, on the simulator's real clock
	sched, err := c.RequestSchedule(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	res, ok, err := c.FetchResult(ctx, sched.AssessmentID)
	if err != nil || !ok || len(res.Units) != 3 || res.Units[0].Result != "BK" {
		t.Fatalf("result %+v ok=%v err=%v", res, ok, err)
	}
	_, err = c.IssueCertificate(ctx, partners.CertificateRequest{
		IdempotencyKey: "case-1/certificate", AssessmentID: sched.AssessmentID, CandidateRef: "case-1",
	})
	var de *partners.DataError
	if !errors.As(err, &de) || de.Code != "not_competent" {
		t.Fatalf("want not_competent data error, got %v", err)
	}

	sim.SetBKRate(0)
	re := scheduleRequest("case-1/assess/2")
	re.NotBefore = time.Time{}
	re.Units = []string{"LAS-SMAW.U02"}
	sched2, err := c.RequestSchedule(ctx, re)
	if err != nil {
		t.Fatal(err)
	}
	res2, ok, err := c.FetchResult(ctx, sched2.AssessmentID)
	if err != nil || !ok || len(res2.Units) != 1 || res2.Units[0] != (partners.UnitResult{Unit: "LAS-SMAW.U02", Result: "K"}) {
		t.Fatalf("re-assessment %+v ok=%v err=%v", res2, ok, err)
	}
	// The first result is kept although the rate changed.
	if res1, _, _ := c.FetchResult(ctx, sched.AssessmentID); res1.Units[0].Result != "BK" {
		t.Errorf("stored result changed: %+v", res1)
	}
	re.IdempotencyKey, re.Units = "case-1/assess/3", []string{"LAS-SMAW.U09"}
	if _, err := c.RequestSchedule(ctx, re); !partners.IsDataError(err) {
		t.Errorf("unknown unit: want data error, got %v", err)
	}
}

func TestResultNotFoundAndPending404(t *testing.T) {
	c := start(t, simulator.NewLSP(simulator.LSPConfig{}), lsp.Config{})
	_, ok, err := c.FetchResult(context.Background(), "ASM-999999")
	if ok || !partners.IsDataError(err) {
		t.Fatalf("unknown id: ok=%v err=%v, want data error", ok, err)
	}

	// A bare 404 (an LSP that answers "not found" until the result exists) means pending.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, ok, err = lsp.New(lsp.Config{BaseURL: srv.URL}).FetchResult(context.Background(), "ASM-1")
	if ok || err != nil {
		t.Fatalf("bare 404: ok=%v err=%v, want pending", ok, err)
	}
}

func TestOutageTimeoutAndDataErrors(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{Schemes: []string{"LAS-SMAW"}})
	c := start(t, sim, lsp.Config{})
	ctx := context.Background()

	sim.StartOutage(time.Hour)
	_, err := c.RequestSchedule(ctx, scheduleRequest("a"))
	if err == nil || partners.IsDataError(err) || !strings.Contains(err.Error(), "lsp: schedule: HTTP 503") {
		t.Fatalf("outage: want retryable 503, got %v", err)
	}
	if _, _, err := c.FetchResult(ctx, "ASM-000001"); err == nil || partners.IsDataError(err) {
		t.Fatalf("outage fetch: want retryable error, got %v", err)
	}
	sim.EndOutage()

	other := scheduleRequest("b")
	other.Scheme = "TATA-BOGA"
	if _, err := c.RequestSchedule(ctx, other); !partners.IsDataError(err) {
		t.Errorf("scheme not offered: want data error, got %v", err)
	}

	sim.SetLatency(2 * time.Second)
	slow := start(t, sim, lsp.Config{Timeout: 50 * time.Millisecond})
	if _, err := slow.RequestSchedule(ctx, scheduleRequest("c")); err == nil || partners.IsDataError(err) ||
		!errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: want retryable deadline error, got %v", err)
	}
}

func TestCandidateDataErrorIsDeterministic(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{Config: simulator.Config{DataErrorRate: 1}})
	c := start(t, sim, lsp.Config{})
	for i := range 2 {
		_, err := c.RequestSchedule(context.Background(), scheduleRequest("k"))
		var de *partners.DataError
		if !errors.As(err, &de) || de.Code != "candidate_rejected" {
			t.Fatalf("attempt %d: want candidate_rejected, got %v", i, err)
		}
	}
	if n := sim.AssessmentCount(); n != 0 {
		t.Errorf("assessments %d, want 0", n)
	}
}

func TestExactlyOnceUnderLostAnswers(t *testing.T) {
	sim := simulator.NewLSP(simulator.LSPConfig{Config: simulator.Config{ErrorRate: 0.6, Seed: 11}})
	c := start(t, sim, lsp.Config{})
	ctx := context.Background()
	for i := range 8 {
		req := scheduleRequest(fmt.Sprintf("case-%d/assess/1", i))
		req.CandidateRef = fmt.Sprintf("case-%d", i)
		req.NotBefore = time.Time{}
		var sched partners.Schedule
		var err error
		for range 50 {
			if sched, err = c.RequestSchedule(ctx, req); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		creq := partners.CertificateRequest{
			IdempotencyKey: fmt.Sprintf("case-%d/certificate", i), AssessmentID: sched.AssessmentID,
			CandidateRef: req.CandidateRef, CandidateName: req.CandidateName,
		}
		for range 50 {
			if _, err = c.IssueCertificate(ctx, creq); err == nil {
				break
			}
			if partners.IsDataError(err) {
				t.Fatal(err)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	st := sim.Stats()
	if st.Assessments != 8 || st.Certificates != 8 {
		t.Errorf("assessments %d certificates %d, want 8 and 8", st.Assessments, st.Certificates)
	}
	for k, n := range st.CertificatesByKey {
		if n != 1 {
			t.Errorf("key %s created %d certificates", k, n)
		}
	}
	for k, n := range st.AssessmentsByKey {
		if n != 1 {
			t.Errorf("key %s created %d assessments", k, n)
		}
	}
}

// A certificate asked for before the LSP has the result is retried later, not refused as bad
// data: the assessor may record the result with kompeten before the LSP's own system has it.
func TestCertificateBeforeResultIsRetryable(t *testing.T) {
	clk := &clock{t: time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)}
	sim := simulator.NewLSP(simulator.LSPConfig{
		Config: simulator.Config{Now: clk.Now},
		Code:   "LSP-BLK-SBY", ScheduleLead: time.Hour, ResultDelay: time.Hour,
	})
	c := start(t, sim, lsp.Config{})
	ctx := context.Background()
	sched, err := c.RequestSchedule(ctx, scheduleRequest("case-9/assess/1"))
	if err != nil {
		t.Fatal(err)
	}
	creq := partners.CertificateRequest{IdempotencyKey: "case-9/cert", AssessmentID: sched.AssessmentID,
		Scheme: "LAS-SMAW", CandidateRef: "case-1", CandidateName: "Budi Hartono", IssueDate: clk.Now()}
	_, err = c.IssueCertificate(ctx, creq)
	if err == nil || partners.IsDataError(err) || !strings.Contains(err.Error(), lsp.CodeResultPending) {
		t.Fatalf("before the result: %v, want a retryable %s error", err, lsp.CodeResultPending)
	}
	clk.Advance(sched.Date.Add(2 * time.Hour).Sub(clk.Now())) // past the assessment and its result delay
	if _, ok, err := c.FetchResult(ctx, sched.AssessmentID); err != nil || !ok {
		t.Fatalf("result after the delay: ok=%v err=%v", ok, err)
	}
	cert, err := c.IssueCertificate(ctx, creq)
	if err != nil || cert.Number == "" {
		t.Fatalf("after the result: %+v, %v", cert, err)
	}
}
