package integration

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/bench/clusterbench"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
)

// `kompeten bench cluster` at N = 200 (about half a minute with the server cached): the tool
// behind BENCHMARKS.md's 50,000-journey figures starts the two-node cluster, serve, workers and
// simulators, imports the cohort, approves through the API and measures; every figure it
// reports must come from the run.
func TestBenchClusterSmall(t *testing.T) {
	bin := buildKompetenErr(t.TempDir())
	if strings.HasPrefix(bin, "error:") {
		t.Fatal(bin)
	}
	pgURL := maintenanceURL(t, testdb.New(t))
	cmd := exec.Command(bin, "bench", "cluster", "--n", "200", "--step-approvals", "10", "--approvals", "20", "--postgres", pgURL, "--dir", t.TempDir(), "-o", "json")
	// The test's own KOMPETEN_* settings must not reach the tool: it writes its own.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KOMPETEN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("kompeten bench cluster: %v\n%s", err, stderr)
	}
	var rep clusterbench.Report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if len(rep.Steps) != 1 {
		t.Fatalf("%d steps, want 1: %s", len(rep.Steps), out)
	}
	s := rep.Steps[0]
	if s.Open != 200 || s.Imported != 200 || s.ImportRate <= 0 || s.SettleSeconds < s.ImportSeconds {
		t.Errorf("import: %+v", s)
	}
	if s.Approval.Count != 20 || s.Approval.Errors != 0 || s.Approval.P99 <= 0 {
		t.Errorf("approvals: %+v", s.Approval)
	}
	if len(s.WorkerRSS) != 2 || s.WorkerRSS[0] == 0 || s.StickyCache < 200 || len(s.NodeRSS) != 2 || s.NodeRSS[1] == 0 {
		t.Errorf("memory: workers %v, sticky cache %.0f, nodes %v", s.WorkerRSS, s.StickyCache, s.NodeRSS)
	}
	if s.CPU.Nodes <= rep.Baseline.CPU.Nodes || s.CPU.Workers <= rep.Baseline.CPU.Workers || s.CPU.Serve <= 0 {
		t.Errorf("CPU before %+v, after %+v: the import costs every process some", rep.Baseline.CPU, s.CPU)
	}
	if s.DB.TemporalBytes <= rep.Baseline.DB.TemporalBytes || s.DB.KompetenConns == 0 || s.Shards.Configured != 16 || s.Shards.Used == 0 {
		t.Errorf("databases %+v, shards %+v", s.DB, s.Shards)
	}
}
