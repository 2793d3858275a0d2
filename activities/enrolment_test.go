package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// A rule not met comes as a message of the catalogue beside its English, which stays the
// sentence older histories hold (the pages read those through web/phrases.go).
func TestCheckEnrolmentCodesItsRules(t *testing.T) {
	ctx := context.Background()
	a, st := newActs(t, &signals{})
	if err := st.UpsertParticipant(ctx, store.Participant{NIKHash: "h1", NIK: "3515014101100001", Name: "Siti", Sex: "P",
		BirthDate: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	got, err := a.CheckEnrolment(ctx, contract.EnrolmentCheckInput{CaseID: "c1", NIKHash: "h1", PackageCode: "P1",
		Start: start, End: start.AddDate(0, 1, 0), Capacity: 16, MinAge: 17, NoSeat: true})
	if err != nil {
		t.Fatal(err)
	}
	want := i18n.M("rule.age-below", "age", "16", "min", "17")
	if len(got.ProblemNotes) != 1 || got.ProblemNotes[0].Code != want.Code || got.ProblemNotes[0].English() != want.English() ||
		len(got.Problems) != 1 || got.Problems[0] != "age 16 at the start date is below the minimum 17" {
		t.Fatalf("check = %+v; want the age rule coded beside its English", got)
	}
}
