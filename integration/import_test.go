package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/importer"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Importing the sample cohort starts exactly its valid rows as journeys on the real server; a
// dry run then says already-enrolled for them; importing it again starts nothing: the count of
// journeys in Temporal stays the same.
func TestImportTwiceStartsNothingTwice(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	ctx := context.Background()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-IMPORT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: "2027-02-01", End: "2027-03-31", Capacity: 40,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	rules := cohort.Rules{StartDate: pkg.StartDate.In(sys.svc.Location()), MinAge: sys.cfg.Journey.MinAge}
	enr := importer.Direct{Svc: sys.svc, Concurrency: 8}

	rows, err := cohort.Open(sampleCohort)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Run(ctx, rows, pkg.Code, enr, importer.Options{BatchSize: 10, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts()
	started := c[starter.OutcomeStarted] + c[starter.OutcomeWarnedStarted]
	if started != 28 || c[importer.OutcomeRejected] != 20 {
		t.Fatalf("first import: %v, want 28 started and 20 rejected", c)
	}

	// A dry run through the API client, as `kompeten import --dry-run` makes it, right after the
	// start (the read model may not list every case yet; Temporal does): already-enrolled for
	// the 28 with their cases, nothing started.
	rows, _ = cohort.Open(sampleCohort)
	dry, err := importer.Run(ctx, rows, pkg.Code, sys.client(), importer.Options{DryRun: true, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if c := dry.Counts(); c[starter.OutcomeAlreadyEnrolled] != 28 || c[importer.OutcomeRejected] != 20 || len(c) != 2 {
		t.Fatalf("dry run after the import: %v, want 28 already-enrolled and 20 rejected", c)
	}
	for i := range rep.Rows {
		if rep.Rows[i].CaseID != dry.Rows[i].CaseID {
			t.Fatalf("dry run row %d: case %q, the import made %q", rep.Rows[i].Line, dry.Rows[i].CaseID, rep.Rows[i].CaseID)
		}
	}

	rows, _ = cohort.Open(sampleCohort)
	rep2, err := importer.Run(ctx, rows, pkg.Code, enr, importer.Options{BatchSize: 10, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	c2 := rep2.Counts()
	if c2[starter.OutcomeAlreadyEnrolled] != 28 || c2[starter.OutcomeStarted]+c2[starter.OutcomeWarnedStarted] != 0 {
		t.Fatalf("second import: %v, want 28 already-enrolled", c2)
	}
	for i := range rep.Rows {
		if rep.Rows[i].CaseID != rep2.Rows[i].CaseID {
			t.Fatalf("row %d: case %s then %s", rep.Rows[i].Line, rep.Rows[i].CaseID, rep2.Rows[i].CaseID)
		}
	}

	// Temporal itself holds exactly 28 journeys for the package.
	eventually(t, 30*time.Second, "28 journeys in visibility", func() (bool, string) {
		resp, err := sys.tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: sys.cfg.Temporal.Namespace, Query: fmt.Sprintf("KompetenPackage = '%s'", pkg.Code),
		})
		if err != nil {
			return false, err.Error()
		}
		return resp.GetCount() == 28, fmt.Sprintf("count=%d", resp.GetCount())
	})
	eventually(t, 30*time.Second, "28 cases in the read model", func() (bool, string) {
		n, err := sys.store.CountCases(ctx, store.CaseFilter{PackageCode: pkg.Code})
		return err == nil && n == 28, fmt.Sprintf("n=%d err=%v", n, err)
	})
}
