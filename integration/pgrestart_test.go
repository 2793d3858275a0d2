package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/pgcluster"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// PostgreSQL (a private cluster, so no other test is disturbed) is shut down while a cohort is
// being insured and started again on the same data directory and port. The journeys' partner
// calls (which read the person from PostgreSQL) and read-model writes retry until it is back;
// afterwards every case closes, the read model agrees with the workflows (kompeten doctor
// finds no drift), and no case's event log has a gap.
func TestPostgresRestartMidCohortReadModelConverges(t *testing.T) {
	ctx := context.Background()
	port, err := freeport.Find("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	// Run as root, the cluster runs as the postgres user, who must reach its data directory.
	tmp := t.TempDir()
	for _, d := range []string{filepath.Dir(tmp), tmp} {
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	pgDir := filepath.Join(tmp, "pg")
	cluster, err := pgcluster.Start(ctx, pgDir, port, nil)
	if err != nil {
		t.Fatalf("private PostgreSQL: %v", err)
	}
	t.Cleanup(func() { _ = cluster.Stop(context.Background()) })

	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Simulators.BPJS.Latency = 200 * time.Millisecond // spread the registrations out
	sys := startSystemWith(t, cfg, systemOptions{DatabaseURL: cluster.URL()})
	start := time.Now()

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-PGRESTART", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(20 * time.Second).Format(time.RFC3339), End: now.Add(22 * time.Second).Format(time.RFC3339), Capacity: 40, AutoApprove: true})
	ids := importSample(t, sys, pkg)

	eventually(t, 30*time.Second, "a few registrations", func() (bool, string) {
		n := sys.sims.BPJS.RegistrationCount()
		return n >= 3, fmt.Sprintf("%d registrations", n)
	})
	workflowIDs := map[string]string{}
	for _, id := range ids {
		eventually(t, 30*time.Second, "case "+id+" in the read model", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, id)
			workflowIDs[id] = c.WorkflowID
			return err == nil, fmt.Sprint(err)
		})
	}
	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	stoppedAt := sys.sims.BPJS.RegistrationCount()
	if stoppedAt >= len(ids) {
		t.Fatalf("all %d registered before the stop: the restart is not mid-cohort", stoppedAt)
	}
	if err := sys.store.Pool().Ping(ctx); err == nil {
		t.Fatal("PostgreSQL still answers after the stop")
	}
	// Personal data lives only in PostgreSQL, so a registration cannot be sent while it is down:
	// the journeys retry (Temporal counts the attempts) rather than fail or skip a step.
	eventually(t, 30*time.Second, "a partner call retried while PostgreSQL is down", func() (bool, string) {
		for _, id := range ids {
			d, err := sys.tc.DescribeWorkflowExecution(ctx, workflowIDs[id], "")
			if err != nil {
				return false, err.Error()
			}
			for _, a := range d.PendingActivities {
				if a.Attempt >= 2 && a.LastFailure != nil {
					return true, ""
				}
			}
		}
		return false, "no pending activity retried yet"
	})
	if n := sys.sims.BPJS.RegistrationCount(); n != stoppedAt {
		t.Errorf("%d registrations while PostgreSQL was down (%d at the stop): where did the personal data come from?", n, stoppedAt)
	}
	if cluster, err = pgcluster.Start(ctx, pgDir, port, nil); err != nil {
		t.Fatalf("restart PostgreSQL: %v", err)
	}
	t.Logf("PostgreSQL stopped with %d of %d registered, and started again", stoppedAt, len(ids))

	manager := workflows.Actor{ID: "lsp-mgr-1", Role: workflows.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, workflows.StageCertification, 2*time.Minute)
		sys.approveCertification(manager, id)
	}
	for _, id := range ids {
		c := sys.caseIn(id, workflows.StageClosed, time.Minute)
		if c.Outcome != string(workflows.OutcomeNotPlaced) || c.KPJ == "" || c.CertificateNo == "" {
			t.Errorf("case %s: outcome %s kpj %q certificate %q", id, c.Outcome, c.KPJ, c.CertificateNo)
		}
		evs, err := sys.store.CaseEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		last := 0
		for _, e := range evs {
			if n, err := strconv.Atoi(e.Key); err == nil {
				seen[n] = true
				last = max(last, n)
			}
		}
		for n := 1; n <= last; n++ {
			if !seen[n] {
				t.Errorf("case %s: event %d of %d missing from the log", id, n, last)
			}
		}
		if last == 0 {
			t.Errorf("case %s: no journey events in the log", id)
		}
	}
	doc, err := sys.svc.Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Drifts) != 0 {
		t.Errorf("the read model did not converge: %+v", doc.Drifts)
	}
	if n := sys.sims.BPJS.RegistrationCount(); n != len(ids) {
		t.Errorf("registrations = %d, want %d", n, len(ids))
	}
	t.Logf("every case closed and the read model agrees with the workflows (doctor checked %d); test took %s",
		doc.Checked, time.Since(start).Round(time.Second))
}
