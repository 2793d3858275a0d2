package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// simPrefix is where `kompeten dev` serves the partner simulators on its HTTP address.
const simPrefix = "/sim"

// devClusterCheck is how often dev checks that its private PostgreSQL answers.
const devClusterCheck = 2 * time.Second

// RunDev starts everything in one process — PostgreSQL (configured, local or private), the
// embedded Temporal server and Web UI, the partner simulators, a worker and the HTTP API —
// and stops it all, in reverse order, when ctx is cancelled.
func RunDev(ctx context.Context, c *config.Config, logger *slog.Logger) (err error) {
	var stops []func(context.Context)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i](sctx)
		}
		if err == nil {
			logger.Info("stopped cleanly")
		}
	}()

	hashKey, err := HashKey(c, true)
	if err != nil {
		return err
	}
	if path, err := EnsurePayloadKey(c); err != nil {
		return err
	} else if path != "" {
		logger.Info("generated a payload encryption key", "component", "security", "file", path)
	}
	codecToken, err := CodecToken(c, true)
	if err != nil {
		return err
	}
	if len(c.Security.CodecOrigins) == 0 {
		c.Security.CodecOrigins = devUIOrigins(c.Dev.UIAddr)
	}
	// A bad payload key stops dev here, before anything is started that would need stopping.
	if _, err := temporalclient.Keyring(c); err != nil {
		return err
	}

	db, err := DevDatabase(ctx, c, logger)
	if err != nil {
		return err
	}
	stops = append(stops, func(ctx context.Context) {
		if err := db.Close(ctx); err != nil {
			logger.Warn("stop private PostgreSQL", "error", err)
		}
	})
	// A private cluster is dev's to keep: killed, or stopped by its earlier owner, it is
	// started again. The watch ends before the cluster is stopped.
	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { defer close(watched); db.Watch(watchCtx, logger, devClusterCheck) }()
	stops = append(stops, func(context.Context) { stopWatch(); <-watched })
	st, err := OpenStore(ctx, c, db.URL, true)
	if err != nil {
		return err
	}
	stops = append(stops, func(context.Context) { st.Close() })
	logger.Info("postgres ready", "component", "postgres", "source", db.Source, "url", config.MaskURL(db.URL))

	host, port, err := splitPort(c.Temporal.Address, "temporal.address")
	if err != nil {
		return err
	}
	_, uiPort, err := splitPort(c.Dev.UIAddr, "dev.ui_addr")
	if err != nil {
		return err
	}
	ts, err := devserver.Start(ctx, devserver.Options{
		DatabaseFile:     filepath.Join(c.DataDir, "temporal.db"),
		IP:               host,
		FrontendPort:     port,
		UIPort:           uiPort,
		Namespace:        c.Temporal.Namespace,
		SearchAttributes: workflows.SearchAttributes(),
		Logger:           logger,
		LogLevel:         slog.LevelWarn,
		// No token in the endpoint: the UI's settings are readable by anyone who reaches it. The
		// browser sends the pages' login cookie instead (same host, another port: cookies are
		// per host), which the codec admits for an operator or a coordinator.
		CodecEndpoint:           "http://" + browserHost(c.HTTP.Addr) + "/codec",
		CodecIncludeCredentials: true,
	})
	if err != nil {
		return err
	}
	stops = append(stops, func(context.Context) { ts.Stop() })
	logger.Info("temporal server ready", "component", "temporal", "address", ts.HostPort(), "namespace", ts.Namespace(), "db", filepath.Join(c.DataDir, "temporal.db"))
	if ui := ts.UIAddress(); ui != "" {
		logger.Info("temporal web ui ready", "component", "temporal-ui", "url", ui)
	}
	// The case pages link to the UI dev started, wherever dev.ui_addr put it.
	c.Temporal.WebUIURL = devWebUIURL(c.Temporal.WebUIURL, ts.UIAddress())

	tc, err := temporalclient.Dial(ctx, c, logger)
	if err != nil {
		return err
	}
	stops = append(stops, func(context.Context) { tc.Close() })

	// The simulators keep their state in the dev database, so a restart continues their numbering,
	// assessments and outages as it continues the journeys.
	base := "http://" + c.HTTP.Addr + simPrefix
	if c.Dev.Simulators {
		// Messages to trainees go to the WhatsApp (or SMS) simulator, which posts statuses back.
		if err := DevMessaging(c, base); err != nil {
			return err
		}
	}
	sims, err := NewSimulators(ctx, c, st.Pool())
	if err != nil {
		return err
	}
	if c.Dev.Simulators {
		if c.Partners.BPJS.BaseURL == "" {
			c.Partners.BPJS.BaseURL = base + "/bpjs"
		}
		if c.Partners.LSP.BaseURL == "" {
			c.Partners.LSP.BaseURL = base + "/lsp"
		}
	}

	// Ctrl-C stops dev at once: its partners are the simulators in this process, and the
	// drain (worker.stop_timeout) is for `kompeten worker` behind an orchestrator.
	wc := *c
	wc.Worker.StopTimeout = 0
	// With worker.versioning on, dev runs the only worker: its build is made current at every
	// start, or a rebuilt binary (a new build ID) would take no work.
	w, err := startWorker(&wc, tc, st, logger, true)
	if err != nil {
		return err
	}
	stops = append(stops, func(context.Context) { w.Stop() })
	logger.Info("worker ready", "component", "worker", "task_queue", c.Temporal.TaskQueue)

	svc, err := starter.New(tc, st, c, hashKey)
	if err != nil {
		return err
	}
	StartAgreements(ctx, svc, logger)
	routes := sims.Routes(simPrefix)
	if !c.Dev.Simulators {
		routes = nil
	}
	actorKey, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, true)
	if err != nil {
		return err
	}
	// The codec admits operators' and coordinators' API tokens and login sessions too, so it
	// waits for the store.
	codecHandler, err := CodecHandlerWithTokens(c, codecToken, st, actorKey)
	if err != nil {
		return err
	}
	tokenFile, created, err := EnsureDevToken(ctx, c, st)
	if err != nil {
		return err
	}
	logger.Info("api token of the dev coordinator: the CLI reads it from here; paste it at /login", "component", "security", "file", tokenFile, "new", created)
	hs, err := NewHTTPServer(c, svc, st, tc, logger, routes, WithCodec(codecHandler), WithAuth(st, actorKey, c.Security.SessionIdle))
	if err != nil {
		return err
	}
	admin, err := EnsureDevAccount(ctx, st)
	if err != nil {
		return err
	}
	switch {
	case admin.LinkPath != "":
		logger.Info("first coordinator account: open this one-time link to set its password, then log in at /login (the link is a secret, like the dev token)",
			"component", "security", "username", admin.Username, "link", "http://"+browserHost(hs.Addr())+admin.LinkPath,
			"expires", admin.ExpiresAt.Format(time.RFC3339), "new", admin.Created)
	case admin.Username != "":
		logger.Info("coordinator account: log in at /login; kompeten user reset admin prints a new one-time link", "component", "security",
			"username", admin.Username, "login", "http://"+browserHost(hs.Addr())+"/login")
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve() }()
	stops = append(stops, func(ctx context.Context) { _ = hs.Shutdown(ctx) })
	logger.Info("http api ready", "component", "http", "url", "http://"+hs.Addr(), "health", "http://"+hs.Addr()+"/healthz", "metrics", "http://"+hs.Addr()+"/metrics")
	logger.Info("codec endpoint ready: the web ui decodes payloads through it once you log in to the pages as an operator or coordinator", "component", "codec", "url", "http://"+hs.Addr()+"/codec", "login", "http://"+browserHost(hs.Addr())+"/login", "token_file", filepath.Join(c.DataDir, codecTokenFile))
	if c.Dev.Simulators {
		logger.Info("partner simulators ready", "component", "simulators", "bpjs", c.Partners.BPJS.BaseURL, "lsp", c.Partners.LSP.BaseURL+"/<LSP-CODE>",
			"whatsapp", c.Messaging.WhatsApp.BaseURL, "sms", c.Messaging.SMS.BaseURL, "messaging_channel", c.Messaging.Channel)
	}
	logger.Info("kompeten dev is up; press Ctrl-C to stop")

	select {
	case <-ctx.Done():
		logger.Info("shutting down")
		return nil
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	}
}

func splitPort(addr, key string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", key, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("%s: port %q is not a number", key, p)
	}
	return h, n, nil
}
