package api

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// An escalation carries escalation.language and the case's stuck reason as its message, so the
// workflow words it in that language; a case without a coded reason keeps its English alone.
func TestEscalationInputCarriesLanguageAndReason(t *testing.T) {
	cfg := config.Default()
	s := &Server{Svc: &starter.Service{Config: &cfg}}
	c := store.Case{CaseID: "c1", CentreCode: "BLK-SBY", Stage: vocab.StageInsurance, StuckReason: "waiting on BPJS Ketenagakerjaan for more than 48h",
		StuckMessage: "stuck.partner-failing.bpjs", StuckParams: map[string]string{"sla": "48h0m0s"}}
	to := workflows.Unblocker{Role: vocab.RoleInsurerLiaison, Code: "unblock.bpjs-failing"}
	in := s.escalationInput(c, to, workflows.Actor{ID: "rina", Role: vocab.RoleOperator}, "", time.Now())
	if in.Language != "id" || in.Why.Code != "stuck.partner-failing.bpjs" || in.Why.Params["sla"] != "48h0m0s" || in.Reason != c.StuckReason {
		t.Errorf("default: %+v", in)
	}
	cfg.Escalation.Language = "en"
	c.StuckMessage, c.StuckParams = "", nil
	if in := s.escalationInput(c, to, workflows.Actor{}, "", time.Now()); in.Language != "en" || in.Why.Code != "" || in.Reason != c.StuckReason {
		t.Errorf("escalation.language en, no coded reason: %+v", in)
	}
}
