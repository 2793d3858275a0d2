package integration

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// paritySide is one of the two packages of the parity test and the operator who runs it.
type paritySide struct {
	name   string
	op     parityOperator
	pkg    string
	file   string
	person string
	// rightName is the person's name as the population register knows it: the correction.
	rightName string
	caseID    string
	// assessor is the assessor the LSP named when it scheduled the assessment: the LSP's
	// choice, not the operator's, so not a difference between the sides.
	assessor string
}

// Issue 16's last done-when: the same routine of a centre admin and an LSP manager, once
// through the command line (the built kompeten binary, against the system's HTTP address with
// their tokens) and once through the pages (form posts with a logged-in session), on two
// packages with the same dates and scheme, one trainee each, leaves the same case timeline in
// the read model: the same events in the same order, by the same actors in the same roles,
// with the same details once the case ID, package code, name, dates and partner numbers are
// taken out. The routine: create the package, import the cohort, approve the enrolment, correct
// the name BPJS refused, record a day's register, enter the assessment result (every unit K),
// approve the certificate, record a follow-up call that did not reach the graduate and report
// a formal placement.
func TestCLIAndPagesLeaveTheSameTimeline(t *testing.T) {
	began := time.Now()
	bin := buildKompeten(t)
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Journey.Month = time.Minute // no follow-up falls due during the test
	// The LSP's own result comes late, so a person enters it well before (the journey would
	// record the LSP's own otherwise); it must come at all, as the LSP issues the certificate
	// only for an assessment it has a result of.
	// 30 s leaves a loaded CI machine ample time to enter it first; a shorter delay raced.
	cfg.Simulators.LSP.ResultDelay = 30 * time.Second
	// The certificate is asked for again until the LSP has its result: every 3 s at most, so it
	// is issued within seconds of the result rather than after a minute-long backoff.
	cfg.Partners.RetryMax = 3 * time.Second
	sys := startSystemWith(t, cfg, systemOptions{Sessions: true, ServerLogLevel: slog.LevelError})
	// One token per person, used by both sides: the CLI sends it, the pages log in with it, so
	// the actors are the same people and may be compared as they are.
	adminToken := sys.newToken("siti", vocab.RoleCentreAdmin, "BLK-SBY")
	lspToken := sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY")
	dir := t.TempDir()
	sides := []*paritySide{
		{name: "cli", pkg: "IT-PAR-CLI", op: &cliOperator{t: t, bin: bin, dir: dir, server: sys.api.URL, admin: adminToken, lsp: lspToken}},
		{name: "pages", pkg: "IT-PAR-WEB", op: &pageOperator{t: t, admin: loginPages(t, sys.api.URL, adminToken), lsp: loginPages(t, sys.api.URL, lspToken)}},
	}
	for i, s := range sides {
		var row cohort.Row
		s.file, row = parityCohort(t, dir, s.pkg, i)
		// BPJS refuses the person's data: the population register knows a longer name.
		s.person, s.rightName = row.Name, row.Name+" Rahayu"
		sys.sims.BPJS.KnowPerson(row.NIK, s.rightName, row.BirthDate)
	}
	each := func(step func(s *paritySide)) {
		t.Helper()
		for _, s := range sides {
			step(s)
		}
		t.Logf("%s: step done", time.Since(began).Round(100*time.Millisecond))
	}

	loc := sys.svc.Location()
	// Training starts once both sides have enrolled and corrected (a few seconds) and lasts
	// long enough for both sides' registers after the first training day began: recorded
	// before it on one side and after it on the other, the timelines would differ by timing.
	start := time.Now().Add(10 * time.Second).Truncate(time.Second)
	end := start.Add(8 * time.Second)
	day := start.In(loc).Format(time.DateOnly)
	each(func(s *paritySide) {
		s.op.createPackage(api.PackageRequest{Code: s.pkg, Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
			Start: start.Format(time.RFC3339), End: end.Format(time.RFC3339), Hours: 240})
	})
	each(func(s *paritySide) {
		s.op.importCohort(s.pkg, s.file)
		var cs []store.Case
		eventually(t, 20*time.Second, s.name+": the imported case in the read model", func() (bool, string) {
			var err error
			cs, err = sys.store.ListCases(t.Context(), store.CaseFilter{PackageCode: s.pkg})
			return err == nil && len(cs) > 0, fmt.Sprintf("%d cases, %v", len(cs), err)
		})
		if len(cs) != 1 {
			t.Fatalf("%s: after the import %s has %d cases, want 1", s.name, s.pkg, len(cs))
		}
		s.caseID = cs[0].CaseID
	})
	each(func(s *paritySide) {
		waitingOn(t, sys, s.caseID, vocab.StageEnrolment, vocab.WaitingCentreAdmin, 30*time.Second)
		s.op.approveEnrolment(s.caseID)
	})
	each(func(s *paritySide) {
		sys.waitingCorrection(s.caseID, 30*time.Second)
		s.op.correctName(s.caseID, s.person, s.rightName, "nama sesuai KTP")
	})
	each(func(s *paritySide) {
		sys.eventSeen(s.caseID, "training-started", 40*time.Second)
		s.op.recordRegister(s.pkg, day, []string{s.caseID})
	})
	each(func(s *paritySide) {
		v := assessmentWaiting(t, sys, s.caseID)
		s.assessor = v.State.Assessment.Schedule.Assessor
		units := v.State.Assessment.Schedule.Units
		if len(units) == 0 {
			units = v.State.Assessment.Units
		}
		s.op.assess(s.caseID, v.State.Assessment.Schedule.AssessmentID, units, "ASR-007")
	})
	each(func(s *paritySide) {
		waitingOn(t, sys, s.caseID, vocab.StageCertification, vocab.WaitingLSPManager, 30*time.Second)
		s.op.approveCertification(s.caseID)
	})
	each(func(s *paritySide) {
		sys.caseIn(s.caseID, vocab.StagePlacement, 60*time.Second)
		s.op.notReached(s.caseID, "no answer on the phone")
	})
	// One start day for both sides, taken once: each side's own "today" could fall on either
	// side of midnight in WIB (17:00 UTC) and differ for that reason alone. How the CLI reads a
	// day it is given (in journey.timezone, as the pages do) is what this compares.
	placedDay := time.Now().In(loc).Format(time.DateOnly)
	each(func(s *paritySide) {
		s.op.placeFormal(s.caseID, "PT Maju Jaya", placedDay)
	})
	timelines := make([][]timelineStep, len(sides))
	rows := make([]caseOutcome, len(sides))
	for i, s := range sides {
		c := sys.caseIn(s.caseID, vocab.StageClosed, 30*time.Second)
		if c.Outcome != vocab.OutcomePlacedFormal {
			t.Fatalf("%s: closed %s, want placed-formal", s.name, c.Outcome)
		}
		evs := eventsWithEvidence(t, sys, s.caseID)
		rows[i] = caseOutcome{Stage: c.Stage, Status: c.Status, Outcome: c.Outcome, Milestones: c.Milestones}
		rows[i].Milestones.GraduatedOn, rows[i].Milestones.CertificateIssuedOn, rows[i].Milestones.CertificateExpiresOn = nil, nil, nil
		if c.PlacedOn != nil {
			// Both sides report the same start day: the same instant, whoever parsed it.
			rows[i].PlacedOn = c.PlacedOn.UTC().Format(time.RFC3339)
		}
		rows[i].Milestones.PlacedOn = nil
		rows[i].Employer, rows[i].ReportedBy, rows[i].Contacts = placementOf(t, sys, s.caseID)
		timelines[i] = normalisedTimeline(evs, map[string]string{s.caseID: "<case>", s.pkg: "<package>", s.person: "<name>", s.rightName: "<right name>", s.assessor: "<lsp assessor>"})
	}
	d := firstTimelineDifference(timelines[0], timelines[1], sides[0].name, sides[1].name)
	for i, s := range sides {
		if i > 0 && d == "" {
			break // the same: one side's timeline says it all
		}
		for j, st := range timelines[i] {
			t.Logf("%s %2d %s", s.name, j+1, st)
		}
	}
	if d != "" {
		t.Errorf("the CLI and the pages leave different timelines: %s", d)
	}
	if rows[0] != rows[1] {
		t.Errorf("the CLI and the pages leave different cases in the read model:\n%s %+v\n%s %+v", sides[0].name, rows[0], sides[1].name, rows[1])
	}
	t.Logf("%d events each, case %+v; %s", len(timelines[0]), rows[0], time.Since(began).Round(time.Second))
}

