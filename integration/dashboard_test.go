package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// dashboardMetrics reads every metric name the Grafana dashboard's queries use.
func dashboardMetrics(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../dashboards/kompeten.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("dashboards/kompeten.json: %v", err)
	}
	// Metric names are the identifiers followed by a selector, a range or a closing bracket
	// that are not PromQL functions or label names (labels here are all lower-case words
	// without the prefixes below).
	name := regexp.MustCompile(`\b(?:kompeten|temporal|process)_[a-z_]+\b`)
	seen := map[string]bool{}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				seen[m] = true
			}
		}
	}
	if len(seen) < 10 {
		t.Fatalf("the dashboard queries only %d metrics: %v", len(seen), seen)
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// exported lists the metric names of a Prometheus text scrape.
func exported(body string) map[string]bool {
	names := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

// Every metric the Grafana dashboard (dashboards/kompeten.json) queries is on a running
// kompeten's /metrics, served as `serve` serves it: a case stuck waiting for its enrolment
// approval (the stuck panels), then approved through the API (approval latency), a BPJS
// registration that fails once and is retried (partner errors and latency), and the worker's
// Temporal SDK metrics under their standard names.
func TestDashboardMetricsAreExported(t *testing.T) {
	var failed atomic.Bool
	failOnce := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isPost("/sim/bpjs/v1/registrations")(r) && failed.CompareAndSwap(false, true) {
				http.Error(w, "simulated outage", http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	cfg := fastConfig(t)
	cfg.SLA.EnrolmentApproval = time.Second
	cfg.Metrics.CaseRefresh = 0
	sys := startSystemWith(t, cfg, systemOptions{Auth: true, WrapSimulators: failOnce, ServerLogLevel: slog.LevelError})
	hc := *cfg
	hc.HTTP.Addr = "127.0.0.1:0"
	hs, err := app.NewHTTPServer(&hc, sys.svc, sys.store, sys.tc, sys.logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve() }()
	t.Cleanup(func() { _ = hs.Shutdown(context.Background()) })
	scrape := func() map[string]bool {
		resp, err := http.Get("http://" + hs.Addr() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /metrics: %d %s", resp.StatusCode, b)
		}
		return exported(string(b))
	}

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-DASH", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339)})
	ids := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 1))
	seen := map[string]bool{}
	eventually(t, 30*time.Second, "case stuck waiting for its enrolment approval, on /metrics", func() (bool, string) {
		for m := range scrape() {
			seen[m] = true
		}
		return seen["kompeten_cases_stuck"], "kompeten_cases_stuck not exported yet"
	})
	admin := workflows.Actor{ID: "admin-1", Role: vocab.RoleCentreAdmin}
	if _, err := sys.client().DecideEnrolment(context.Background(), ids[0], workflows.EnrolmentDecision{Actor: admin, Approve: true}); err != nil {
		t.Fatal(err)
	}
	sys.caseIn(ids[0], vocab.StageTraining, time.Minute)
	if !failed.Load() {
		t.Fatal("no registration call failed: the partner error panels are not exercised")
	}

	want := dashboardMetrics(t)
	eventually(t, 30*time.Second, "every metric the dashboard queries on /metrics", func() (bool, string) {
		for m := range scrape() {
			seen[m] = true
		}
		var missing []string
		for _, m := range want {
			if !seen[m] {
				missing = append(missing, m)
			}
		}
		return len(missing) == 0, fmt.Sprintf("missing %v", missing)
	})
	t.Logf("the dashboard's %d metrics are exported: %v", len(want), want)
}
