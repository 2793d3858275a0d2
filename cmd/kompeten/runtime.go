package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
)

func addConfigFlags(root *cobra.Command) {
	config.RegisterFlags(root.PersistentFlags())
}

func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	return config.Load(cmd.Flags())
}

func newDevCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dev",
		Short: "Run everything in one process: Temporal + Web UI, PostgreSQL, worker, API, simulators",
		Long: `Runs the whole system on this machine: an embedded Temporal server persisting to
<data-dir>/temporal.db with its Web UI, PostgreSQL (database.url, else the local server on
127.0.0.1:5432, else a private cluster in <data-dir>/postgres), the worker, the HTTP API and the
BPJS and LSP simulators. Ctrl-C stops it all; running journeys continue at the next start.`,
		Example: `  kompeten dev
  kompeten dev --http-addr 127.0.0.1:9090 --data-dir /var/lib/kompeten
  KOMPETEN_CONFIG=examples/demo.yaml kompeten dev`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if err := fillBuildID(c, currentVersion()); err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			return app.RunDev(cmd.Context(), c, logger)
		},
	}
}

func newWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run a worker against an existing Temporal cluster and PostgreSQL",
		Long: `Runs the journeys' workflows and activities. Run as many as the load needs; they share
the task queue (temporal.task_queue). Needs temporal.address and database.url. On SIGTERM it
drains: polling stops and running activities may finish for up to worker.stop_timeout.`,
		Example: `  KOMPETEN_TEMPORAL_ADDRESS=temporal.internal:7233 KOMPETEN_DATABASE_URL=postgres://kompeten@db/kompeten kompeten worker`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if err := requireWorkerConfig(c); err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			ctx := cmd.Context()
			st, err := app.OpenProductionStore(ctx, c, false)
			if err != nil {
				return err
			}
			defer st.Close()
			tc, err := temporalclient.Dial(ctx, c, logger)
			if err != nil {
				return err
			}
			defer tc.Close()
			if err := app.CheckNamespace(ctx, c, tc); err != nil {
				return err
			}
			return app.RunWorker(ctx, c, tc, st, logger)
		},
	}
}

func newServeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API against an existing Temporal cluster and PostgreSQL",
		Example: `  KOMPETEN_TEMPORAL_ADDRESS=temporal.internal:7233 KOMPETEN_DATABASE_URL=postgres://kompeten@db/kompeten \
  KOMPETEN_SECURITY_NIK_HASH_KEY=$(cat /etc/kompeten/nik-hash.key) kompeten serve --http-addr 0.0.0.0:8080`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if err := requireServeConfig(c); err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			ctx := cmd.Context()
			key, err := app.HashKey(c, false)
			if err != nil {
				return err
			}
			actorKey, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, false)
			if err != nil {
				return err
			}
			st, err := app.OpenProductionStore(ctx, c, c.Database.MigrateOnStart)
			if err != nil {
				return err
			}
			defer st.Close()
			tc, err := temporalclient.Dial(ctx, c, logger)
			if err != nil {
				return err
			}
			defer tc.Close()
			if err := app.CheckNamespace(ctx, c, tc); err != nil {
				return err
			}
			svc, err := starter.New(tc, st, c, key)
			if err != nil {
				return err
			}
			app.StartAgreements(ctx, svc, logger)
			codecToken, err := app.CodecToken(c, false)
			if err != nil {
				return err
			}
			codecHandler, err := app.CodecHandlerWithTokens(c, codecToken, st, actorKey)
			if err != nil {
				return err
			}
			hs, err := app.NewHTTPServer(c, svc, st, tc, logger, nil, app.WithCodec(codecHandler), app.WithAuth(st, actorKey, c.Security.SessionIdle))
			if err != nil {
				return err
			}
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve() }()
			logger.Info("http api ready", "url", "http://"+hs.Addr())
			select {
			case <-ctx.Done():
			case err := <-errc:
				return err
			}
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return hs.Shutdown(sctx)
		},
	}
}

func newMigrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the PostgreSQL schema up to date and load the registry seed",
		Long: `Applies the migrations embedded in the binary and loads the institutions of the registry
(19 centres, BPJS Ketenagakerjaan, five LSPs and their MoUs). Safe to run again: nothing is
applied or created twice. kompeten dev does this at every start.`,
		Example: `  KOMPETEN_DATABASE_URL=postgres://kompeten@db/kompeten kompeten migrate`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			logger := app.NewLogger(c.Log, os.Stderr)
			ctx := cmd.Context()
			url := c.Database.URL
			if url == "" {
				db, err := app.DevDatabase(ctx, c, logger)
				if err != nil {
					return err
				}
				defer func() { _ = db.Close(context.Background()) }()
				url = db.URL
			}
			st, err := app.OpenStore(ctx, c, url, true)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.CountCentres(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "schema up to date at %s; %d centres in the registry\n", config.MaskURL(url), n)
			return nil
		},
	}
}

func newConfigCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (secrets masked)",
		Long: `Prints the configuration kompeten would run with: defaults, then the file (kompeten.yaml or
--config), then KOMPETEN_* environment variables, then flags. Secrets are masked.`,
		Example: `  kompeten config
  KOMPETEN_HTTP_ADDR=0.0.0.0:9000 kompeten config --data-dir /srv/kompeten`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			b, err := c.YAML()
			if err != nil {
				return err
			}
			if f := c.File(); f != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "# configuration file: %s\n", f)
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), "# no configuration file; defaults, environment and flags")
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	}
}
