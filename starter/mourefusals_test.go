package starter

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// An agreement's refusal keeps the validator's code and parameters on its way into a
// RefusedError (through Temporal's failure converter); the English sentence stays the Reason.
func TestClassifyAgreementKeepsTheRefusalsCode(t *testing.T) {
	refusal := temporal.NewApplicationErrorWithOptions("termination date 2025-05-01 has passed; use today",
		workflows.ErrTypeRefusal, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{workflows.RefusalDetails{
			Code: "refusal.mou-terminate-passed", Params: map[string]string{"on": "2025-05-01"}}}})
	var refused *RefusedError
	if err := (&Service{}).classifyAgreement(context.Background(), "MOU/1", throughTemporal(refusal)); !errors.As(err, &refused) {
		t.Fatalf("a refusal classified as %T %v", err, err)
	}
	if refused.Reason != "termination date 2025-05-01 has passed; use today" || refused.Code != "refusal.mou-terminate-passed" ||
		refused.Params["on"] != "2025-05-01" {
		t.Errorf("refusal: %+v", refused)
	}
	if e := agreementEnded("MOU/1", "expired"); e.Code != "refusal.mou-ended" || e.Params["status"] != "expired" ||
		e.Reason != "MOU/1 is expired: agreement has ended" {
		t.Errorf("ended: %+v", e)
	}
}

// A package edit's problems each carry their code, in the order of the English sentences,
// the package's own checks (ValidatePackage's) included.
func TestPackageEditProblemsHaveCodes(t *testing.T) {
	s := &Service{loc: time.UTC}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 1, 0)
	old := store.Package{Code: "P1", CentreCode: "BLK", LSPCode: "LSP", Scheme: "S1", Trade: "Las",
		StartDate: day, EndDate: day.AddDate(0, 0, 10), Capacity: 16, AttendanceMin: 0.8, Hours: 160}
	hours, end, scheme := 0, day.AddDate(0, 0, -1), "S2"
	_, problems, coded := s.applyChanges(old, PackageChanges{Hours: &hours, End: &end, Scheme: &scheme})
	want := []string{"refusal.package-scheme-fixed", "refusal.package-hours", "refusal.package-end-before-start"}
	if len(coded) != len(problems) || len(coded) != len(want) {
		t.Fatalf("problems %q, codes %+v", problems, coded)
	}
	for i, c := range coded {
		if c.Code != want[i] {
			t.Errorf("problem %d %q: code %q, want %q", i, problems[i], c.Code, want[i])
		}
	}
	if coded[1].Params["got"] != "0" || coded[0].Params["scheme"] != "S1" || coded[0].Params["new"] != "S2" {
		t.Errorf("parameters: %+v", coded)
	}
	if problems[2] != "end date is before the start date" {
		t.Errorf("the package's own check keeps its English: %q", problems[2])
	}
	// ValidatePackage's English is what it was.
	bad := old
	bad.Capacity, bad.Hours = 0, -1
	if err := ValidatePackage(bad); err == nil || err.Error() != "package P1: capacity must be at least 1; hours must not be negative: "+store.ErrInvalid.Error() {
		t.Errorf("ValidatePackage: %v", err)
	}
}
