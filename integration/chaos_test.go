package integration

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/bench"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// chaosKills is how many times the worker process dies during the cohort (issue 8's acceptance).
const chaosKills = 20

// The worker process is killed with SIGKILL twenty times, at random moments, while a cohort of
// 100 goes from enrolment to its outcome: a third while the cohort is enrolled and insured, a
// third while it is assessed, a third while it is certified and followed up. A new process starts after each kill.
// Every case still ends as it should, and the simulators hold exactly one registration and one
// certificate per person. The partner attempt timeout is short (as an operator would set it for
// a fast recovery), so a call lost with a process is retried within seconds.
func TestWorkerKilledTwentyTimesDuringCohort(t *testing.T) {
	const people = 100
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence" // nobody recorded absent: everyone graduates
	cfg.Partners.AttemptTimeout = 4 * time.Second
	cfg.Partners.BPJS.Timeout, cfg.Partners.LSP.Timeout = 2*time.Second, 2*time.Second
	cfg.Simulators.BPJS.Latency = 150 * time.Millisecond // calls in flight when the process dies
	cfg.Simulators.LSP.Latency = 100 * time.Millisecond
	sys := startSystemWith(t, cfg, systemOptions{
		DatabaseFile: filepath.Join(t.TempDir(), "temporal.db"), NoWorker: true, ServerLogLevel: slog.LevelError,
	})
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("kill schedule seed %d", seed)
	workerEnv := []string{"KOMPETEN_PARTNERS_BPJS_TIMEOUT=2s", "KOMPETEN_PARTNERS_LSP_TIMEOUT=2s"}
	generation := 1
	current := startWorkerProcess(t, sys, generation, workerEnv...)
	started := time.Now()

	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-CHAOS", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(40 * time.Second).Format(time.RFC3339), End: now.Add(42 * time.Second).Format(time.RFC3339),
		Capacity: people, AutoApprove: true})
	gen, err := bench.NewCohortGenerator(uint64(seed))
	if err != nil {
		t.Fatal(err)
	}
	cohortPeople := make([]starter.Person, people)
	for i := range cohortPeople {
		p := gen.Person(pkg.StartDate)
		cohortPeople[i] = starter.Person{NIK: p.NIK, Name: p.Name, Sex: p.Sex, BirthPlace: p.BirthPlace, BirthDate: p.BirthDate,
			Phone: p.Phone, Email: p.Email, Education: p.Education, Address: p.Address}
	}
	ids := enrol(t, sys, pkg.Code, cohortPeople)

	// A certification manager approves every certificate that waits for one, as a person would,
	// through the API, while the worker keeps dying: a request that meets no worker is tried again.
	approver := newChaosApprover(sys.api.URL, sys.token)
	stopApprover := approver.run(sys, pkg.Code)
	defer stopApprover()

	var kills []string
	kill := func() {
		current.kill(t)
		kills = append(kills, stageCounts(t, sys, pkg.Code))
		generation++
		current = startWorkerProcess(t, sys, generation, workerEnv...)
	}
	pause := func() { // a random moment, not a wait for anything: the point is not to choose it
		time.Sleep(time.Duration(300+rng.IntN(1700)) * time.Millisecond)
	}
	// A third of the kills from the start (enrolment, insurance), a third once the first case is
	// assessed, the rest once the first waits for or has its certificate (issuance, follow-up).
	reached := func(later ...vocab.Stage) {
		eventually(t, 3*time.Minute, fmt.Sprintf("a case in %v", later), func() (bool, string) {
			cases, err := sys.store.ListCases(context.Background(), store.CaseFilter{PackageCode: pkg.Code, Limit: 1000})
			for _, c := range cases {
				if slices.Contains(later, vocab.Stage(c.Stage)) {
					return true, ""
				}
			}
			return false, fmt.Sprintf("%s (err %v)", stageCounts(t, sys, pkg.Code), err)
		})
	}
	for i := range chaosKills {
		switch i {
		case chaosKills / 3:
			reached(vocab.StageAssessment, vocab.StageCertification, vocab.StagePlacement, vocab.StageClosed)
		case 2 * chaosKills / 3:
			reached(vocab.StageCertification, vocab.StagePlacement, vocab.StageClosed)
		}
		pause()
		kill()
	}
	killsDone := time.Now()

	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageClosed, 4*time.Minute)
		if c.Outcome != vocab.OutcomeNotPlaced || c.KPJ == "" || c.CertificateNo == "" {
			t.Errorf("case %s: outcome %q kpj %q certificate %q", id, c.Outcome, c.KPJ, c.CertificateNo)
		}
	}
	regs := sys.sims.BPJS.Registrations()
	certs := sys.sims.LSPs["LSP-BLK-SBY"].Certificates()
	for _, id := range ids {
		if n := regs[id+"-bpjs-0"]; n != 1 {
			t.Errorf("case %s: %d registrations, want exactly 1", id, n)
		}
		if n := certs[id+"-cert"]; n != 1 {
			t.Errorf("case %s: %d certificates, want exactly 1", id, n)
		}
	}
	if n := sys.sims.BPJS.RegistrationCount(); n != people {
		t.Errorf("BPJS holds %d registrations, want %d", n, people)
	}
	if n := sys.sims.LSPs["LSP-BLK-SBY"].CertificateCount(); n != people {
		t.Errorf("the LSP issued %d certificates, want %d", n, people)
	}
	if len(kills) != chaosKills {
		t.Fatalf("%d kills, want %d", len(kills), chaosKills)
	}
	t.Logf("%d kills; cases per stage at each kill:\n  %s", len(kills), strings.Join(kills, "\n  "))
	t.Logf("%d approvals sent (%d answered with an error and retried); every case closed %s after the last kill; test took %s",
		approver.sent, approver.retried, time.Since(killsDone).Round(time.Second), time.Since(started).Round(time.Second))
}

