package integration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// refusalSystem starts a system with tokens and one trainee enrolled in a package of scheme
// SKM-LAS at BLK-SBY, certified by LSP-BLK-SBY: the enrolment approves itself and nobody
// misses a day (absence mode), so the case goes straight on to its assessment.
func refusalSystem(t *testing.T, code string, resultDelay time.Duration) (*system, string) {
	t.Helper()
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Simulators.LSP.ResultDelay = resultDelay
	sys := startSystemWith(t, cfg, systemOptions{Auth: true})
	now := time.Now()
	createPackage(t, sys, api.PackageRequest{Code: code, Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(5 * time.Second).Format(time.RFC3339), Hours: 240, AutoApprove: true})
	ids := enrol(t, sys, code, validPeople(t, now.Add(3*time.Second), 1))
	return sys, ids[0]
}

// simControl sends a request to the control API of LSP-BLK-SBY's simulator, as an operator
// testing against it would.
func (s *system) simControl(method, path, body string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.cfg.Partners.LSP.BaseURL+"/LSP-BLK-SBY"+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		s.t.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
}

// stuckWith waits until a case is stuck with code and returns its row.
func (s *system) stuckWith(caseID string, code vocab.Reason, within time.Duration) store.Case {
	s.t.Helper()
	var c store.Case
	eventually(s.t, within, fmt.Sprintf("case %s stuck %s", caseID, code), func() (bool, string) {
		c, _ = s.store.GetCase(context.Background(), caseID)
		return c.Stuck && c.StuckCode == code, fmt.Sprintf("stage=%s waiting=%s stuck=%s %s", c.Stage, c.WaitingOn, c.StuckCode, c.StuckReason)
	})
	return c
}

