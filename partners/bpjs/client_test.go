package bpjs_test

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
	"github.com/bpvp-sidoarjo/kompeten/partners/bpjs"
	"github.com/bpvp-sidoarjo/kompeten/simulator"
)

// start serves sim over httptest and returns a client for it.
func start(t *testing.T, sim http.Handler, cfg bpjs.Config) *bpjs.Client {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL
	return bpjs.New(cfg)
}

func registration(key string) partners.Registration {
	return partners.Registration{
		IdempotencyKey: key,
		NIK:            "3515014101990001",
		Name:           "Siti Aminah",
		BirthDate:      time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC),
		Phone:          "081234567890",
		CentreCode:     "BLK-SDA",
		CoverageStart:  time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
		CoverageEnd:    time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC),
		DeclaredIncome: 1_000_000,
		MonthlyFee:     16_800,
	}
}

func TestRegisterHappyPathAndIdempotentRetry(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{APIKey: "secret"})
	c := start(t, sim, bpjs.Config{APIKey: "secret"})
	ctx := context.Background()
	r := registration("case-1/insurance")

	cov, err := c.Register(ctx, r)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	if len(cov.KPJ) != 11 {
		t.Errorf("KPJ %q: want 11 digits", cov.KPJ)
	}
	if !cov.CoverageStart.Equal(r.CoverageStart) || !cov.CoverageEnd.Equal(r.CoverageEnd) {
		t.Errorf("coverage %v..%v: want %v..%v", cov.CoverageStart, cov.CoverageEnd, r.CoverageStart, r.CoverageEnd)
	}
	again, err := c.Register(ctx, r)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if again.KPJ != cov.KPJ {
		t.Errorf("retry KPJ %q, first %q", again.KPJ, cov.KPJ)
	}
	if n := sim.RegistrationCount(); n != 1 {
		t.Errorf("registrations: %d, want 1", n)
	}
	if got := sim.Registrations()[r.IdempotencyKey]; got != 1 {
		t.Errorf("creations for key: %d, want 1", got)
	}
	if got := sim.RegisterCalls(r.IdempotencyKey); got != 2 {
		t.Errorf("calls for key: %d, want 2", got)
	}
}

// With lost answers (503 after the registration was made) a retry loop must still create exactly
// one registration per key.
func TestRegisterExactlyOnceUnderLostAnswers(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{ErrorRate: 0.6, Seed: 7})
	c := start(t, sim, bpjs.Config{})
	ctx := context.Background()
	for i := range 10 {
		r := registration(fmt.Sprintf("case-%d/insurance", i))
		r.NIK = fmt.Sprintf("35150141019900%02d", i)
		var err error
		for attempt := 0; attempt < 50; attempt++ {
			if _, err = c.Register(ctx, r); err == nil {
				break
			}
			if partners.IsDataError(err) || !strings.Contains(err.Error(), "HTTP 503") {
				t.Fatalf("want a retryable 503, got %v", err)
			}
		}
		if err != nil {
			t.Fatalf("no success after 50 attempts: %v", err)
		}
	}
	st := sim.Stats()
	if st.Registrations != 10 || st.People != 10 {
		t.Errorf("registrations %d, people %d: want 10, 10", st.Registrations, st.People)
	}
	for k, n := range st.RegistrationsByKey {
		if n != 1 {
			t.Errorf("key %s created %d registrations", k, n)
		}
	}
	if st.RegisterCalls <= 10 {
		t.Errorf("register calls %d: expected injected failures to force retries", st.RegisterCalls)
	}
}

func TestOutageIsRetryable(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{})
	c := start(t, sim, bpjs.Config{})
	sim.StartOutage(time.Hour)
	_, err := c.Register(context.Background(), registration("k1"))
	if err == nil || partners.IsDataError(err) {
		t.Fatalf("want a retryable error, got %v", err)
	}
	if !strings.Contains(err.Error(), "bpjs: register: HTTP 503: BPJS simulator outage until") {
		t.Errorf("error %q does not name status and excerpt", err)
	}
	sim.EndOutage()
	if _, err := c.Register(context.Background(), registration("k1")); err != nil {
		t.Fatalf("after outage: %v", err)
	}
}

func TestConfiguredOutageWindowFollowsClock(t *testing.T) {
	now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	sim := simulator.NewBPJS(simulator.Config{
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return now
		},
		Outages: []simulator.Window{{Start: now.Add(time.Hour), End: now.Add(2 * time.Hour)}},
	})
	c := start(t, sim, bpjs.Config{})
	if _, err := c.Register(context.Background(), registration("a")); err != nil {
		t.Fatalf("before window: %v", err)
	}
	mu.Lock()
	now = now.Add(90 * time.Minute)
	mu.Unlock()
	if _, err := c.Register(context.Background(), registration("b")); err == nil || partners.IsDataError(err) {
		t.Fatalf("inside window: want retryable error, got %v", err)
	}
}