// stageCounts says how many cases of a package are in each stage, for the test's log.
func stageCounts(t *testing.T, sys *system, pkg string) string {
	t.Helper()
	cases, err := sys.store.ListCases(context.Background(), store.CaseFilter{PackageCode: pkg, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[vocab.Stage]int{}
	for _, c := range cases {
		counts[c.Stage]++
	}
	var parts []string
	for s, n := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", s, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// chaosApprover approves the certifications of a package through the API until stopped.
type chaosApprover struct {
	client        *apiclient.Client
	mu            sync.Mutex
	sent, retried int
	approved      map[string]bool
}

func newChaosApprover(url, token string) *chaosApprover {
	c := apiclient.New(url, apiclient.WithToken(token), apiclient.WithHTTPClient(&http.Client{Timeout: 20 * time.Second}))
	return &chaosApprover{client: c, approved: map[string]bool{}}
}

// run polls the read model for cases waiting on the LSP manager and approves each; it returns
// a function that stops it and waits.
func (a *chaosApprover) run(sys *system, pkg string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			cases, err := sys.store.ListCases(ctx, store.CaseFilter{PackageCode: pkg, Stage: vocab.StageCertification, Limit: 1000})
			if err != nil {
				continue
			}
			for _, c := range cases {
				if c.WaitingOn != vocab.WaitingLSPManager || a.done(c.CaseID) {
					continue
				}
				a.approve(ctx, c.CaseID, manager)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (a *chaosApprover) done(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.approved[id]
}

// approve sends one approval; any answer but success leaves the case for the next round (the
// read model shows whether the approval was taken after all).
func (a *chaosApprover) approve(ctx context.Context, id string, manager workflows.Actor) {
	_, err := a.client.DecideCertification(ctx, id, workflows.CertificationDecision{Actor: manager, Approve: true})
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent++
	if err != nil {
		a.retried++
		return
	}
	a.approved[id] = true
}