// parityCohort writes a cohort file for pkg with one valid row of the sample cohort (the
// n-th without warnings, so the two sides enrol different people the same way) and returns
// the file and the row.
func parityCohort(t *testing.T, dir, pkg string, n int) (string, cohort.Row) {
	t.Helper()
	f, err := os.Open(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := cohort.Open(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	cohort.Validate(rows, cohort.Rules{StartDate: time.Now(), MinAge: 17})
	for _, r := range rows {
		if r.Err != nil || len(r.Warnings) > 0 {
			continue
		}
		if n > 0 {
			n--
			continue
		}
		path := filepath.Join(dir, pkg+".csv")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(out)
		if err := w.WriteAll([][]string{recs[0], recs[r.Line]}); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		return path, r
	}
	t.Fatal("the sample cohort has too few valid rows without warnings")
	return "", cohort.Row{}
}

// waitingOn waits until a case is in stage waiting on party.
func waitingOn(t *testing.T, sys *system, id string, stage vocab.Stage, party vocab.Party, within time.Duration) {
	t.Helper()
	eventually(t, within, "case "+id+" waiting on "+string(party), func() (bool, string) {
		c, err := sys.store.GetCase(t.Context(), id)
		if err != nil {
			return false, err.Error()
		}
		return c.Stage == stage && c.WaitingOn == party, string(c.Stage) + " " + string(c.WaitingOn)
	})
}

// assessmentWaiting waits until a case's assessment is scheduled and waits for its result,
// and returns the case as the API shows it.
func assessmentWaiting(t *testing.T, sys *system, id string) api.CaseView {
	t.Helper()
	var v api.CaseView
	eventually(t, 60*time.Second, "the assessment of "+id+" waits for its result", func() (bool, string) {
		v = api.CaseView{}
		if code := sys.call("GET", "/api/v1/cases/"+id, nil, &v); code != http.StatusOK || v.State == nil {
			return false, v.StateError
		}
		return v.Case.WaitingOn == vocab.WaitingLSP && v.State.Assessment.Schedule != nil, string(v.Case.Stage) + " " + string(v.Case.WaitingOn)
	})
	return v
}

// caseOutcome is what the read model's case row says of a finished routine, without the
// case's own dates (the placement's start day, the same on both sides, stays).
type caseOutcome struct {
	Stage    vocab.Stage
	Status   string
	Outcome  vocab.Outcome
	PlacedOn string
	// Employer, ReportedBy and Contacts are the journey's record of the placement: the employer,
	// who reported it in which role, the follow-up contacts before it.
	Employer, ReportedBy string
	Contacts             int
	store.Milestones
}

// placementOf is the journey's record of a case's placement, as the API shows its state.
func placementOf(t *testing.T, sys *system, id string) (employer, by string, contacts int) {
	t.Helper()
	var v api.CaseView
	if code := sys.call("GET", "/api/v1/cases/"+id, nil, &v); code != http.StatusOK || v.State == nil {
		t.Fatalf("case %s: HTTP %d, state %s", id, code, v.StateError)
	}
	p := v.State.Placement
	if p.Report == nil {
		t.Fatalf("case %s: no placement report in the journey's state", id)
	}
	return p.Report.Employer, p.Report.Actor.ID + " (" + string(p.Report.Actor.Role) + ")", p.Contacts
}

// eventsWithEvidence is a case's timeline with the evidence each event brought (the
// assessment's units and assessor, an enrolment check's rules), which CaseEvents leaves out.
func eventsWithEvidence(t *testing.T, sys *system, id string) []store.Event {
	t.Helper()
	evs, err := sys.store.CaseEvents(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range evs {
		kinds[e.Kind] = true
	}
	for kind := range kinds {
		latest, err := sys.store.LatestEvents(t.Context(), []string{id}, kind)
		if err != nil {
			t.Fatal(err)
		}
		for i := range evs {
			if e, ok := latest[id]; ok && evs[i].ID == e.ID {
				evs[i].Evidence = e.Evidence
			}
		}
	}
	return evs
}
