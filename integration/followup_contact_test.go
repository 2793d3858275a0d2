package integration

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Issue 16 point 4's leftovers end to end: a graduate in placement follow-up is called twice
// with no placement ("still looking", then "not reached"); both contacts are on the case's
// timeline in the read model by the centre admin, the case stays in follow-up waiting on the
// centre admin, and a placement reported later closes it as placed. Its history is recorded
// for the replay test (journey-follow-up-contacts, the follow-up-contacts version).
func TestFollowUpContactsKeepTheCaseInFollowUp(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	cfg.Journey.Month = time.Minute // the first follow-up is a minute away: the contacts come before it
	sys := startSystem(t, cfg)
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-CONTACT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(3 * time.Second).Format(time.RFC3339), End: now.Add(5 * time.Second).Format(time.RFC3339), Hours: 240, AutoApprove: true})
	id := enrol(t, sys, pkg.Code, validPeople(t, now.Add(3*time.Second), 1))[0]
	sys.caseIn(id, vocab.StageCertification, 60*time.Second)
	eventually(t, 20*time.Second, "waiting on the LSP manager", func() (bool, string) {
		c, _ := sys.store.GetCase(t.Context(), id)
		return c.WaitingOn == vocab.WaitingLSPManager, string(c.WaitingOn)
	})
	sys.approveCertification(workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}, id)
	sys.caseIn(id, vocab.StagePlacement, 30*time.Second)

	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	var res workflows.UpdateResult
	for _, c := range []workflows.FollowUpContact{{Actor: admin, Contact: vocab.ContactStillLooking, Note: "interview next week"}, {Actor: admin, Contact: vocab.ContactNotReached}} {
		if code := sys.call("POST", "/api/v1/cases/"+id+"/follow-up", c, &res); code != http.StatusOK {
			t.Fatalf("follow-up %s: HTTP %d", c.Contact, code)
		}
	}
	var e api.ErrorBody
	if code := sys.call("POST", "/api/v1/cases/"+id+"/follow-up", workflows.FollowUpContact{Actor: admin, Contact: "employed"}, &e); code != http.StatusUnprocessableEntity && code != http.StatusBadRequest {
		t.Fatalf("an unknown contact outcome: HTTP %d, want refused", code)
	}
	var contacts []string
	eventually(t, 10*time.Second, "both contacts in the read model", func() (bool, string) {
		evs, _ := sys.store.CaseEvents(t.Context(), id)
		contacts = contacts[:0]
		for _, ev := range evs {
			if ev.Kind == "follow-up-contact" && ev.ActorID == "siti" && ev.ActorRole == vocab.RoleCentreAdmin {
				contacts = append(contacts, ev.Detail)
			}
		}
		return len(contacts) == 2, strings.Join(contacts, "; ")
	})
	if !slices.Equal(contacts, []string{"follow-up contact: still-looking (interview next week)", "follow-up contact: not-reached"}) {
		t.Errorf("contacts on the timeline: %q", contacts)
	}
	c, err := sys.store.GetCase(t.Context(), id)
	if err != nil || c.Status != store.StatusOpen || c.Stage != vocab.StagePlacement || c.WaitingOn != vocab.WaitingCentreAdmin {
		t.Fatalf("after the contacts: %+v %v; want open in placement, waiting on the centre admin", c, err)
	}
	if code := sys.call("POST", "/api/v1/cases/"+id+"/placement", workflows.PlacementReport{
		Actor: admin, Category: vocab.PlacementFormal, Employer: "PT Maju Jaya", Start: time.Now()}, &res); code != http.StatusOK {
		t.Fatalf("placement: HTTP %d", code)
	}
	c = sys.caseIn(id, vocab.StageClosed, 20*time.Second)
	if c.Outcome != vocab.OutcomePlacedFormal {
		t.Fatalf("closed %s, want placed-formal", c.Outcome)
	}
	recordHistories(t, sys, map[string]string{"journey-follow-up-contacts": id})
}
