package integration

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/interceptor"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/pgcluster"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
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
	// What decides the test are facts that cannot race with the stop: a gate in front of BPJS
	// that lets three registrations through and holds the rest (so the stop is mid-cohort by
	// construction), every registration attempt the worker runs (when it began and ended), and
	// every registration request as BPJS received it (when it arrived), all on this process's clock.
	isRegistration := func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/bpjs/v1/registrations")
	}
	const passed = 3
	gate := newPartnerGate(passed, isRegistration)
	attempts := newAttemptLog("RegisterInsurance")
	partner := newArrivalLog(isRegistration)
	sys := startSystemWith(t, cfg, systemOptions{DatabaseURL: cluster.URL(),
		WorkerInterceptors: []interceptor.WorkerInterceptor{attempts},
		WrapSimulators:     func(h http.Handler) http.Handler { return partner.wrap(gate.wrap(h)) }})
	start := time.Now()

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-PGRESTART", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(20 * time.Second).Format(time.RFC3339), End: now.Add(22 * time.Second).Format(time.RFC3339), Capacity: 40, AutoApprove: true})
	ids := importSample(t, sys, pkg)

	eventually(t, 60*time.Second, "three registrations through and one held", func() (bool, string) {
		through, held := gate.counts()
		return through == passed && held > 0 && sys.sims.BPJS.RegistrationCount() == passed,
			fmt.Sprintf("%d through, %d held, %d registered", through, held, sys.sims.BPJS.RegistrationCount())
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
	// From here on nothing can read PostgreSQL: pg_ctl stop -w returned once the server was gone.
	stoppedAt := time.Now()
	if err := sys.store.Pool().Ping(ctx); err == nil {
		t.Fatal("PostgreSQL still answers after the stop")
	}
	// BPJS goes into an outage for the calls it held, so they are tried again while PostgreSQL
	// is down: each new attempt must load the person and cannot.
	gate.refuse()
	eventually(t, 60*time.Second, "a registration attempt begun and failed while PostgreSQL is down", func() (bool, string) {
		n := 0
		for _, a := range attempts.all() {
			if a.Start.After(stoppedAt) && !a.End.IsZero() && a.Err != nil {
				n++
			}
		}
		return n > 0, fmt.Sprintf("%d attempts begun after the stop have failed", n)
	})
	restartedAt := time.Now()
	gate.open()
	if cluster, err = pgcluster.Start(ctx, pgDir, port, nil); err != nil {
		t.Fatalf("restart PostgreSQL: %v", err)
	}
	_, held := gate.counts()
	t.Logf("PostgreSQL stopped with %d of %d registered (%d registration requests held, then refused, at BPJS), and started again", passed, len(ids), held)

	manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 2*time.Minute)
		sys.approveCertification(manager, id)
	}
	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageClosed, time.Minute)
		if c.Outcome != vocab.OutcomeNotPlaced || c.KPJ == "" || c.CertificateNo == "" {
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
	checkNoRegistrationWhileDown(t, attempts.all(), partner.all(), workflowIDs, stoppedAt, restartedAt)
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

// checkNoRegistrationWhileDown asserts that no personal data reached BPJS while PostgreSQL was
// down, the only place it lives. A request that BPJS received at some moment was sent by an
// attempt still running then (it waits for the answer). If every attempt of that case running
// at that moment began after the stop, and the request came before the restart, the person's
// data came from somewhere other than PostgreSQL. Attempts begun before the stop read the person
// while PostgreSQL was up: their requests may arrive later, and are not counted against it.
func checkNoRegistrationWhileDown(t *testing.T, attempts []attempt, arrivals []arrival, workflowIDs map[string]string, stoppedAt, restartedAt time.Time) {
	t.Helper()
	byWorkflow := map[string][]attempt{}
	inOutage := 0
	for _, a := range attempts {
		byWorkflow[a.Workflow] = append(byWorkflow[a.Workflow], a)
		if a.Start.After(stoppedAt) && !a.End.IsZero() && a.End.Before(restartedAt) {
			inOutage++
			if a.Err == nil {
				t.Errorf("workflow %s: a registration attempt ran wholly while PostgreSQL was down and succeeded", a.Workflow)
			}
		}
	}
	if inOutage == 0 {
		t.Error("no registration attempt ran wholly while PostgreSQL was down: the test proved nothing")
	}
	for _, r := range arrivals {
		if !r.At.Before(restartedAt) {
			continue
		}
		caseID, _, _ := strings.Cut(r.Key, "-bpjs-")
		wf, ok := workflowIDs[caseID]
		if !ok {
			t.Errorf("a registration for an unknown case arrived: key %q", r.Key)
			continue
		}
		running, fromBefore := 0, false
		for _, a := range byWorkflow[wf] {
			if a.Start.After(r.At) || (!a.End.IsZero() && a.End.Before(r.At)) {
				continue
			}
			running++
			fromBefore = fromBefore || !a.Start.After(stoppedAt)
		}
		if running > 0 && !fromBefore {
			t.Errorf("case %s: a registration reached BPJS while PostgreSQL was down, sent by an attempt begun after the stop: where did the personal data come from?", caseID)
		}
	}
}
