package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/metrics"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// CaseCounts reads the case gauges of /metrics from the read model.
func CaseCounts(st *store.Store) metrics.CaseSource {
	return func(ctx context.Context) ([]metrics.CaseCount, error) {
		groups, err := st.CaseGroups(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]metrics.CaseCount, len(groups))
		for i, g := range groups {
			out[i] = metrics.CaseCount{Centre: g.Centre, Stage: g.Stage, StuckCode: g.StuckCode, WaitingOn: g.WaitingOn, N: g.N}
		}
		return out, nil
	}
}

// MetricsServer serves GET /metrics, /livez and /readyz for `kompeten worker` (metrics.addr).
type MetricsServer struct {
	srv *http.Server
	ln  net.Listener
}

// StartMetricsServer listens on addr and serves the process's metrics, and probes' /livez and
// /readyz when given, until Shutdown.
func StartMetricsServer(addr string, logger *slog.Logger, probes *Probes) (*MetricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics.addr: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Default.Handler())
	if probes != nil {
		probes.Register(mux)
	}
	m := &MetricsServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go func() {
		if err := m.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics endpoint stopped", "error", err)
		}
	}()
	return m, nil
}

// Addr is the bound address.
func (m *MetricsServer) Addr() string { return m.ln.Addr().String() }

// Shutdown stops the endpoint.
func (m *MetricsServer) Shutdown(ctx context.Context) error { return m.srv.Shutdown(ctx) }