// Done when (issue 13): an LSP refusal leaves the case stuck certificate-refused, in the inbox,
// and a retry after the LSP fixes its record issues the certificate once. The LSP simulator
// refuses the candidate's certificate (its control API) until told to stop; a retry before the
// fix is refused again and the case stays stuck; only the LSP certification manager of the
// case's LSP (or the coordinator) may retry, only the coordinator may close without a
// certificate.
func TestLSPRefusalStuckInInboxThenRetryIssuesOnce(t *testing.T) {
	sys, id := refusalSystem(t, "IT-REFUSE-1", 500*time.Millisecond)
	budi := sys.as(sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY"))
	eko := sys.as(sys.newToken("eko", vocab.RoleLSPManager, "LSP-BLK-JBG"))
	siti := sys.as(sys.newToken("siti", vocab.RoleCentreAdmin, "BLK-SBY"))
	lsp := sys.sims.LSPs["LSP-BLK-SBY"]
	sys.simControl("POST", "/sim/refusals", fmt.Sprintf(`{"candidate_ref":%q,"message":"no assessment with this id"}`, id))

	sys.caseIn(id, vocab.StageCertification, 40*time.Second)
	budi.approveCertification(workflows.Actor{}, id)
	c := sys.stuckWith(id, vocab.StuckCertificateRefused, 30*time.Second)
	if c.Stage != vocab.StageCertification || c.WaitingOn != vocab.WaitingLSPManager || c.CertificateNo != "" ||
		!strings.Contains(c.StuckReason, `LSP-BLK-SBY refused to issue the certificate ("no assessment with this id")`) {
		t.Fatalf("refused case: %+v", c)
	}

	// In the LSP manager's inbox, with the LSP's words, not among the approvals.
	ctx := context.Background()
	in, err := budi.client().Inbox(ctx, apiclient.InboxFilter{Role: vocab.RoleLSPManager})
	if err != nil {
		t.Fatalf("inbox: %v", err)
	}
	groups := map[string][]api.InboxItem{}
	for _, g := range in.Groups {
		groups[g.Kind] = g.Cases
	}
	if r := groups["certificate-refused"]; len(r) != 1 || r[0].CaseID != id || !strings.Contains(r[0].Why, "no assessment with this id") {
		t.Fatalf("certificate-refused group %+v", r)
	}
	if len(groups["certification-approval"]) != 0 {
		t.Fatalf("the refused case is also listed as an approval: %+v", groups["certification-approval"])
	}
	// In the stuck list, as a person's decision and not a call to retry.
	st, err := budi.client().ListStuck(ctx, apiclient.StuckFilter{Reason: vocab.StuckCertificateRefused})
	if err != nil || len(st.Cases) != 1 || !st.Cases[0].Refusal || st.Cases[0].Retryable || st.Cases[0].Unblock.Role != vocab.RoleLSPManager || st.Cases[0].Unblock.Scope != "LSP-BLK-SBY" {
		t.Fatalf("stuck list %+v", st.Cases)
	}

	// Who may take which way out.
	retry, reassess, skip := (*apiclient.Client).RetryRefused, (*apiclient.Client).OrderReassessment, (*apiclient.Client).CloseUncertified
	var last *apiclient.Error
	for i, tc := range []struct {
		who  *system
		way  func(*apiclient.Client, context.Context, string, workflows.RefusalDecision) (workflows.UpdateResult, error)
		want apiclient.Code
	}{
		{siti, retry, apiclient.CodeForbidden},   // a centre admin is not the LSP
		{eko, retry, apiclient.CodeNotFound},     // another LSP's manager does not see the case
		{budi, skip, apiclient.CodeForbidden},    // the coordinator's decision
		{sys, reassess, apiclient.CodeForbidden}, // the LSP's to hold
		{sys, skip, apiclient.CodeRefused},       // a reason is needed
	} {
		_, err := tc.way(tc.who.client(), ctx, id, workflows.RefusalDecision{})
		if !errors.As(err, &last) || last.Code != tc.want {
			t.Errorf("way out %d: %v, want %s", i, err, tc.want)
		}
	}
	if last == nil || !strings.Contains(last.Message, "needs a reason") {
		t.Errorf("close without a reason: %v", last)
	}

	// A retry before the LSP fixed its record is refused again: still stuck.
	if _, err := budi.client().RetryRefused(ctx, id, workflows.RefusalDecision{Reason: "trying again"}); err != nil {
		t.Fatalf("retry: %v", err)
	}
	eventually(t, 20*time.Second, "refused a second time", func() (bool, string) {
		evs, _ := sys.store.CaseEvents(context.Background(), id)
		n := 0
		for _, ev := range evs {
			if ev.Kind == "certificate-refused" {
				n++
			}
		}
		return n == 2, fmt.Sprintf("%d refusals", n)
	})
	sys.stuckWith(id, vocab.StuckCertificateRefused, 20*time.Second)

	// The LSP fixes its record; the manager retries; the certificate is issued, once.
	sys.simControl("DELETE", "/sim/refusals/"+id, "")
	if _, err := budi.client().RetryRefused(ctx, id, workflows.RefusalDecision{Reason: "record fixed"}); err != nil {
		t.Fatalf("retry after the fix: %v", err)
	}
	c = sys.caseIn(id, vocab.StagePlacement, 30*time.Second)
	if c.CertificateNo == "" || c.Stuck {
		t.Fatalf("after the retry: %+v", c)
	}
	key := id + "-cert"
	stats := lsp.Stats()
	if stats.CertificateCallsByKey[key] != 3 || stats.CertificatesByKey[key] != 1 || lsp.CertificateCount() != 1 || len(stats.CertificateCallsByKey) != 1 {
		t.Fatalf("LSP saw calls %v, created %v, %d certificates: want 3 calls and 1 certificate, all under %s",
			stats.CertificateCallsByKey, stats.CertificatesByKey, lsp.CertificateCount(), key)
	}
	evs, _ := sys.store.CaseEvents(context.Background(), id)
	var retries []string
	for _, ev := range evs {
		if ev.Kind == "refusal-retried" {
			retries = append(retries, ev.ActorID+": "+ev.Detail)
		}
	}
	if !slices.Equal(retries, []string{"budi: retry of the certificate issuance asked: trying again", "budi: retry of the certificate issuance asked: record fixed"}) {
		t.Errorf("retries in the log: %q", retries)
	}
	sys.caseIn(id, vocab.StageClosed, 30*time.Second)
	recordHistories(t, sys, map[string]string{"journey-certificate-refused-retried": id})
}

// Done when (issue 13): a partial assessment is refused naming the missing units; competent
// needs every unit K. The LSP's result comes late (an hour), so the LSP certification manager
// records it: 3 of SKM-LAS's 5 units are refused naming the other 2; with one BK the BK unit
// alone is re-assessed (at the LSP too), and only K on it makes the trainee competent.
func TestPartialAssessmentRefusedCompetentNeedsEveryUnitK(t *testing.T) {
	sys, id := refusalSystem(t, "IT-UNITS-1", time.Hour)
	budi := sys.as(sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY"))
	scheme := []string{"LOG.OO01.002.01", "LOG.OO01.003.01", "LOG.OO02.005.01", "LOG.OO09.001.01", "LOG.OO18.002.01"}
	result := func(units map[string]string) workflows.AssessmentResult {
		r := workflows.AssessmentResult{AssessorID: "ASR-007"}
		for _, u := range scheme {
			if v, ok := units[u]; ok {
				r.Units = append(r.Units, workflows.UnitResult{Unit: u, Result: v})
			}
		}
		return r
	}
	ctx := context.Background()
	attempt := func(n int) *workflows.CaseState {
		var v api.CaseView
		eventually(t, 40*time.Second, fmt.Sprintf("assessment %d scheduled", n), func() (bool, string) {
			var err error
			if v, err = budi.client().GetCase(ctx, id); err != nil || v.State == nil {
				return false, v.StateError
			}
			a := v.State.Assessment
			return a.Attempt == n && a.Schedule != nil, fmt.Sprintf("stage %s attempt %d", v.State.Stage, a.Attempt)
		})
		return v.State
	}

	s := attempt(1)
	if !slices.Equal(s.Assessment.Units, scheme) || !slices.Equal(s.Assessment.Schedule.Units, scheme) {
		t.Fatalf("units of the first assessment: %v / %v, want the registry's %v", s.Assessment.Units, s.Assessment.Schedule.Units, scheme)
	}
	record := func(r workflows.AssessmentResult) (workflows.UpdateResult, *apiclient.Error) {
		res, err := budi.client().RecordAssessment(ctx, id, r)
		var e *apiclient.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatal(err)
		}
		return res, e
	}
	partial := result(map[string]string{scheme[0]: "K", scheme[1]: "K", scheme[2]: "K"})
	if _, e := record(partial); e == nil || e.Code != apiclient.CodeRefused || !strings.Contains(e.Message, "missing units LOG.OO09.001.01, LOG.OO18.002.01") {
		t.Fatalf("partial result: %v, want a refusal naming the two missing units", e)
	}
	oneBK := result(map[string]string{scheme[0]: "K", scheme[1]: "K", scheme[2]: "K", scheme[3]: "K", scheme[4]: "BK"})
	if res, e := record(oneBK); e != nil || !strings.Contains(res.Message, "4 K, 1 BK") {
		t.Fatalf("whole result: %v %+v", e, res)
	}

	s = attempt(2)
	if !slices.Equal(s.Assessment.Schedule.Units, []string{"LOG.OO18.002.01"}) || s.Assessment.Competent != nil {
		t.Fatalf("re-assessment: units %v, competent %v", s.Assessment.Schedule.Units, s.Assessment.Competent)
	}
	if n := sys.sims.LSPs["LSP-BLK-SBY"].Assessments()[id+"-assess-2"]; n != 1 {
		t.Fatalf("the LSP scheduled %d re-assessments", n)
	}
	if _, e := record(oneBK); e == nil || e.Code != apiclient.CodeRefused || !strings.Contains(e.Message, "units not in this assessment LOG.OO01.002.01") {
		t.Fatalf("the first result again: %v", e)
	}
	if _, e := record(result(map[string]string{scheme[4]: "K"})); e != nil {
		t.Fatalf("re-assessment result: %v", e)
	}
	// (The simulated LSP's own result comes an hour later, so the certificate is not asked for
	// here: competence is the journey's call on the recorded results.)
	c := sys.caseIn(id, vocab.StageCertification, 20*time.Second)
	if !c.Competent {
		t.Fatalf("competent not recorded: %+v", c.Milestones)
	}
	evs, _ := sys.store.CaseEvents(context.Background(), id)
	var competent []string
	for _, ev := range evs {
		if ev.Kind == "competent" || ev.Kind == "not-competent" {
			competent = append(competent, ev.Detail)
		}
	}
	if !slices.Equal(competent, []string{"kompeten (K) on every unit of SKM-LAS (5 units)"}) {
		t.Fatalf("competence in the log: %q", competent)
	}
}
