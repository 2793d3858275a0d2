package main

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
)

func newSimulateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "simulate",
		Short: "Serve the BPJS and LSP simulators alone (for a worker in another process)",
		Long: `Serves the partner simulators on simulators.addr: BPJS under /sim/bpjs and each LSP under
/sim/lsp/<CODE>. Their behaviour (latency, error rates, BK rate, schedule lead, result delay)
comes from the simulators.* configuration and can be changed at run time through
POST <base>/sim/config; POST <base>/sim/outage {"duration":"10m"} starts an outage.`,
		Example: `  kompeten simulate
  KOMPETEN_SIMULATORS_BPJS_ERROR_RATE=0.3 kompeten simulate
  curl -XPOST localhost:8090/sim/bpjs/sim/outage -d '{"duration":"10m"}'`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			sims, err := app.NewSimulators(c)
			if err != nil {
				return err
			}
			srv := &http.Server{Addr: c.Simulators.Addr, Handler: sims.Handler("/sim"), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-cmd.Context().Done()
				_ = srv.Close()
			}()
			logger.Info("simulators ready", "bpjs", "http://"+c.Simulators.Addr+"/sim/bpjs", "lsp", "http://"+c.Simulators.Addr+"/sim/lsp/<CODE>")
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
}
