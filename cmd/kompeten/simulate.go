package main

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
)

func newSimulateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "simulate",
		Short: "Serve the BPJS and LSP simulators alone (for a worker in another process)",
		Long: `Serves the partner simulators on simulators.addr: BPJS under /sim/bpjs and each LSP under
/sim/lsp/<CODE>. With database.url set they keep their state (registrations, numbering,
assessments, certificates, outages) in that database and continue there after a restart;
without it, in memory. Their behaviour (latency, error rates, BK rate, schedule lead, result delay)
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
			// With a database the simulators keep their state there and continue after a restart.
			var pool *pgxpool.Pool
			if c.Database.URL != "" {
				st, err := app.OpenStore(cmd.Context(), c, c.Database.URL, true)
				if err != nil {
					return err
				}
				defer st.Close()
				pool = st.Pool()
				logger.Info("simulators keep their state in PostgreSQL", "url", config.MaskURL(c.Database.URL))
			} else {
				logger.Info("simulators keep their state in memory only; set database.url to keep it across restarts")
			}
			sims, err := app.NewSimulators(cmd.Context(), c, pool)
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
