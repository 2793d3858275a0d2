package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

func mouURL(number, action string) string {
	p := "/api/v1/mous/" + url.PathEscape(number)
	if action != "" {
		p += "/" + action
	}
	return p
}

// agreementIs waits until an agreement's row satisfies ok, and returns it.
func (s *system) agreementIs(number, what string, ok func(store.Agreement) bool) store.Agreement {
	s.t.Helper()
	var a store.Agreement
	eventually(s.t, 20*time.Second, number+" "+what, func() (bool, string) {
		var err error
		a, err = s.store.GetAgreement(context.Background(), number)
		if err != nil {
			return false, err.Error()
		}
		return ok(a), fmt.Sprintf("status=%s version=%d until=%s flags=%v", a.Status, a.Version, a.ValidUntil.Format(time.DateOnly), a.Flags)
	})
	return a
}

// The acceptance of the MoU issue on the real stack: an LSP's MoU is terminated early, new
// assessments for its schemes wait (stuck, the missing agreement named), and signing a new MoU
// releases them within seconds — the journeys' own poll is an hour here, so only the new MoU's
// workflow telling them can. A PKS under the new MoU then answers the coverage query, and an
// addendum that shortens the MoU shortens the PKS through the workflows.
func TestLSPMoUTerminatedThenRenewedReleasesWaitingAssessments(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AgreementPoll = time.Hour
	sys := startSystem(t, cfg)
	ctx := context.Background()
	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}

	// The six seeded MoUs get their workflows; a second start starts nothing.
	started, err := sys.svc.StartAgreementWorkflows(ctx)
	if err != nil || len(started) != 6 {
		t.Fatalf("seeded agreement workflows: %v started, err %v", started, err)
	}
	again, err := sys.svc.StartAgreementWorkflows(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second start: %v started, err %v", again, err)
	}
	old := store.SeedMoUNumber("BPVP-SDA", "LSP-BLK-SBY", time.Date(2023, 1, 19, 0, 0, 0, 0, time.UTC))
	agreementIs := sys.agreementIs
	agreementIs(old, "tracked by its workflow", func(a store.Agreement) bool { return a.Version >= 1 && a.Status == agreement.Active })

	// Terminated early through the API: a refusal without a reason first.
	var e api.ErrorBody
	if code := sys.call("POST", mouURL(old, "terminate"), api.MoUTerminateRequest{Actor: coordinator}, &e); code != http.StatusUnprocessableEntity || !strings.Contains(e.Error, "needs a reason") {
		t.Fatalf("terminate without a reason: HTTP %d %q", code, e.Error)
	}
	var res api.MoUActionResponse
	if code := sys.call("POST", mouURL(old, "terminate"), api.MoUTerminateRequest{Actor: coordinator, Reason: "licence suspended by BNSP"}, &res); code != http.StatusOK {
		t.Fatalf("terminate: HTTP %d", code)
	}
	agreementIs(old, "terminated", func(a store.Agreement) bool { return a.Status == agreement.Terminated })
	if code := sys.call("POST", mouURL(old, "amend"), api.MoUAmendRequest{Actor: coordinator, ValidUntil: "+30d"}, &e); code != http.StatusUnprocessableEntity {
		t.Fatalf("amend a terminated MoU: HTTP %d, want 422", code)
	}

	// New assessments for its schemes wait, stuck, with the missing agreement named.
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-MOU-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS",
		LSP: "LSP-BLK-SBY", Start: now.Add(4 * time.Second).Format(time.RFC3339), End: now.Add(10 * time.Second).Format(time.RFC3339),
		Hours: 240, AutoApprove: true})
	ids := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 3))
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageTraining, 20*time.Second)
		one := 1
		var ur workflows.UpdateResult
		if code := sys.call("POST", "/api/v1/cases/"+id+"/attendance", workflows.Attendance{Actor: admin, Attended: &one}, &ur); code != http.StatusOK {
			t.Fatalf("attendance %s: HTTP %d", id, code)
		}
	}
	const reason = "no active MoU with LSP-BLK-SBY for centre BLK-SBY and scheme SKM-LAS"
	for _, id := range ids {
		eventually(t, 30*time.Second, "case "+id+" waiting for an LSP agreement", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, id)
			if err != nil {
				return false, err.Error()
			}
			return c.Stage == vocab.StageAssessment && c.Stuck && c.StuckCode == "no-agreement" &&
					c.StuckReason == reason && c.WaitingOn == vocab.WaitingAgreement,
				fmt.Sprintf("stage=%s stuck=%v code=%s reason=%q waiting=%s", c.Stage, c.Stuck, c.StuckCode, c.StuckReason, c.WaitingOn)
		})
	}
	if code := sys.call("GET", "/api/v1/coverage?partner=LSP-BLK-SBY&centre=BLK-SBY&scheme=SKM-LAS", nil, &e); code != http.StatusNotFound {
		t.Fatalf("coverage with the MoU terminated: HTTP %d, want 404", code)
	}
	var certs []store.Agreement
	sys.call("GET", "/api/v1/coverage/certifiers?centre=BLK-SBY&scheme=SKM-LAS", nil, &certs)
	if len(certs) != 4 || slices.ContainsFunc(certs, func(a store.Agreement) bool { return a.PartnerCode == "LSP-BLK-SBY" }) {
		t.Fatalf("certifiers while LSP-BLK-SBY has none: %+v", certs)
	}

	// A new MoU, signed today, releases them: no poll, no person pokes a case.
	const renewed = "MOU/BPVP-SDA/LSP-BLK-SBY/2026"
	signedAt := time.Now()
	var created store.Agreement
	if code := sys.call("POST", "/api/v1/mous", api.MoURequest{Number: renewed, Partner: "LSP-BLK-SBY", ValidFrom: "today",
		ValidUntil: "+365d", Schemes: []string{"SKM-LAS", "SKM-JAHIT"}, TestSites: []string{"TUK BLK Surabaya"},
		SignedOn: "today", Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP BLK Surabaya"}, Actor: coordinator}, &created); code != http.StatusCreated {
		t.Fatalf("create the new MoU: HTTP %d", code)
	}
	for _, id := range ids {
		sys.eventSeen(id, "assessment-scheduled", 20*time.Second)
	}
	released := time.Since(signedAt)
	t.Logf("%d waiting assessments released %s after the new MoU was signed (journey poll: %s)", len(ids), released.Round(time.Millisecond), cfg.Journey.AgreementPoll)
	for _, id := range ids {
		c, _ := sys.store.GetCase(ctx, id)
		if c.StuckCode == "no-agreement" || c.WaitingOn == vocab.WaitingAgreement {
			t.Errorf("case %s still waits for an agreement: %+v", id, c)
		}
		st, err := sys.svc.State(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Assessment.Agreement != renewed {
			t.Errorf("case %s assessed under %q, want %s", id, st.Assessment.Agreement, renewed)
		}
	}
	var d starter.AgreementDetail
	if code := sys.call("GET", mouURL(renewed, ""), nil, &d); code != http.StatusOK {
		t.Fatalf("show the new MoU: HTTP %d", code)
	}
	kinds := []string{}
	for _, ev := range d.Events {
		kinds = append(kinds, ev.Kind)
	}
	if d.Status != agreement.Active || !slices.Contains(kinds, "active") || !slices.Contains(kinds, "released") {
		t.Fatalf("new MoU %s, events %v", d.Status, kinds)
	}
	if d.DependentCases != len(ids) || len(d.Cases) != len(ids) || d.DaysToExpiry == nil || *d.DaysToExpiry != 366 {
		t.Fatalf("new MoU: %d dependent cases (%d listed), days to expiry %v", d.DependentCases, len(d.Cases), d.DaysToExpiry)
	}

	// A PKS with BLK-SBY under the new MoU is the most specific answer to the coverage query.
	const pks = "PKS/BLK-SBY/LSP-BLK-SBY/2026"
	if code := sys.call("POST", "/api/v1/mous", api.MoURequest{Number: pks, Kind: agreement.KindPKS, Parent: renewed, ValidFrom: "today",
		ValidUntil: "+400d", Centres: []string{"BLK-SBY"}, Schemes: []string{"SKM-LAS"}, TestSites: []string{"TUK BLK Surabaya"},
		SignedOn: "today", Signatories: []string{"Kepala BLK Surabaya"}, Actor: coordinator}, &e); code != http.StatusUnprocessableEntity ||
		!strings.Contains(e.Error, "may not outlive its MoU") {
		t.Fatalf("a PKS outliving its MoU: HTTP %d %q", code, e.Error)
	}
	if code := sys.call("POST", "/api/v1/mous", api.MoURequest{Number: pks, Kind: agreement.KindPKS, Parent: renewed, ValidFrom: "today",
		ValidUntil: "+300d", Centres: []string{"BLK-SBY"}, Schemes: []string{"SKM-LAS"}, TestSites: []string{"TUK BLK Surabaya"},
		SignedOn: "today", Signatories: []string{"Kepala BLK Surabaya"}, Actor: coordinator}, &created); code != http.StatusCreated {
		t.Fatalf("create the PKS: HTTP %d", code)
	}
	agreementIs(pks, "active", func(a store.Agreement) bool { return a.Status == agreement.Active })
	var cov store.Agreement
	if code := sys.call("GET", "/api/v1/coverage?partner=LSP-BLK-SBY&centre=BLK-SBY&scheme=SKM-LAS", nil, &cov); code != http.StatusOK || cov.Number != pks {
		t.Fatalf("coverage: HTTP %d %s, want the PKS", code, cov.Number)
	}

	// An addendum that shortens the MoU below the PKS's end shortens the PKS (and flags it).
	if code := sys.call("POST", mouURL(renewed, "amend"), api.MoUAmendRequest{Actor: coordinator, Ref: "ADD/01", ValidUntil: "+200d"}, &res); code != http.StatusOK {
		t.Fatalf("amend: HTTP %d", code)
	}
	short := agreementIs(pks, "shortened with its MoU", func(a store.Agreement) bool { return len(a.Flags) > 0 })
	wantUntil, _ := api.ParseDay("+200d", time.Now().In(sys.svc.Location()))
	if !short.ValidUntil.Equal(wantUntil) || !strings.Contains(short.Flags[0], "with its MoU "+renewed+" (ADD/01)") {
		t.Fatalf("PKS after the addendum: until %s, flags %v", short.ValidUntil.Format(time.DateOnly), short.Flags)
	}

	// The list shows the terminated MoU and the live ones with their dependent cases.
	var list []starter.AgreementView
	sys.call("GET", "/api/v1/mous?partner=LSP-BLK-SBY", nil, &list)
	statuses := map[string]string{}
	for _, v := range list {
		statuses[v.Number] = v.Status
	}
	if statuses[old] != agreement.Terminated || statuses[renewed] != agreement.Active || statuses[pks] != agreement.Active {
		t.Fatalf("list: %v", statuses)
	}
	// The released cases go on to the end of their journeys like any other.
	manager := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	for _, id := range ids {
		sys.caseIn(id, vocab.StageCertification, 20*time.Second)
		sys.approveCertification(manager, id)
	}
	if c := sys.caseIn(ids[0], vocab.StageClosed, 30*time.Second); c.Outcome != vocab.OutcomeNotPlaced || c.CertificateNo == "" {
		t.Fatalf("released case closed as %s with certificate %q", c.Outcome, c.CertificateNo)
	}
	recordHistories(t, sys, map[string]string{"journey-agreement-released": ids[0]})
	recordWorkflows(t, sys, map[string]string{"mou-seed-terminated": workflows.MoUWorkflowID(old)})
}
