package integration

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// outageScale shortens time in TestTenMinutePartnerOutageLosesNothing: one real minute is one
// second of the test, for the outage and for the partner backoff alike.
const outageScale = 60

// Both partners are down for ten (scaled) minutes at once: BPJS while one cohort is being
// insured, the LSP while another cohort's certificates are being issued. The cases are marked
// stuck with the partner's error, go on by themselves when the partners are back (within the
// scaled retry_max of the backoff), and nothing is lost or done twice: one registration and
// one certificate per person.
func TestTenMinutePartnerOutageLosesNothing(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Partners.RetryInitial = 2 * time.Second / outageScale
	cfg.Partners.RetryMax = 10 * time.Minute / outageScale
	cfg.SLA.Insurance = 3 * time.Second
	cfg.SLA.CertificateIssue = 3 * time.Second
	outage := 10 * time.Minute / outageScale
	sys := startSystem(t, cfg)
	lsp := sys.sims.LSPs["LSP-BLK-SBY"]

	now := time.Now()
	certifying := createPackage(t, sys, api.PackageRequest{Code: "IT-LONG-CERT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(5 * time.Second).Format(time.RFC3339), AutoApprove: true})
	people := validPeople(t, now.Add(time.Hour), 16)
	certIDs := enrol(t, sys, certifying.Code, people[:8])
	for _, id := range certIDs {
		sys.caseIn(id, vocab.StageCertification, time.Minute)
	}

	registeredBefore, certifiedBefore := sys.sims.BPJS.RegistrationCount(), lsp.CertificateCount()
	// The outage lasts until every case has been seen stuck and at least ten scaled minutes have
	// passed: its end is the test's decision, so a slow machine cannot end it before the cases
	// notice it.
	outageStart := sys.sims.BPJS.StartOutage(time.Hour).Start
	lsp.StartOutage(time.Hour)
	manager := workflows.Actor{ID: "lsp-mgr-1", Role: vocab.RoleLSPManager}
	for _, id := range certIDs {
		sys.approveCertification(manager, id)
	}
	insuring := createPackage(t, sys, api.PackageRequest{Code: "IT-LONG-INS", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true})
	insIDs := enrol(t, sys, insuring.Code, people[8:])

	// During the outage: every case waits, marked stuck with the partner's answer.
	for _, id := range append(append([]string(nil), insIDs...), certIDs...) {
		sys.eventSeen(id, "stuck", time.Minute)
	}
	if n, m := sys.sims.BPJS.RegistrationCount(), lsp.CertificateCount(); n != registeredBefore || m != certifiedBefore {
		t.Fatalf("during the outage: %d registrations (%d before), %d certificates (%d before)", n, registeredBefore, m, certifiedBefore)
	}
	eventually(t, outage+time.Minute, "the outage to last its ten scaled minutes", func() (bool, string) {
		return time.Since(outageStart) >= outage, time.Since(outageStart).String()
	})
	sys.sims.BPJS.EndOutage()
	lsp.EndOutage()
	outageEnd := time.Now()

	// After it: everyone goes on without anybody's help.
	for _, id := range insIDs {
		c := sys.caseIn(id, vocab.StageTraining, time.Minute)
		if c.KPJ == "" || c.Stuck {
			t.Errorf("case %s after the outage: kpj %q stuck %v", id, c.KPJ, c.Stuck)
		}
		sys.eventSeen(id, "unstuck", 5*time.Second)
	}
	for _, id := range certIDs {
		c := sys.caseIn(id, vocab.StageClosed, time.Minute)
		if c.Outcome != vocab.OutcomeNotPlaced || c.CertificateNo == "" {
			t.Errorf("case %s after the outage: outcome %s certificate %q", id, c.Outcome, c.CertificateNo)
		}
		sys.eventSeen(id, "unstuck", 5*time.Second)
	}
	resumed := time.Since(outageEnd)

	regs, certs := sys.sims.BPJS.Registrations(), lsp.Certificates()
	for _, id := range append(append([]string(nil), insIDs...), certIDs...) {
		if n := regs[id+"-bpjs-0"]; n != 1 {
			t.Errorf("case %s: %d registrations, want exactly 1", id, n)
		}
	}
	for _, id := range certIDs {
		if n := certs[id+"-cert"]; n != 1 {
			t.Errorf("case %s: %d certificates, want exactly 1", id, n)
		}
	}
	if n := lsp.CertificateCount(); n != len(certIDs) {
		t.Errorf("certificates = %d, want %d", n, len(certIDs))
	}
	t.Logf("a %s outage (at least %d real minutes scaled 1:%d); every case moved on within %s of its end",
		outageEnd.Sub(outageStart).Round(100*time.Millisecond), int(outage*outageScale/time.Minute), outageScale, resumed.Round(100*time.Millisecond))
}
