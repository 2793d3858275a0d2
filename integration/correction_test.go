package integration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// waitingCorrection waits until BPJS refused a case's data and the case waits for a correction.
func (s *system) waitingCorrection(caseID string, within time.Duration) store.Case {
	s.t.Helper()
	var c store.Case
	eventually(s.t, within, "case "+caseID+" waiting for a correction", func() (bool, string) {
		c, _ = s.store.GetCase(context.Background(), caseID)
		return c.Stage == vocab.StageInsurance && c.WaitingOn == vocab.WaitingCorrection, fmt.Sprintf("stage=%s waiting=%s kpj=%q", c.Stage, c.WaitingOn, c.KPJ)
	})
	return c
}

// Done when (issue 16, point 5): BPJS refuses two people's data — the population register knows
// one NIK under another name, and the other NIK as somebody else — and each case waits for a
// correction. Corrections sent through the API (a centre admin of the case's centre only; a bad
// NIK refused with the import's words and nothing written) fix the records, and each
// registration then goes through exactly once by BPJS's own records. The corrected NIK keeps the
// case: importing it again into the package finds the same case and starts nothing.
func TestCorrectionAfterBPJSRefusalRegistersOnce(t *testing.T) {
	cfg := fastConfig(t)
	sys := startSystemWith(t, cfg, systemOptions{Auth: true})
	ctx := context.Background()
	now := time.Now()
	start := now.Add(90 * time.Second)
	createPackage(t, sys, api.PackageRequest{Code: "IT-CORR-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: start.Format(time.RFC3339), End: start.Add(5 * time.Second).Format(time.RFC3339), Hours: 240, AutoApprove: true})
	people := validPeople(t, start, 4)
	named, wrongNIK, rightNIK, fine := people[0], people[1], people[2].NIK, people[3]
	bpjs := sys.sims.BPJS
	bpjs.KnowPerson(named.NIK, named.Name+" Rahayu", named.BirthDate)                           // the name was imported short
	bpjs.KnowPerson(wrongNIK.NIK, "Somebody Else", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)) // a digit typed wrong
	ids := enrol(t, sys, "IT-CORR-1", []starter.Person{named, wrongNIK, fine})
	idName, idNIK, idFine := ids[0], ids[1], ids[2]

	ani := sys.as(sys.newToken("ani", vocab.RoleCentreAdmin, "BLK-SBY")).client()
	eko := sys.as(sys.newToken("eko", vocab.RoleCentreAdmin, "BLK-JBG")).client()
	c := sys.waitingCorrection(idName, time.Minute)
	sys.waitingCorrection(idNIK, time.Minute)
	refused := func(err error, code apiclient.Code, words string) {
		t.Helper()
		var e *apiclient.Error
		if !errors.As(err, &e) || e.Code != code || !strings.Contains(e.Message, words) {
			t.Fatalf("error %v, want %s saying %q", err, code, words)
		}
	}
	_, err := eko.CorrectParticipant(ctx, idName, api.CorrectionRequest{Name: named.Name + " Rahayu"})
	refused(err, apiclient.CodeNotFound, "not found") // another centre's admin does not see the case
	_, err = ani.CorrectParticipant(ctx, idNIK, api.CorrectionRequest{NIK: "3.51502E+15"})
	refused(err, apiclient.CodeRefused, "scientific notation")
	eventually(t, 30*time.Second, "case "+idFine+" insured", func() (bool, string) {
		f, _ := sys.store.GetCase(ctx, idFine)
		return f.KPJ != "", "kpj empty"
	})
	_, err = ani.CorrectParticipant(ctx, idFine, api.CorrectionRequest{Name: "Not Refused"})
	refused(err, apiclient.CodeRefused, "not waiting for a correction")
	if p, _ := sys.store.GetParticipant(ctx, c.NIKHash); p.Name != named.Name {
		t.Fatalf("a refused correction changed the record: %q", p.Name)
	}
	if p, _ := sys.store.GetParticipant(ctx, enrolledHash(sys, fine.NIK)); p.Name != fine.Name {
		t.Fatalf("a correction of a case not waiting changed the record: %q", p.Name)
	}

	res, err := ani.CorrectParticipant(ctx, idName, api.CorrectionRequest{Name: named.Name + " Rahayu", Note: "from the KTP"})
	if err != nil || len(res.Changes) != 1 || res.Changes[0].Field != "name" {
		t.Fatalf("name correction: %+v, %v", res, err)
	}
	res, err = ani.CorrectParticipant(ctx, idNIK, api.CorrectionRequest{NIK: rightNIK})
	if err != nil || len(res.Changes) != 1 || res.Changes[0].Field != "nik" || strings.Contains(res.Changes[0].New, rightNIK) {
		t.Fatalf("NIK correction: %+v, %v", res, err)
	}
	for _, id := range []string{idName, idNIK} {
		eventually(t, time.Minute, "case "+id+" insured after its correction", func() (bool, string) {
			c, _ := sys.store.GetCase(ctx, id)
			return c.KPJ != "", fmt.Sprintf("stage=%s waiting=%s", c.Stage, c.WaitingOn)
		})
	}

	// BPJS's own records: one registration per case, under the key after the correction.
	regs := bpjs.Registrations()
	for _, id := range []string{idName, idNIK} {
		if regs[id+"-bpjs-0"] != 0 || regs[id+"-bpjs-1"] != 1 {
			t.Errorf("case %s: registrations %v, want exactly one under %s-bpjs-1", id, regs, id)
		}
	}
	if regs[idFine+"-bpjs-0"] != 1 || len(regs) != 3 || bpjs.Stats().People != 3 {
		t.Errorf("BPJS holds %v for %d people, want 3 registrations for 3", regs, bpjs.Stats().People)
	}
	// The timeline: refused, corrected by ani, insured once.
	for _, id := range []string{idName, idNIK} {
		evs, err := sys.store.CaseEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		var corrected store.Event
		for _, e := range evs {
			kinds[e.Kind]++
			if e.Kind == "corrected" {
				corrected = e
			}
		}
		if kinds["insurance-data-error"] != 1 || kinds["corrected"] != 1 || kinds["insured"] != 1 || corrected.ActorID != "ani" {
			t.Errorf("case %s timeline %v, corrected by %q", id, kinds, corrected.ActorID)
		}
		if strings.Contains(corrected.Detail, rightNIK) {
			t.Errorf("the timeline shows the NIK in clear: %q", corrected.Detail)
		}
	}
	if recs, err := sys.store.CorrectionsOf(ctx, idName); err != nil || len(recs) != 1 || recs[0].Actor != "ani" || recs[0].Reverted != nil {
		t.Errorf("audit of %s: %+v, %v", idName, recs, err)
	}

	// The corrected NIK is the same person: importing it again starts nothing, under the same case.
	again := wrongNIK
	again.NIK = rightNIK
	var resp api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-CORR-1/enrolments", api.EnrolRequest{People: []starter.Person{again}}, &resp); code != http.StatusOK ||
		len(resp.Results) != 1 || resp.Results[0].Outcome != starter.OutcomeAlreadyEnrolled || resp.Results[0].CaseID != idNIK {
		t.Fatalf("corrected NIK imported again: HTTP %d %+v", code, resp.Results)
	}
	if p, _ := sys.store.GetParticipant(ctx, enrolledHash(sys, wrongNIK.NIK)); p.NIK != rightNIK {
		t.Errorf("the record under the case's key does not hold the corrected NIK")
	}
	// The replaced NIK: the refused row again is the same case; in another package it may be
	// another person, so it is refused for a person to check, not joined to this record.
	resp = api.EnrolResponse{}
	if code := sys.call("POST", "/api/v1/packages/IT-CORR-1/enrolments", api.EnrolRequest{People: []starter.Person{wrongNIK}}, &resp); code != http.StatusOK ||
		len(resp.Results) != 1 || resp.Results[0].Outcome != starter.OutcomeAlreadyEnrolled || resp.Results[0].CaseID != idNIK {
		t.Fatalf("replaced NIK imported again: HTTP %d %+v", code, resp.Results)
	}
	createPackage(t, sys, api.PackageRequest{Code: "IT-CORR-2", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: start.Format(time.RFC3339), End: start.Add(5 * time.Second).Format(time.RFC3339), Hours: 240, AutoApprove: true})
	resp = api.EnrolResponse{}
	if code := sys.call("POST", "/api/v1/packages/IT-CORR-2/enrolments", api.EnrolRequest{People: []starter.Person{wrongNIK}}, &resp); code != http.StatusOK ||
		len(resp.Results) != 1 || resp.Results[0].Outcome != starter.OutcomeFailed || !strings.Contains(resp.Results[0].Error, "was corrected to another NIK") {
		t.Fatalf("replaced NIK in another package: HTTP %d %+v", code, resp.Results)
	}
}

// enrolledHash is the key a NIK was enrolled under.
func enrolledHash(s *system, n string) string { return s.svc.NIKHash(n) }
