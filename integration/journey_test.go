package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// sampleCohort is the synthetic sample cohort that users get in examples/ (README, "A cohort in
// five minutes").
const sampleCohort = "../examples/sample-cohort.csv"

// importSample imports the sample cohort export into pkg with the importer, as `kompeten
// import` does, and returns the case IDs of the 28 journeys its valid rows start.
func importSample(t *testing.T, sys *system, pkg store.Package) []string {
	t.Helper()
	return importCohort(t, sys, pkg, sampleCohort)
}

// importCohort imports a copy of the sample cohort (the same 28 valid rows) from path.
func importCohort(t *testing.T, sys *system, pkg store.Package, path string) []string {
	t.Helper()
	rows, err := cohort.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(context.Background(), rows, pkg.Code, importer.Direct{Svc: sys.svc, Concurrency: 8},
		importer.Options{BatchSize: 10, Rules: cohort.Rules{StartDate: pkg.StartDate.In(sys.svc.Location()), MinAge: sys.cfg.Journey.MinAge}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rep.Rows {
		if r.Outcome == starter.OutcomeStarted || r.Outcome == starter.OutcomeWarnedStarted {
			ids = append(ids, r.CaseID)
		}
	}
	if len(ids) != 28 {
		t.Fatalf("import started %d journeys, want 28: %v", len(ids), rep.Counts())
	}
	return ids
}

// validPeople reads the sample cohort and returns its first n valid rows.
func validPeople(t *testing.T, start time.Time, n int) []starter.Person {
	t.Helper()
	rows, err := cohort.Open(sampleCohort)
	if err != nil {
		t.Fatalf("read sample cohort: %v", err)
	}
	cohort.Validate(rows, cohort.Rules{StartDate: start, MinAge: 17})
	var out []starter.Person
	for _, r := range rows {
		if r.Err != nil {
			continue
		}
		out = append(out, starter.Person{NIK: r.NIK, Name: r.Name, Sex: r.Sex, BirthPlace: r.BirthPlace,
			BirthDate: r.BirthDate, Phone: r.Phone, Email: r.Email, Education: r.Education, Address: r.Address, Warnings: r.Warnings})
		if len(out) == n {
			break
		}
	}
	if len(out) < n {
		t.Fatalf("sample cohort has %d valid rows, want %d", len(out), n)
	}
	return out
}

// A small cohort goes through the whole journey on the embedded server with the simulators:
// approvals, attendance, certification approvals and a placement are sent through the HTTP API
// as people would; one trainee drops out. Every case ends with the right outcome, the read model
// and the event log say so, and each partner registered and certified each person exactly once.
func TestCohortThroughWholeJourney(t *testing.T) {
	cfg := fastConfig(t)
	// Room to report one placement before the last follow-up closes the case, even under load.
	cfg.Journey.Month = 5 * time.Second
	sys := startSystem(t, cfg)
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-LAS-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(8 * time.Second).Format(time.RFC3339), Hours: 240,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 5)
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-LAS-1/enrolments", api.EnrolRequest{People: people}, &enrolled); code != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", code)
	}
	ids := make([]string, len(enrolled.Results))
	for i, r := range enrolled.Results {
		if r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted {
			t.Fatalf("person %d: outcome %s (%s)", i, r.Outcome, r.Error)
		}
		ids[i] = r.CaseID
	}

	// Enrolling the same people again starts nothing.
	var again api.EnrolResponse
	sys.call("POST", "/api/v1/packages/IT-LAS-1/enrolments", api.EnrolRequest{People: people}, &again)
	for i, r := range again.Results {
		if r.Outcome != starter.OutcomeAlreadyEnrolled || r.CaseID != ids[i] {
			t.Fatalf("re-enrol person %d: %+v, want already-enrolled %s", i, r, ids[i])
		}
	}

	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageEnrolment, 10*time.Second)
		eventually(t, 10*time.Second, "waiting on the centre admin", func() (bool, string) {
			c, _ = sys.store.GetCase(context.Background(), id)
			return c.WaitingOn == vocab.WaitingCentreAdmin, string(c.WaitingOn)
		})
		// A wrong role is refused with the workflow's reason, and nothing changes.
		var e api.ErrorBody
		if code := sys.call("POST", "/api/v1/cases/"+id+"/enrolment", workflows.EnrolmentDecision{
			Actor: workflows.Actor{ID: "x", Role: vocab.RoleLSPManager}, Approve: true}, &e); code != http.StatusUnprocessableEntity {
			t.Fatalf("approve with the wrong role: HTTP %d, want 422", code)
		}
		var res workflows.UpdateResult
		if code := sys.call("POST", "/api/v1/cases/"+id+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true}, &res); code != http.StatusOK {
			t.Fatalf("approve %s: HTTP %d", id, code)
		}
	}
	for _, id := range ids {
		c := sys.caseIn(id, vocab.StageTraining, 15*time.Second)
		if c.KPJ == "" {
			t.Fatalf("case %s in training without a KPJ", id)
		}
	}
	// Certification cannot be approved during training.
	var e api.ErrorBody
	if code := sys.call("POST", "/api/v1/cases/"+ids[0]+"/certification", workflows.CertificationDecision{
		Actor: workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}, Approve: true}, &e); code != http.StatusUnprocessableEntity {
		t.Fatalf("certification during training: HTTP %d, want 422", code)
	}
	dropout := ids[len(ids)-1]
	sys.eventSeen(dropout, "training-started", 15*time.Second)
	var res workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+dropout+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "found work"}, &res); code != http.StatusOK {
		t.Fatalf("withdraw: HTTP %d", code)
	}
	stayers := ids[:len(ids)-1]
	for _, id := range stayers {
		one := 1
		if code := sys.call("POST", "/api/v1/cases/"+id+"/attendance", workflows.Attendance{Actor: admin, Attended: &one}, &res); code != http.StatusOK {
			t.Fatalf("attendance %s: HTTP %d", id, code)
		}
	}
	manager := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	for _, id := range stayers {
		sys.caseIn(id, vocab.StageCertification, 30*time.Second)
		sys.approveCertification(manager, id)
	}
	placed := stayers[0]
	sys.caseIn(placed, vocab.StagePlacement, 20*time.Second)
	if code := sys.call("POST", "/api/v1/cases/"+placed+"/placement", workflows.PlacementReport{
		Actor: admin, Category: vocab.PlacementFormal, Employer: "PT Maju Jaya", Start: time.Now()}, &res); code != http.StatusOK {
		t.Fatalf("placement: HTTP %d", code)
	}

	want := map[string]vocab.Outcome{dropout: vocab.OutcomeDroppedOut, placed: vocab.OutcomePlacedFormal}
	for _, id := range stayers[1:] {
		want[id] = vocab.OutcomeNotPlaced
	}
	for id, outcome := range want {
		c := sys.caseIn(id, vocab.StageClosed, 30*time.Second)
		if c.Outcome != outcome {
			t.Errorf("case %s: outcome %s, want %s", id, c.Outcome, outcome)
		}
		if c.Stuck {
			t.Errorf("case %s closed but still marked stuck: %s", id, c.StuckReason)
		}
	}
	for _, id := range stayers {
		c, _ := sys.store.GetCase(context.Background(), id)
		if c.CertificateNo == "" {
			t.Errorf("case %s has no certificate number", id)
		}
	}

	// Each person registered exactly once; only the drop-out's coverage ended early; one
	// certificate per graduate.
	if n := sys.sims.BPJS.RegistrationCount(); n != len(ids) {
		t.Errorf("BPJS registrations = %d, want %d", n, len(ids))
	}
	if n := sys.sims.BPJS.EndedCount(); n != 1 {
		t.Errorf("coverages ended early = %d, want 1", n)
	}
	if n := sys.sims.LSPs["LSP-BLK-SBY"].CertificateCount(); n != len(stayers) {
		t.Errorf("certificates = %d, want %d", n, len(stayers))
	}

	// The event log names who approved.
	events, err := sys.store.CaseEvents(context.Background(), placed)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		if ev.Kind == "enrolment-approved" && ev.ActorID == "siti" && ev.ActorRole == vocab.RoleCentreAdmin {
			found = true
		}
	}
	if !found {
		t.Errorf("no enrolment-approved event by siti in %d events", len(events))
	}
	recordHistories(t, sys, map[string]string{"journey-placed-formal": placed, "journey-dropped-out": dropout, "journey-not-placed": stayers[1]})
	// The evidence-in-read-model change (K/BK per unit with the assessment): its own history, so
	// that the ones above stay those of the journeys before it.
	recordHistories(t, sys, map[string]string{"journey-evidence-assessed": placed})
	fmt.Fprintln(testOutput{t}, "cases:", ids)
}

type testOutput struct{ t *testing.T }

func (o testOutput) Write(p []byte) (int, error) { o.t.Log(string(p)); return len(p), nil }
