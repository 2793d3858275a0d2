package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// system is kompeten running in this process as `kompeten dev` runs it: the embedded server on
// a SQLite file, the simulators, the worker and the HTTP API, plus a worker for the engine
// baseline on a task queue of its own.
type system struct {
	cfg    *config.Config
	store  *store.Store
	server *devserver.Server
	tc     client.Client
	svc    *starter.Service
	sims   *app.Simulators
	apiURL string
	stops  []func()
}

// startSystem brings everything up; stop takes it down in reverse order.
func startSystem(ctx context.Context, c *config.Config, dbURL string, so ServerOptions, logger *slog.Logger) (_ *system, err error) {
	s := &system{cfg: c}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	st, err := app.OpenStore(ctx, c, dbURL, true)
	if err != nil {
		return nil, err
	}
	s.store = st
	s.stops = append(s.stops, st.Close)

	srv, err := devserver.Start(ctx, devserver.Options{
		DatabaseFile:     filepath.Join(c.DataDir, "temporal.db"),
		Namespace:        c.Temporal.Namespace,
		SearchAttributes: workflows.SearchAttributes(),
		Logger:           logger,
		LogLevel:         slog.LevelError,
		DynamicConfig:    so.DynamicConfig,
		NumHistoryShards: so.HistoryShards,
		SQLitePragmas:    so.SQLitePragmas,
		SQLiteMaxConns:   so.SQLiteMaxConns,
	})
	if err != nil {
		return nil, err
	}
	s.server = srv
	s.stops = append(s.stops, srv.Stop)
	c.Temporal.Address = srv.HostPort()

	// In memory: the partners' own bookkeeping stays off the database whose load is measured.
	sims, err := app.NewSimulators(ctx, c, nil)
	if err != nil {
		return nil, err
	}
	s.sims = sims
	simURL, stopSims, err := serve(sims.Handler("/sim"))
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, stopSims)
	c.Partners.BPJS.BaseURL = simURL + "/sim/bpjs"
	c.Partners.LSP.BaseURL = simURL + "/sim/lsp"

	// Payloads are encrypted as in `kompeten dev`, with a key generated in the run's directory.
	if _, err := app.EnsurePayloadKey(c); err != nil {
		return nil, err
	}
	var dialOpts []temporalclient.Option
	if so.NoGRPCCompression {
		dialOpts = append(dialOpts, func(o *client.Options) { o.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{} })
	}
	tc, err := temporalclient.Dial(ctx, c, logger, dialOpts...)
	if err != nil {
		return nil, err
	}
	s.tc = tc
	s.stops = append(s.stops, tc.Close)

	// The bench stops with journeys in flight against its own simulators: no drain.
	wc := *c
	wc.Worker.StopTimeout = 0
	w, err := app.StartWorker(&wc, tc, st, logger)
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, w.Stop)
	// The baseline's worker gets the journeys' worker tuning, so both run on equal terms.
	ew := sdkworker.New(tc, EngineTaskQueue, app.WorkerOptions(c).SDK())
	RegisterEngine(ew)
	if err := ew.Start(); err != nil {
		return nil, fmt.Errorf("start engine baseline worker: %w", err)
	}
	s.stops = append(s.stops, ew.Stop)

	key, err := app.HashKey(c, false)
	if err != nil {
		return nil, err
	}
	svc, err := starter.New(tc, st, c, key)
	if err != nil {
		return nil, err
	}
	s.svc = svc
	// The API asks for tokens and signs actors as in `kompeten dev`: the people of the benchmark
	// pay what people pay.
	actorKey, err := auth.LoadActorKey(c.Security.ActorKey, c.DataDir, true)
	if err != nil {
		return nil, err
	}
	hs, err := app.NewHTTPServer(c, svc, st, tc, logger, nil, app.WithAuth(st, actorKey, c.Security.SessionIdle))
	if err != nil {
		return nil, err
	}
	go func() {
		if err := hs.Serve(); err != nil {
			logger.Error("bench http api stopped", "error", err)
		}
	}()
	s.stops = append(s.stops, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	})
	s.apiURL = "http://" + hs.Addr()
	return s, nil
}

// token creates an API token with a role and scopes and returns it.
func (s *system) token(ctx context.Context, name string, role vocab.Role, scopes ...string) (string, error) {
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", fmt.Errorf("token for %s: %w", name, err)
	}
	if _, err := s.store.CreateToken(ctx, name, role, scopes, hash); err != nil {
		return "", fmt.Errorf("token for %s: %w", name, err)
	}
	return token, nil
}

// stop takes the system down in reverse order of start.
func (s *system) stop() {
	for i := len(s.stops) - 1; i >= 0; i-- {
		s.stops[i]()
	}
	s.stops = nil
}

// serve runs h on a free local port.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen for the simulators: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the run fails on its own when the simulators are gone
		}
	}()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
