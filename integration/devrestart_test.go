package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// devRun is one `kompeten dev` (app.RunDev) running in this process until stop.
type devRun struct {
	cancel context.CancelFunc
	done   chan error
}

// startDev runs kompeten dev with c and waits until its API answers.
func startDev(t *testing.T, c *config.Config, logger *slog.Logger) *devRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &devRun{cancel: cancel, done: make(chan error, 1)}
	go func() { d.done <- app.RunDev(ctx, c, logger) }()
	t.Cleanup(func() { d.stop(t) })
	eventually(t, 2*time.Minute, "kompeten dev answering", func() (bool, string) {
		select {
		case err := <-d.done:
			d.done <- err
			t.Fatalf("kompeten dev ended while starting: %v", err)
		default:
		}
		resp, err := http.Get("http://" + c.HTTP.Addr + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	return d
}

// stop cancels kompeten dev as Ctrl-C does and waits for it to stop cleanly.
func (d *devRun) stop(t *testing.T) {
	t.Helper()
	if d.cancel == nil {
		return
	}
	d.cancel()
	d.cancel = nil
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("kompeten dev stopped with: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("kompeten dev did not stop within a minute")
	}
}

// devConfig is fastConfig for kompeten dev on its own ports and a fresh database.
func devConfig(t *testing.T) *config.Config {
	t.Helper()
	c := fastConfig(t)
	c.Database.URL = testdb.New(t)
	port := func() string {
		p, err := freeport.Find("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
	}
	c.Temporal.Address, c.HTTP.Addr = port(), port()
	c.Dev.UIAddr = "127.0.0.1:0" // no Web UI
	c.Digest.Enabled = false
	c.Journey.AttendanceMode = "absence"
	return c
}

// `kompeten dev` is stopped and started again in the middle of a cohort, with assessments in
// flight (scheduled at the LSP, their results not due yet), and new trainees registered and
// certified after the restart. Every case completes, every KPJ and certificate number is held by
// exactly one case, and no case was ever in a number conflict: the simulators numbered on from
// where they stopped and still knew the assessments they had scheduled.
func TestDevRestartMidCohortKeepsNumbersUniqueAndAssessmentsAlive(t *testing.T) {
	ctx := context.Background()
	c := devConfig(t)
	// Results come 12s after the assessment: long enough for the restart to fall between the
	// schedule and the result of the second package.
	c.Simulators.LSP.ResultDelay = 12 * time.Second
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	dev := startDev(t, c, logger)

	st, err := store.Open(ctx, c.Database.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	token, err := os.ReadFile(filepath.Join(c.DataDir, app.DevTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	// The harness's helpers, pointed at the dev process's API and database.
	sys := &system{t: t, cfg: c, store: st, token: strings.TrimSpace(string(token)), api: &httptest.Server{URL: "http://" + c.HTTP.Addr}}
	manager := sys.as(sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY"))
	approve := func(ids []string) {
		for _, id := range ids {
			sys.caseIn(id, vocab.StageCertification, 2*time.Minute)
			manager.approveCertification(workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}, id)
		}
	}

	t0 := time.Now()
	people := validPeople(t, t0.Add(time.Hour), 24)
	pkg := func(code string, start, end time.Duration) string {
		createPackage(t, sys, api.PackageRequest{Code: code, Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
			Start: t0.Add(start).Format(time.RFC3339Nano), End: t0.Add(end).Format(time.RFC3339Nano), Capacity: 16, AutoApprove: true})
		return code
	}
	early := enrol(t, sys, pkg("IT-RESTART-1", 4*time.Second, 6*time.Second), people[:8])
	late := enrol(t, sys, pkg("IT-RESTART-2", 4*time.Second, 16*time.Second), people[8:16])

	approve(early)
	for _, id := range early {
		eventually(t, time.Minute, "case "+id+" certified", func() (bool, string) {
			cs, err := st.GetCase(ctx, id)
			return err == nil && cs.CertificateNo != "", fmt.Sprint(cs.Stage, " ", err)
		})
	}
	for _, id := range late {
		sys.eventSeen(id, "assessment-scheduled", time.Minute)
	}
	dev.stop(t)

	// Stopped: nothing can record a result now, so these facts cannot race with the restart.
	inFlight := 0
	for _, id := range late {
		if !hasEvent(t, st, id, "assessment-result") {
			inFlight++
		}
	}
	if inFlight == 0 {
		t.Fatal("no assessment was in flight when kompeten dev stopped; the test proves nothing")
	}
	t.Logf("stopped with %d of %d assessments in flight and %d certificates issued", inFlight, len(late), len(early))

	startDev(t, c, logger)
	t1 := time.Now()
	after := enrol(t, sys, pkg("IT-RESTART-3", t1.Sub(t0)+4*time.Second, t1.Sub(t0)+6*time.Second), people[16:24])
	approve(late)
	approve(after)

	kpjs, certs := map[string]string{}, map[string]string{}
	for _, id := range append(append(early, late...), after...) {
		cs := sys.caseIn(id, vocab.StageClosed, 2*time.Minute)
		if cs.Outcome != vocab.OutcomeNotPlaced || cs.KPJ == "" || cs.CertificateNo == "" {
			t.Errorf("case %s: outcome %s, KPJ %q, certificate %q", id, cs.Outcome, cs.KPJ, cs.CertificateNo)
			continue
		}
		for number, byCase := range map[string]map[string]string{cs.KPJ: kpjs, cs.CertificateNo: certs} {
			if other, dup := byCase[number]; dup {
				t.Errorf("number %s is held by case %s and case %s", number, other, id)
			}
			byCase[number] = id
		}
		for _, kind := range []string{"kpj-conflict", "certificate-conflict"} {
			if hasEvent(t, st, id, kind) {
				t.Errorf("case %s had a %s", id, kind)
			}
		}
	}
	for kind, byNumber := range map[store.NumberKind]map[string]string{store.NumberKPJ: kpjs, store.NumberCertificate: certs} {
		for number, id := range byNumber {
			h, err := st.NumberHolder(ctx, kind, number)
			if err != nil || h.CaseID != id {
				t.Errorf("%s %s: claim %+v (%v), want case %s", kind, number, h, err, id)
			}
		}
	}
	if conflicts, err := st.NumberConflicts(ctx); err != nil || len(conflicts) > 0 {
		t.Errorf("number conflicts %v (%v)", conflicts, err)
	}
	t.Logf("%d cases closed with %d distinct KPJs and %d distinct certificate numbers", len(kpjs), len(kpjs), len(certs))
}

// hasEvent reports whether a case's event log has an event of kind.
func hasEvent(t *testing.T, st *store.Store, caseID, kind string) bool {
	t.Helper()
	evs, err := st.CaseEvents(context.Background(), caseID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Kind == kind {
			return true
		}
	}
	return false
}
