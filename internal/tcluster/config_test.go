package tcluster

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

// Each node's configuration is YAML the server reads: PostgreSQL persistence and SQL
// visibility on the named databases, every service on ports of its own below 32768 (the
// membership table's smallint), the same cluster address on every node, and a password with a
// quote in it quoted.
func TestNodeConfigs(t *testing.T) {
	all, err := allocPorts(2)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{PersistenceDB: "p_db", VisibilityDB: "v_db", Pools: Pools{PersistenceConns: 10, PersistenceIdle: 9, VisibilityConns: 3, VisibilityIdle: 2}}
	o.defaults()
	files, err := writeConfigs(t.TempDir(), o, Postgres{URL: "postgres://u:se%22cret@127.0.0.1:5433/postgres"}, all)
	if err != nil {
		t.Fatal(err)
	}
	used := map[int]string{}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Persistence struct {
				NumHistoryShards int `yaml:"numHistoryShards"`
				Datastores       map[string]struct {
					SQL struct {
						PluginName   string `yaml:"pluginName"`
						DatabaseName string `yaml:"databaseName"`
						ConnectAddr  string `yaml:"connectAddr"`
						User         string `yaml:"user"`
						Password     string `yaml:"password"`
						MaxConns     int    `yaml:"maxConns"`
						MaxIdleConns int    `yaml:"maxIdleConns"`
					} `yaml:"sql"`
				}
			}
			Services map[string]struct {
				RPC struct {
					GRPCPort       int `yaml:"grpcPort"`
					MembershipPort int `yaml:"membershipPort"`
					HTTPPort       int `yaml:"httpPort"`
				} `yaml:"rpc"`
			}
			ClusterMetadata struct {
				ClusterInformation map[string]struct {
					RPCAddress string `yaml:"rpcAddress"`
				} `yaml:"clusterInformation"`
			} `yaml:"clusterMetadata"`
		}
		if err := yaml.Unmarshal(b, &c); err != nil {
			t.Fatalf("node %d: %v\n%s", i+1, err, b)
		}
		if c.Persistence.NumHistoryShards != 4 {
			t.Errorf("node %d: %d shards", i+1, c.Persistence.NumHistoryShards)
		}
		p, v := c.Persistence.Datastores["postgres-default"].SQL, c.Persistence.Datastores["postgres-visibility"].SQL
		if p.DatabaseName != "p_db" || v.DatabaseName != "v_db" || p.PluginName != "postgres12" || v.PluginName != "postgres12" ||
			p.ConnectAddr != "127.0.0.1:5433" || p.User != "u" || p.Password != `se"cret` {
			t.Errorf("node %d: persistence %+v, visibility %+v", i+1, p, v)
		}
		if p.MaxConns != 10 || p.MaxIdleConns != 9 || v.MaxConns != 3 || v.MaxIdleConns != 2 {
			t.Errorf("node %d: pools %d/%d and %d/%d, want 10/9 and 3/2", i+1, p.MaxConns, p.MaxIdleConns, v.MaxConns, v.MaxIdleConns)
		}
		if got := c.ClusterMetadata.ClusterInformation["active"].RPCAddress; got != all[0].frontend() {
			t.Errorf("node %d: cluster address %q, want node 1's frontend %s", i+1, got, all[0].frontend())
		}
		if len(c.Services) != len(services) {
			t.Errorf("node %d runs %d services, want %v", i+1, len(c.Services), services)
		}
		for name, s := range c.Services {
			for _, port := range []int{s.RPC.GRPCPort, s.RPC.MembershipPort, s.RPC.HTTPPort} {
				if port == 0 {
					continue
				}
				if port >= 32768 {
					t.Errorf("node %d %s: port %d, want below 32768", i+1, name, port)
				}
				if prev, ok := used[port]; ok {
					t.Errorf("node %d %s: port %d already used by %s", i+1, name, port, prev)
				}
				used[port] = name
			}
		}
	}
}
