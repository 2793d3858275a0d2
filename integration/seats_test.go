package integration

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The done-when for seats (issue 13), through the HTTP API on the embedded server: a
// 2-seat package takes two of three concurrent approvals and refuses the third with the seat
// count (409); approvals onto the waiting list queue in order; a withdrawal moves the first
// waiting case into the freed seat, with an event in both timelines; a raised capacity seats the
// next one; a coordinator approves over capacity with a reason.
func TestTwoSeatPackageRefusesTheThirdApprovalAndSeatsTheWaitingList(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	ctx := context.Background()
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-SEAT-1", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY", Capacity: 2,
		Start: now.Add(5 * time.Minute).Format(time.RFC3339), End: now.Add(6 * time.Minute).Format(time.RFC3339), Hours: 240,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 5)
	var enrolled api.EnrolResponse
	if code := sys.call("POST", "/api/v1/packages/IT-SEAT-1/enrolments", api.EnrolRequest{People: people}, &enrolled); code != http.StatusOK {
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

	// Three approvals at once for two seats.
	codes := make([]int, 3)
	bodies := make([]api.ErrorBody, 3)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = sys.call("POST", "/api/v1/cases/"+ids[i]+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true}, &bodies[i])
		}(i)
	}
	wg.Wait()
	refused := -1
	for i, c := range codes {
		switch c {
		case http.StatusOK:
		case http.StatusConflict:
			if refused >= 0 {
				t.Fatalf("two approvals refused: %v", codes)
			}
			refused = i
		default:
			t.Fatalf("approval %d: HTTP %d (%s)", i, c, bodies[i].Error)
		}
	}
	if refused < 0 {
		t.Fatalf("three approvals took two seats: %v", codes)
	}
	if want := "package IT-SEAT-1 is full: 2 of 2 seats taken"; bodies[refused].Error != want {
		t.Fatalf("refusal says %q, want %q", bodies[refused].Error, want)
	}
	seated := []string{}
	for i := 0; i < 3; i++ {
		if i != refused {
			seated = append(seated, ids[i])
		}
	}

	// The refused case and the fourth go onto the waiting list, in order.
	first, second := ids[refused], ids[3]
	for pos, id := range []string{first, second} {
		var res workflows.UpdateResult
		if code := sys.call("POST", "/api/v1/cases/"+id+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true, Waitlist: true}, &res); code != http.StatusOK {
			t.Fatalf("approve %s onto the waiting list: HTTP %d", id, code)
		}
		if want := "at position " + string(rune('1'+pos)); !strings.Contains(res.Message, want) {
			t.Fatalf("waiting list answer %q, want %q", res.Message, want)
		}
		eventually(t, 10*time.Second, "waiting on a seat", func() (bool, string) {
			c, _ := sys.store.GetCase(ctx, id)
			return c.WaitingOn == vocab.WaitingSeat, string(c.WaitingOn)
		})
	}

	// The inbox shows the seat count and the waiting list, in order.
	var in api.Inbox
	if code := sys.call("GET", "/api/v1/inbox?role=centre-admin", nil, &in); code != http.StatusOK {
		t.Fatalf("inbox: HTTP %d", code)
	}
	for _, g := range in.Groups {
		if g.Kind != "seat-waiting" {
			continue
		}
		if len(g.Cases) != 2 {
			t.Fatalf("waiting group %+v, want 2 cases", g)
		}
		for _, it := range g.Cases {
			want := map[string]int{first: 1, second: 2}[it.CaseID]
			if it.WaitlistPosition != want || it.Seats == nil || *it.Seats != (store.SeatCount{Taken: 2, Capacity: 2, Waiting: 2}) {
				t.Fatalf("inbox item %s: position %d seats %+v, want position %d and 2 of 2 taken, 2 waiting", it.CaseID, it.WaitlistPosition, it.Seats, want)
			}
		}
	}

	// A withdrawal frees a seat: the first waiting case moves in, both timelines say so.
	var res workflows.UpdateResult
	if code := sys.call("POST", "/api/v1/cases/"+seated[0]+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "found work"}, &res); code != http.StatusOK {
		t.Fatalf("withdraw: HTTP %d", code)
	}
	freed := sys.eventSeen(seated[0], "seat-freed", 20*time.Second)
	if !strings.Contains(freed.Detail, "moved in from the waiting list: case "+first) {
		t.Fatalf("freed seat event %q does not name %s", freed.Detail, first)
	}
	granted := sys.eventSeen(first, "seat-granted", 20*time.Second)
	if !strings.Contains(granted.Detail, "freed by case "+seated[0]) {
		t.Fatalf("granted seat event %q does not name %s", granted.Detail, seated[0])
	}
	sys.caseIn(first, vocab.StageTraining, 30*time.Second)
	if c, _ := sys.store.GetCase(ctx, second); c.WaitingOn != vocab.WaitingSeat {
		t.Fatalf("the second waiting case moved too: waiting on %q", c.WaitingOn)
	}

	// A raised capacity seats the next waiting case.
	var ch starter.CapacityChange
	if code := sys.call("PATCH", "/api/v1/packages/IT-SEAT-1", api.PackageUpdate{Capacity: intPtr(3)}, &ch); code != http.StatusOK {
		t.Fatalf("raise capacity: HTTP %d", code)
	}
	if len(ch.MovedIn) != 1 || ch.MovedIn[0] != second || ch.Package.Capacity != 3 {
		t.Fatalf("raise: %+v, want %s moved in and capacity 3", ch, second)
	}
	if g := sys.eventSeen(second, "seat-granted", 20*time.Second); !strings.Contains(g.Detail, "capacity raised to 3") {
		t.Fatalf("seat event %q", g.Detail)
	}
	sys.caseIn(second, vocab.StageTraining, 30*time.Second)
	var e api.ErrorBody
	if code := sys.call("PATCH", "/api/v1/packages/IT-SEAT-1", api.PackageUpdate{Capacity: intPtr(2)}, &e); code != http.StatusUnprocessableEntity {
		t.Fatalf("capacity below the seats taken: HTTP %d, want 422 (%s)", code, e.Error)
	}

	// Over capacity: a coordinator's, with a reason that lands in the timeline.
	coord := workflows.Actor{ID: "kepala", Role: vocab.RoleCoordinator}
	if code := sys.call("POST", "/api/v1/cases/"+ids[4]+"/enrolment", workflows.EnrolmentDecision{Actor: coord, Approve: true}, &e); code != http.StatusConflict ||
		e.Error != "package IT-SEAT-1 is full: 3 of 3 seats taken" {
		t.Fatalf("fifth approval: HTTP %d %q", code, e.Error)
	}
	if code := sys.call("POST", "/api/v1/cases/"+ids[4]+"/enrolment", workflows.EnrolmentDecision{Actor: coord, Approve: true, OverCapacity: true, Reason: "sponsored by the regency"}, &res); code != http.StatusOK {
		t.Fatalf("over capacity: HTTP %d", code)
	}
	if ev := sys.eventSeen(ids[4], "enrolment-approved", 10*time.Second); !strings.Contains(ev.Detail, "over capacity: 4 of 3 seats taken; reason: sponsored by the regency") {
		t.Fatalf("over-capacity event %q", ev.Detail)
	}

	// The moved-in case withdraws too, so its whole path (waiting, seated, freed) is recorded.
	if code := sys.call("POST", "/api/v1/cases/"+first+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "moved away"}, &res); code != http.StatusOK {
		t.Fatalf("withdraw %s: HTTP %d", first, code)
	}
	sys.caseIn(first, vocab.StageClosed, 30*time.Second)
	sys.caseIn(seated[0], vocab.StageClosed, 30*time.Second)
	recordHistories(t, sys, map[string]string{"journey-seat-freed": seated[0], "journey-seat-waitlisted": first})
}

// A package that no active agreement covers is created, with warnings that name what is
// missing: its trainees would otherwise wait for an agreement nobody knew was needed.
func TestPackageCreateWarnsOfMissingAgreements(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	var created api.PackageCreated
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-GAP-1", Centre: "BLK-NJK", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-JBG",
		Start: "2040-01-02", End: "2040-02-28", Hours: 240,
	}, &created); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	want := []string{
		"no active agreement with BPJSTK-JATIM covers centre BLK-NJK on 2040-01-02: trainees will wait for one before their BPJS registration",
		"no active agreement with LSP-BLK-JBG covers centre BLK-NJK for scheme SKM-LAS on 2040-01-02: trainees will wait for one before their assessment",
	}
	if strings.Join(created.Warnings, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings %q, want %q", created.Warnings, want)
	}
	if created.Code != "IT-GAP-1" {
		t.Fatalf("created %+v", created.Package)
	}
}

func intPtr(v int) *int { return &v }
