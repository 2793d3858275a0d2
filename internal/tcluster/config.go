package tcluster

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"text/template"
)

// services are the server's four services; every node runs them all.
var services = []string{"frontend", "history", "matching", "worker"}

// ports are one node's listening ports: a gRPC and a membership (ringpop) port per service,
// and the frontend's HTTP API.
type ports struct {
	GRPC, Membership map[string]int
	HTTP             int
}

// allocPorts picks free loopback ports for every node, none twice. They are below 32768: the
// membership table keeps a node's port in a smallint (a node on port 62916 died with "value out
// of range for type smallint"), and Linux's ephemeral range starts there, so no outgoing
// connection takes a port between the pick and the server's bind (see internal/freeport).
func allocPorts(nodes int) ([]ports, error) {
	taken := map[int]bool{}
	next := func() (int, error) {
		for range 200 {
			p := 10000 + rand.IntN(32768-10000)
			if taken[p] {
				continue
			}
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				continue // in use
			}
			l.Close()
			taken[p] = true
			return p, nil
		}
		return 0, fmt.Errorf("no free port below 32768 on 127.0.0.1")
	}
	all := make([]ports, nodes)
	for i := range all {
		p := ports{GRPC: map[string]int{}, Membership: map[string]int{}}
		for _, s := range services {
			var err error
			if p.GRPC[s], err = next(); err != nil {
				return nil, err
			}
			if p.Membership[s], err = next(); err != nil {
				return nil, err
			}
		}
		var err error
		if p.HTTP, err = next(); err != nil {
			return nil, err
		}
		all[i] = p
	}
	return all, nil
}

// frontend is the node's frontend gRPC address.
func (p ports) frontend() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.GRPC["frontend"]))
}

// configData fills the node configuration template.
type configData struct {
	Ports                   ports
	Services                []string
	Shards                  int
	PostgresAddr, User      string
	Password                string
	Persistence, Visibility string
	ClusterAddress          string
	DynamicConfig           string
	LogLevel                string
	Pools                   Pools
}

// nodeConfig is config/development-postgres12.yaml of the server module, cut to what a
// cluster on loopback needs: PostgreSQL persistence and SQL visibility, few history shards,
// membership on 127.0.0.1 with this node's own ports, no metrics or pprof listeners (two nodes
// on one machine would fight over them), no archival. The connection pools are small: every
// service of a node (frontend, history, matching, worker) opens its own, so two nodes with the
// development config's 20 + 5 could hold 200 connections, twice PostgreSQL's default
// max_connections, beside the tests' own databases.
var nodeConfig = template.Must(template.New("node").Parse(`log:
  stdout: true
  level: {{.LogLevel}}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: {{.Shards}}
  datastores:
    postgres-default:
      sql:
        pluginName: "postgres12"
        databaseName: {{printf "%q" .Persistence}}
        connectAddr: {{printf "%q" .PostgresAddr}}
        connectProtocol: "tcp"
        user: {{printf "%q" .User}}
        password: {{printf "%q" .Password}}
        maxConns: {{.Pools.PersistenceConns}}
        maxIdleConns: {{.Pools.PersistenceIdle}}
        maxConnLifetime: "1h"
    postgres-visibility:
      sql:
        pluginName: "postgres12"
        databaseName: {{printf "%q" .Visibility}}
        connectAddr: {{printf "%q" .PostgresAddr}}
        connectProtocol: "tcp"
        user: {{printf "%q" .User}}
        password: {{printf "%q" .Password}}
        maxConns: {{.Pools.VisibilityConns}}
        maxIdleConns: {{.Pools.VisibilityIdle}}
        maxConnLifetime: "1h"

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
{{- range $s := .Services}}
  {{$s}}:
    rpc:
      grpcPort: {{index $.Ports.GRPC $s}}
      membershipPort: {{index $.Ports.Membership $s}}
      bindOnIP: "127.0.0.1"
{{- if eq $s "frontend"}}
      httpPort: {{$.Ports.HTTP}}
{{- end}}
{{- end}}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "{{.ClusterAddress}}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: {{printf "%q" .DynamicConfig}}
  pollInterval: "10s"
`))

// dynamicConfig is the cluster's dynamic configuration: the settings kompeten's embedded
// server runs with (devserver), so journeys behave the same on both.
const dynamicConfig = `history.hostLevelCacheMaxSize:
  - value: 8096
frontend.namespaceRPS.visibility:
  - value: 100
system.namespaceCacheRefreshInterval:
  - value: 2s
limit.maxIDLength:
  - value: 255
`

// writeConfigs writes dynamicconfig.yaml and node-<i>.yaml for every node into dir.
func writeConfigs(dir string, o Options, pg Postgres, all []ports) ([]string, error) {
	o.defaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dyn := filepath.Join(dir, "dynamicconfig.yaml")
	if err := os.WriteFile(dyn, []byte(dynamicConfig), 0o644); err != nil {
		return nil, err
	}
	addr, err := pg.addr()
	if err != nil {
		return nil, err
	}
	_, _, user, password, err := pg.endpoint()
	if err != nil {
		return nil, err
	}
	var files []string
	for i, p := range all {
		path := filepath.Join(dir, fmt.Sprintf("node-%d.yaml", i+1))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) // it holds the password
		if err != nil {
			return nil, err
		}
		err = nodeConfig.Execute(f, configData{
			Ports: p, Services: services, Shards: o.Shards,
			PostgresAddr: addr, User: user, Password: password,
			Persistence: o.PersistenceDB, Visibility: o.VisibilityDB,
			ClusterAddress: all[0].frontend(), DynamicConfig: dyn, LogLevel: o.LogLevel, Pools: o.Pools,
		})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		files = append(files, path)
	}
	return files, nil
}
