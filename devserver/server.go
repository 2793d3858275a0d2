// Package devserver runs a complete Temporal server (frontend, history, matching and worker
// services) and the Temporal Web UI inside the kompeten process, persisting to a SQLite file,
// for `kompeten dev` and the integration tests. Production uses an external cluster instead.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"

	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
)

// Options configures the embedded server.
type Options struct {
	// DatabaseFile is the SQLite file; empty keeps everything in memory (tests).
	DatabaseFile string
	// IP to bind every service to; 127.0.0.1 unless the operator asks otherwise.
	IP string
	// FrontendPort is the gRPC port clients and workers dial; 0 picks a free one.
	FrontendPort int
	// UIPort serves the Temporal Web UI; 0 disables the UI.
	UIPort int
	// Namespace is created on first start.
	Namespace string
	// SearchAttributes are registered at every start, also on an existing file.
	SearchAttributes map[string]enumspb.IndexedValueType
	// Logger receives the server's warnings and errors.
	Logger *slog.Logger
	// LogLevel filters the server's own logs; it is very chatty below warn.
	LogLevel slog.Level
	// DynamicConfig overrides server dynamic configuration (tuning, tests).
	DynamicConfig map[string]any
	// NumHistoryShards is fixed when the file is created; 1 suits one process on SQLite.
	NumHistoryShards int32
	// SQLitePragmas are set on every connection to the file, over the defaults (journal mode,
	// synchronous, busy timeout); an empty value drops a default. For tuning (kompeten bench).
	SQLitePragmas map[string]string
	// SQLiteMaxConns bounds the connections to the file; 0 keeps the plugin's single connection.
	SQLiteMaxConns int
	// CodecEndpoint is the remote codec the Web UI decodes payloads through (kompeten's
	// /codec); empty shows payloads as stored, i.e. encrypted.
	CodecEndpoint string
	// CodecIncludeCredentials makes the Web UI send the browser's cookies for the codec's host
	// with each decode (kompeten's login session); the codec then needs no token of its own.
	CodecIncludeCredentials bool
}

// Server is a running embedded Temporal server.
type Server struct {
	opts     Options
	server   temporal.Server
	ui       *uiserver.Server
	hostPort string
}