func TestDataErrorIsDeterministicAndCorrectable(t *testing.T) {
	cfg := simulator.Config{DataErrorRate: 0.5, Seed: 3}
	ctx := context.Background()
	const key = "case-9/insurance"

	// Find, for the same key, a name the simulator refuses and a correction it accepts. Each probe
	// uses a fresh simulator: a stored success would answer every later call with that key.
	var bad, good partners.Registration
	for i := 0; bad.Name == "" || good.Name == ""; i++ {
		if i > 100 {
			t.Fatal("no failing and passing variants found")
		}
		r := registration(key)
		r.Name = fmt.Sprintf("Siti Aminah %d", i)
		_, err := start(t, simulator.NewBPJS(cfg), bpjs.Config{}).Register(ctx, r)
		switch {
		case err == nil:
			good = r
		case partners.IsDataError(err):
			bad = r
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}

	sim := simulator.NewBPJS(cfg)
	c := start(t, sim, bpjs.Config{})
	for range 3 {
		_, err := c.Register(ctx, bad)
		var de *partners.DataError
		if !errors.As(err, &de) {
			t.Fatalf("bad record: want *partners.DataError, got %v", err)
		}
		if de.Code != "identity_mismatch" {
			t.Errorf("code %q", de.Code)
		}
		if strings.Contains(err.Error(), bad.NIK) || strings.Contains(err.Error(), bad.Name) {
			t.Errorf("error %q leaks personal data", err)
		}
	}
	if _, err := c.Register(ctx, good); err != nil {
		t.Fatalf("corrected record: %v", err)
	}
	if n := sim.RegistrationCount(); n != 1 {
		t.Errorf("registrations %d, want 1", n)
	}
}

func TestValidationErrorsAreDataErrors(t *testing.T) {
	c := start(t, simulator.NewBPJS(simulator.Config{}), bpjs.Config{})
	r := registration("k")
	r.NIK = "3.51514E+15"
	_, err := c.Register(context.Background(), r)
	var de *partners.DataError
	if !errors.As(err, &de) || de.Code != "invalid_nik" {
		t.Fatalf("want invalid_nik data error, got %v", err)
	}
}

func TestTimeoutIsRetryable(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{Latency: 2 * time.Second})
	c := start(t, sim, bpjs.Config{Timeout: 50 * time.Millisecond})
	begin := time.Now()
	_, err := c.Register(context.Background(), registration("slow"))
	if err == nil || partners.IsDataError(err) {
		t.Fatalf("want a retryable error, got %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want a deadline error, got %v", err)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("timeout took %v", d)
	}
}

func TestWrongAPIKey(t *testing.T) {
	c := start(t, simulator.NewBPJS(simulator.Config{APIKey: "right"}), bpjs.Config{APIKey: "wrong"})
	_, err := c.Register(context.Background(), registration("k"))
	if err == nil || partners.IsDataError(err) || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("want retryable 401 error, got %v", err)
	}
}

func TestEndCoverage(t *testing.T) {
	sim := simulator.NewBPJS(simulator.Config{})
	c := start(t, sim, bpjs.Config{})
	ctx := context.Background()
	cov, err := c.Register(ctx, registration("case-1/insurance"))
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)
	for range 2 {
		if err := c.EndCoverage(ctx, "case-1/end", cov.KPJ, end); err != nil {
			t.Fatalf("end: %v", err)
		}
	}
	if n := sim.EndedCount(); n != 1 {
		t.Errorf("ended %d, want 1", n)
	}
	if st := sim.Stats(); st.EndCallsByKey["case-1/end"] != 2 {
		t.Errorf("end calls by key: %v", st.EndCallsByKey)
	}
	err = c.EndCoverage(ctx, "case-2/end", "99999999999", end)
	if !partners.IsDataError(err) {
		t.Errorf("unknown KPJ: want data error, got %v", err)
	}
	if err := c.EndCoverage(ctx, "", cov.KPJ, end); err == nil {
		t.Error("missing key: want error")
	}
}

// Answers from something other than the partner (a proxy) must be classified by status alone.
func TestClassificationOfForeignAnswers(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		data     bool
		contains string
	}{
		{400, "<html>bad request</html>", false, "HTTP 400: <html>bad request</html>"},
		{409, `{"code":"duplicate","message":"NIK 3515014101990001 already registered"}`, true, "[redacted]"},
		{429, "slow down", false, "bpjs: register: HTTP 429: slow down"},
		{502, "", false, "HTTP 502: empty body"},
		{503, `{"code":"unavailable","message":"service unavailable"}`, false, "bpjs: register: HTTP 503: service unavailable"},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			fmt.Fprint(w, tc.body)
		}))
		_, err := bpjs.New(bpjs.Config{BaseURL: srv.URL}).Register(context.Background(), registration("k"))
		srv.Close()
		if partners.IsDataError(err) != tc.data {
			t.Errorf("HTTP %d: data error %v, want %v (%v)", tc.status, partners.IsDataError(err), tc.data, err)
		}
		if err == nil || !strings.Contains(err.Error(), tc.contains) {
			t.Errorf("HTTP %d: error %v, want it to contain %q", tc.status, err, tc.contains)
		}
		if err != nil && strings.Contains(err.Error(), "3515014101990001") {
			t.Errorf("HTTP %d: error leaks NIK: %v", tc.status, err)
		}
	}
}

func TestPersonalDataOnlyInBody(t *testing.T) {
	var seen *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"kpj":"23000000001"}`)
	}))
	defer srv.Close()
	r := registration("case-5/insurance")
	if _, err := bpjs.New(bpjs.Config{BaseURL: srv.URL}).Register(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	all := seen.URL.String()
	for k, v := range seen.Header {
		all += k + strings.Join(v, ",")
	}
	for _, pd := range []string{r.NIK, r.Name, r.Phone} {
		if strings.Contains(all, pd) {
			t.Errorf("personal data %q in URL or headers", pd)
		}
	}
	if got := seen.Header.Get("Idempotency-Key"); got != r.IdempotencyKey {
		t.Errorf("Idempotency-Key %q", got)
	}
}

func TestMissingIdempotencyKey(t *testing.T) {
	c := bpjs.New(bpjs.Config{BaseURL: "http://127.0.0.1:1"})
	if _, err := c.Register(context.Background(), registration("")); err == nil {
		t.Fatal("want error")
	}
}
