package app

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync/atomic"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// Probes answers the orchestrator's probes: GET /livez (the process is alive: always 200, no
// dependency is asked, so a database outage never gets a process restarted) and GET /readyz
// (send work here: every dependency answers and the process is not draining; 503 otherwise).
// /healthz stays as it was (the API's dependency report).
type Probes struct {
	checks   map[string]api.Checker
	draining atomic.Bool
}

// NewProbes checks the named dependencies on /readyz.
func NewProbes(checks map[string]api.Checker) *Probes { return &Probes{checks: checks} }

// Drain makes /readyz answer 503 from now on (a worker stopping on SIGTERM).
func (p *Probes) Drain() { p.draining.Store(true) }

// Register mounts /livez and /readyz on mux.
func (p *Probes) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, _ *http.Request) {
		writeProbe(w, http.StatusOK, api.Health{Status: "ok", Components: map[string]api.ComponentHealth{}})
	})
	mux.HandleFunc("GET /readyz", p.ready)
}

func (p *Probes) ready(w http.ResponseWriter, r *http.Request) {
	if p.draining.Load() {
		writeProbe(w, http.StatusServiceUnavailable, api.Health{Status: "draining", Components: map[string]api.ComponentHealth{}})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	h := api.Health{Status: "ok", Components: map[string]api.ComponentHealth{}}
	names := make([]string, 0, len(p.checks))
	for n := range p.checks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := p.checks[n](ctx); err != nil {
			h.Status = "degraded"
			h.Components[n] = api.ComponentHealth{Status: "down", Error: err.Error()}
			continue
		}
		h.Components[n] = api.ComponentHealth{Status: "up"}
	}
	status := http.StatusOK
	if h.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	writeProbe(w, status, h)
}

func writeProbe(w http.ResponseWriter, status int, h api.Health) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(h)
}
