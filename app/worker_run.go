package app

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// RunWorker is `kompeten worker` once connected: it runs the journeys, serves /metrics, /livez
// and /readyz on metrics.addr (when set), and when ctx ends (SIGTERM, SIGINT) drains: /readyz
// turns 503, polling stops at once, and running activities (a partner call, say) may finish
// for up to worker.stop_timeout before they are cancelled (and retried by another worker).
func RunWorker(ctx context.Context, c *config.Config, tc client.Client, st *store.Store, logger *slog.Logger) error {
	w, err := StartWorker(c, tc, st, logger)
	if err != nil {
		return err
	}
	probes := NewProbes(DependencyChecks(st, tc))
	if c.Metrics.Addr != "" {
		ms, err := StartMetricsServer(c.Metrics.Addr, logger, probes)
		if err != nil {
			w.Stop()
			return err
		}
		defer func() { _ = ms.Shutdown(context.Background()) }()
		logger.Info("metrics ready", "url", "http://"+ms.Addr()+"/metrics")
	}
	logger.Info("worker ready", "temporal", c.Temporal.Address, "namespace", c.Temporal.Namespace, "task_queue", c.Temporal.TaskQueue)
	<-ctx.Done()
	probes.Drain()
	logger.Info("draining worker: polling stopped, running activities may finish", "limit", c.Worker.StopTimeout)
	start := time.Now()
	w.Stop()
	logger.Info("worker stopped", "took", time.Since(start).Round(time.Millisecond))
	return nil
}
