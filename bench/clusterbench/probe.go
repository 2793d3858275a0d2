package clusterbench

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/internal/tcluster"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// searchAttributesEverywhere waits until every node takes a workflow start carrying each of
// kompeten's search attributes. `kompeten setup` adds them through one node; another learns
// them at its namespace cache refresh and refuses starts until then, so the import must wait
// (integration/cluster_test.go does the same). The probes go to a task queue nobody polls and
// are terminated at once; eight per node reach the history shards of every node too.
func searchAttributesEverywhere(ctx context.Context, cluster *tcluster.Cluster, namespace string) error {
	sa := temporal.NewSearchAttributes(workflows.SACentre.ValueSet("probe"), workflows.SAPackage.ValueSet("probe"),
		workflows.SALSP.ValueSet("probe"), workflows.SAStage.ValueSet("probe"), workflows.SAWaitingOn.ValueSet("probe"),
		workflows.SAOutcome.ValueSet("probe"), workflows.SAStuck.ValueSet(false), workflows.SAStageEntered.ValueSet(time.Now()))
	for _, node := range cluster.Nodes {
		c, err := client.Dial(client.Options{HostPort: node.Frontend, Namespace: namespace, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		if err != nil {
			return fmt.Errorf("dial node %d: %w", node.N, err)
		}
		n, ok := 0, 0
		err = waitFor(ctx, 2*time.Minute, fmt.Sprintf("node %d to take kompeten's search attributes", node.N), func() (bool, error) {
			n++
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: fmt.Sprintf("sa-probe-node-%d-%d", node.N, n), TaskQueue: "sa-probe", TypedSearchAttributes: sa}, "SearchAttributeProbe")
			if err != nil {
				return false, err
			}
			_ = c.TerminateWorkflow(ctx, run.GetID(), run.GetRunID(), "search attribute probe")
			ok++
			return ok >= 8, nil
		})
		c.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