// Start builds and starts the server and waits until its frontend answers and the namespace
// and search attributes are in place.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.IP == "" {
		o.IP = "127.0.0.1"
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.NumHistoryShards == 0 {
		o.NumHistoryShards = 1
	}
	if o.FrontendPort == 0 {
		p, err := freeport.Find(o.IP)
		if err != nil {
			return nil, err
		}
		o.FrontendPort = p
	}
	conf, err := o.serverConfig()
	if err != nil {
		return nil, err
	}
	dyn := dynamicconfig.StaticClient{
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 8096,
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// Newly registered search attributes become usable after the next refresh.
		dynamicconfig.NamespaceCacheRefreshInterval.Key(): 2 * time.Second,
		// Worker deployment versioning (worker.versioning, `kompeten release`): on by default in
		// server v1.32, set here so that a server upgrade that changes the default does not
		// silently stop versioned workers from getting tasks.
		dynamicconfig.EnableDeploymentVersions.Key():                   true,
		dynamicconfig.FrontendEnableWorkerVersioningWorkflowAPIs.Key(): true,
	}
	for k, v := range o.DynamicConfig {
		dyn[dynamicconfig.MakeKey(k)] = v
	}
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range conf.Services {
		hosts[primitives.ServiceName(name)] = static.SingleLocalHost(net.JoinHostPort(o.IP, strconv.Itoa(svc.RPC.GRPCPort)))
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(slogAdapter{log: o.Logger.With("component", "temporal"), level: o.LogLevel}),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("build temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	s := &Server{opts: o, server: srv, hostPort: net.JoinHostPort(o.IP, strconv.Itoa(o.FrontendPort))}
	if err := s.registerSearchAttributes(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	if o.UIPort > 0 {
		s.ui = uiserver.NewServer(uiserveroptions.WithConfigProvider(&uiconfig.Config{
			Host:                o.IP,
			Port:                o.UIPort,
			TemporalGRPCAddress: s.hostPort,
			EnableUI:            true,
			DefaultNamespace:    o.Namespace,
			CORS:                uiconfig.CORS{CookieInsecure: true},
			HideLogs:            true,
			DisableNewsFetch:    true, // no internet where this runs
			// The UI fetches <endpoint>/decode from the browser. ui-server v2.53.1 can add only its
			// own OIDC token (PassAccessToken) or the browser's cookies (IncludeCredentials): kompeten
			// uses the cookies, its pages' login session, so /api/v1/settings (which anyone who
			// reaches the UI can read) publishes no secret.
			Codec: uiconfig.Codec{Endpoint: o.CodecEndpoint, IncludeCredentials: o.CodecIncludeCredentials},
		}))
		go func() {
			if err := s.ui.Start(); err != nil && !errors.Is(err, errServerClosed) {
				o.Logger.Error("temporal web ui stopped", "error", err)
			}
		}()
	}
	return s, nil
}

// HostPort is the frontend address for SDK clients.
func (s *Server) HostPort() string { return s.hostPort }

// Namespace is the namespace the server was started with.
func (s *Server) Namespace() string { return s.opts.Namespace }

// UIAddress is the Web UI's base URL, or "" when the UI is off.
func (s *Server) UIAddress() string {
	if s.ui == nil {
		return ""
	}
	return "http://" + net.JoinHostPort(s.opts.IP, strconv.Itoa(s.opts.UIPort))
}

// Stop stops the UI and the server; running workflows stay in the SQLite file.
func (s *Server) Stop() {
	if s.ui != nil {
		s.ui.Stop()
	}
	if err := s.server.Stop(); err != nil {
		s.opts.Logger.Warn("stop temporal server", "error", err)
	}
}

// registerSearchAttributes adds any missing custom search attribute through the operator
// service. Attributes given at namespace creation are ignored when the SQLite file already
// exists, so this runs at every start.
func (s *Server) registerSearchAttributes(ctx context.Context) error {
	if len(s.opts.SearchAttributes) == 0 {
		return nil
	}
	c, err := dialWithRetry(ctx, s.hostPort, s.opts.Namespace)
	if err != nil {
		return err
	}
	defer c.Close()
	op := c.OperatorService()
	existing, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: s.opts.Namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range s.opts.SearchAttributes {
		if _, ok := existing.GetCustomAttributes()[name]; !ok {
			missing[name] = typ
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: s.opts.Namespace, SearchAttributes: missing,
	}); err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	// The frontend knows the new attributes only after its namespace cache refreshes; until
	// then starting a workflow with them fails, so wait here rather than fail the first cases.
	var query string
	for name := range missing {
		query = name + " IS NULL"
		break
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: s.opts.Namespace, Query: query})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("search attributes registered but not usable yet: %w", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// dialWithRetry waits for the freshly started frontend to accept the namespace.
func dialWithRetry(ctx context.Context, hostPort, namespace string) (client.Client, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: hostPort, Namespace: namespace, Logger: quietLogger{}})
		if err == nil {
			if _, err = c.CheckHealth(ctx, &client.CheckHealthRequest{}); err == nil {
				return c, nil
			}
			c.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("temporal frontend %s did not become ready: %w", hostPort, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (o Options) serverConfig() (*config.Config, error) {
	sqlConf := config.SQL{PluginName: sqliteplugin.PluginName}
	if o.DatabaseFile == "" {
		sqlConf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		sqlConf.DatabaseName = "kompeten-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	} else {
		// WAL lets readers (visibility) and the writer work at once, and with NORMAL sync (safe
		// with WAL) a commit does not wait for the disk. The plugin passes every attribute but a
		// few URI parameters to SQLite as a pragma under its own name: "_journal_mode" was an
		// unknown pragma, silently ignored, so the file ran in rollback-journal mode with a sync
		// per commit (BENCHMARKS.md, "Tuning": raw starts 57/s before, 141/s after).
		sqlConf.ConnectAttributes = map[string]string{
			"mode": "rwc", "journal_mode": "WAL", "synchronous": "NORMAL", "busy_timeout": "10000",
		}
		for k, v := range o.SQLitePragmas {
			if v == "" {
				delete(sqlConf.ConnectAttributes, k)
			} else {
				sqlConf.ConnectAttributes[k] = v
			}
		}
		if o.SQLiteMaxConns > 0 {
			sqlConf.MaxConns, sqlConf.MaxIdleConns = o.SQLiteMaxConns, o.SQLiteMaxConns
		}
		sqlConf.DatabaseName = o.DatabaseFile
		if _, err := os.Stat(o.DatabaseFile); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(o.DatabaseFile), 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			if err := sqliteschema.SetupSchema(&sqlConf); err != nil {
				return nil, fmt.Errorf("set up temporal schema in %s: %w", o.DatabaseFile, err)
			}
		}
		// It holds every case's history: the owner's alone (a file from an older release too).
		if err := os.Chmod(o.DatabaseFile, 0o600); err != nil {
			return nil, fmt.Errorf("make %s private: %w", o.DatabaseFile, err)
		}
	}
	// Attributes given here only take effect when the namespace is created; registerSearchAttributes
	// covers an existing file.
	ns, err := sqliteschema.NewNamespaceConfig("active", o.Namespace, false, o.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("namespace config: %w", err)
	}
	if err := sqliteschema.CreateNamespaces(&sqlConf, ns); err != nil {
		return nil, fmt.Errorf("create namespace %s: %w", o.Namespace, err)
	}

	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = o.IP
	conf.Persistence.DefaultStore = "sqlite-default"
	conf.Persistence.VisibilityStore = "sqlite-default"
	conf.Persistence.NumHistoryShards = o.NumHistoryShards
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite-default": {SQL: &sqlConf}}
	httpPort, err := freeport.Find(o.IP)
	if err != nil {
		return nil, err
	}
	frontend := net.JoinHostPort(o.IP, strconv.Itoa(o.FrontendPort))
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        "active",
		CurrentClusterName:       "active",
		ClusterInformation: map[string]cluster.ClusterInformation{
			"active": {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
				HTTPAddress:            net.JoinHostPort(o.IP, strconv.Itoa(httpPort)),
				// A fixed UUID: the server regenerates (and warns about) anything else.
				ClusterID: "6b6f6d70-6574-656e-2d64-657600000001",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		var svc config.Service
		svc.RPC.BindOnIP = o.IP
		if name == "frontend" {
			svc.RPC.GRPCPort = o.FrontendPort
			svc.RPC.HTTPPort = httpPort
		} else {
			p, err := freeport.Find(o.IP)
			if err != nil {
				return nil, err
			}
			svc.RPC.GRPCPort = p
		}
		conf.Services[name] = svc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend
	return &conf, nil
}
