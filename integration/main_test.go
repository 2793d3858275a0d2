package integration

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

// workerProcessEnv makes the test binary run as a kompeten worker instead of the tests: the
// fault tests start it as a separate process so they can kill it with SIGKILL.
const workerProcessEnv = "KOMPETEN_IT_WORKER_PROCESS"

// TestMain runs the tests, or a worker process when the fault tests ask for one.
func TestMain(m *testing.M) {
	if os.Getenv(workerProcessEnv) != "" {
		os.Exit(runWorkerProcess())
	}
	os.Exit(m.Run())
}

// runWorkerProcess does what `kompeten worker` does (app.RunWorker, draining on SIGTERM), configured the same way (KOMPETEN_*
// environment variables), until SIGTERM or SIGINT; SIGKILL ends it wherever it is.
func runWorkerProcess() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "worker process:", err)
		return 1
	}
	c, err := config.Load(nil)
	if err != nil {
		return fail(err)
	}
	logger := app.NewLogger(c.Log, os.Stderr)
	st, err := app.OpenStore(ctx, c, c.Database.URL, false)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	tc, err := temporalclient.Dial(ctx, c, logger)
	if err != nil {
		return fail(err)
	}
	defer tc.Close()
	logger.Info("worker process ready", "pid", os.Getpid())
	if err := app.RunWorker(ctx, c, tc, st, logger); err != nil {
		return fail(err)
	}
	return 0
}
