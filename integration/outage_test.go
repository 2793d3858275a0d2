package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// With BPJS in an outage, cases wait and retry, are marked stuck past the SLA with the
// attempt count and the partner's last error, and move on by themselves when the outage ends;
// nobody is registered twice.
func TestBPJSOutageMarksStuckThenRecovers(t *testing.T) {
	cfg := fastConfig(t)
	cfg.SLA.Insurance = 3 * time.Second
	sys := startSystem(t, cfg)
	ctx := context.Background()
	sys.sims.BPJS.StartOutage(time.Hour)

	var pkg store.Package
	now := time.Now()
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-OUTAGE", Centre: "BLK-SGS", Trade: "Otomotif", Scheme: "SKM-OTO", LSP: "LSP-BLK-SGS",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 3)
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-OUTAGE/enrolments", api.EnrolRequest{People: people}, &enrolled); code != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", code)
	}
	for _, r := range enrolled.Results {
		eventually(t, 30*time.Second, "case "+r.CaseID+" stuck on BPJS", func() (bool, string) {
			c, err := sys.store.GetCase(ctx, r.CaseID)
			if err != nil {
				return false, err.Error()
			}
			ok := c.Stuck && c.StuckCode == "partner-failing" && c.WaitingOn == vocab.WaitingBPJS &&
				c.Attempts >= 2 && strings.Contains(c.LastError, "503")
			return ok, string(c.Stage) + " " + string(c.StuckCode) + " " + c.LastError
		})
	}
	if n := sys.sims.BPJS.RegistrationCount(); n != 0 {
		t.Fatalf("registrations during the outage = %d", n)
	}

	sys.sims.BPJS.EndOutage()
	for _, r := range enrolled.Results {
		c := sys.caseIn(r.CaseID, vocab.StageTraining, 60*time.Second)
		if c.Stuck || c.KPJ == "" || c.Attempts != 0 {
			t.Errorf("case %s after the outage: stuck=%v kpj=%q attempts=%d", r.CaseID, c.Stuck, c.KPJ, c.Attempts)
		}
		sys.eventSeen(r.CaseID, "unstuck", 5*time.Second)
	}
	if n := sys.sims.BPJS.RegistrationCount(); n != len(people) {
		t.Fatalf("registrations = %d, want exactly %d", n, len(people))
	}
}
