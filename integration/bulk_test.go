package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The bulk decision (issue 15 point 3), through the HTTP API on the embedded server with
// real journeys: one request approves five enrolments of a five-seat package and answers the
// sixth, in the same request, refused with the seat count; a case whose check found a rule not
// met is refused until the override is confirmed with a reason, which then lands in its timeline.
func TestBulkApprovalTakesFiveSeatsAndRefusesTheSixth(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	ctx := context.Background()
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-BULK-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY", Capacity: 5,
		Start: now.Add(5 * time.Minute).Format(time.RFC3339), End: now.Add(6 * time.Minute).Format(time.RFC3339), Hours: 240,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 7)
	people[6].BirthDate = pkg.StartDate.AddDate(-15, 0, 0) // 15 at the start: below the minimum age
	people[6].Warnings = []string{"phone number is not a recognisable Indonesian mobile number (08…, +62…)"}
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-BULK-1/enrolments", api.EnrolRequest{People: people}, &enrolled); code != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", code)
	}
	ids := make([]string, len(enrolled.Results))
	for i, r := range enrolled.Results {
		if r.Outcome != starter.OutcomeStarted && r.Outcome != starter.OutcomeWarnedStarted {
			t.Fatalf("person %d: outcome %s (%s)", i, r.Outcome, r.Error)
		}
		ids[i] = r.CaseID
	}
	for _, id := range ids {
		eventually(t, 20*time.Second, "waiting on the centre admin", func() (bool, string) {
			c, _ := sys.store.GetCase(ctx, id)
			return c.WaitingOn == vocab.WaitingCentreAdmin, string(c.WaitingOn)
		})
	}

	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}

	// Six in one request for five seats: five approved, the sixth refused with the count.
	res, err := sys.client().DecideMany(ctx, api.DecisionsRequest{Actor: admin, Kind: "enrolment", Action: "approve", CaseIDs: ids[:6]})
	if err != nil {
		t.Fatalf("bulk approve: %v", err)
	}
	if res.Total != 6 || res.Done != 5 || res.Refused != 1 || len(res.Outcomes) != 6 {
		t.Fatalf("bulk approve answered %+v, want 5 done and 1 refused", res)
	}
	for i, o := range res.Outcomes[:5] {
		if !o.OK || o.CaseID != ids[i] || !strings.HasPrefix(o.Message, "enrolment approved: seat") {
			t.Errorf("case %d: %+v, want approved with a seat", i, o)
		}
	}
	sixth := res.Outcomes[5]
	if want := "package IT-BULK-1 is full: 5 of 5 seats taken"; sixth.OK || sixth.CaseID != ids[5] || sixth.Status != http.StatusConflict || sixth.Message != want {
		t.Fatalf("sixth: %+v, want refused 409 %q", sixth, want)
	}
	// The journey's refusal carries its code through starter to the answer, worded in the
	// request's language (Indonesian: the client asks for none).
	if sixth.Code != "refusal.package-full" || sixth.Words != "paket IT-BULK-1 penuh: 5 dari 5 kursi terisi" {
		t.Errorf("sixth: code %q, words %q; want refusal.package-full in Indonesian", sixth.Code, sixth.Words)
	}
	for _, id := range ids[:5] {
		eventually(t, 20*time.Second, "past enrolment", func() (bool, string) {
			c, _ := sys.store.GetCase(ctx, id)
			return c.Stage != vocab.StageEnrolment || c.WaitingOn != vocab.WaitingCentreAdmin, string(c.Stage) + "/" + string(c.WaitingOn)
		})
	}

	// Every remaining case of the package, by filter, onto the waiting list: the under-age one is
	// refused naming its rule until the override is confirmed with a reason.
	if code := sys.call("POST", "/api/v1/decisions", api.DecisionsRequest{Actor: admin, Kind: "enrolment", Action: "approve", Waitlist: true,
		Filter: &api.DecisionFilter{Package: "IT-BULK-1"}}, &res); code != http.StatusOK {
		t.Fatalf("bulk approve by filter: HTTP %d", code)
	}
	byCase := map[string]api.DecisionOutcome{}
	for _, o := range res.Outcomes {
		byCase[o.CaseID] = o
	}
	if res.Total != 2 || !byCase[ids[5]].OK || !strings.Contains(byCase[ids[5]].Message, "waiting list") {
		t.Fatalf("by filter: %+v, want the sixth on the waiting list", res)
	}
	if o := byCase[ids[6]]; o.OK || o.Status != http.StatusUnprocessableEntity || !strings.Contains(o.Message, "age 15 at the start date is below the minimum") {
		t.Fatalf("under-age case: %+v, want refused naming the rule", o)
	}
	// The inbox shows the rule and the import's warning beside the approval.
	var in api.Inbox
	if code := sys.call("GET", "/api/v1/inbox?role=centre-admin", nil, &in); code != http.StatusOK {
		t.Fatalf("inbox: HTTP %d", code)
	}
	var ev *api.Evidence
	for _, g := range in.Groups {
		for _, c := range g.Cases {
			if c.CaseID == ids[6] {
				ev = c.Evidence
			}
		}
	}
	if ev == nil || len(ev.RulesNotMet) != 1 || len(ev.Warnings) != 1 || !strings.HasPrefix(ev.Warnings[0], "phone number is not") {
		t.Fatalf("evidence of the under-age case: %+v, want its rule and its import warning", ev)
	}
	reason := "the regency sponsors this apprentice"
	if code := sys.call("POST", "/api/v1/decisions", api.DecisionsRequest{Actor: admin, Kind: "enrolment", Action: "approve", Waitlist: true,
		OverrideRules: true, Reason: reason, CaseIDs: ids[6:]}, &res); code != http.StatusOK || res.Done != 1 {
		t.Fatalf("override: HTTP %d %+v", code, res)
	}
	evs, err := sys.store.CaseEvents(ctx, ids[6])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		found = found || (e.Kind == "rules-overridden" && strings.Contains(e.Detail, "age 15") && strings.HasSuffix(e.Detail, "reason: "+reason))
	}
	if !found {
		t.Fatalf("the override and its reason are not in the timeline: %+v", evs)
	}
	recordHistories(t, sys, map[string]string{"journey-evidence-warnings-overridden": ids[6]})
}
