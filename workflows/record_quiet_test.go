package workflows_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// TestQuietJourneysWriteVisibilityOnlyForStuckAndOutcome reads every recorded quiet journey
// (RevisionQuiet): it records no GetVersion marker (each would upsert TemporalChangeVersion)
// but those of the changes released after the revision (workflows.ChangesSinceQuiet, each with
// its one TemporalChangeVersion upsert), its other upserts touch only KompetenStuck and
// KompetenOutcome, and it makes at most one of them per change of the stuck flag plus one at the
// close. A package edit (package-changed, one of those later changes) may also upsert the new
// KompetenLSP.
func TestQuietJourneysWriteVisibilityOnlyForStuckAndOutcome(t *testing.T) {
	dc := testDataConverter(t)
	quiet := 0
	for _, f := range historyFiles(t) {
		start := startOf(t, f)
		if start.GetWorkflowType().GetName() != workflows.JourneyWorkflowName {
			continue
		}
		var in workflows.JourneyInput
		if err := dc.FromPayloads(start.GetInput(), &in); err != nil {
			t.Fatalf("%s: journey input: %v", f, err)
		}
		if !in.Quiet() {
			continue
		}
		quiet++
		if got := start.GetSearchAttributes().GetIndexedFields(); got[workflows.SAStage.GetName()] != nil {
			t.Errorf("%s: a quiet journey started with %s", filepath.Base(f), workflows.SAStage.GetName())
		}
		upserts, stuckChanges, stuck, laterChanges, edited := 0, 0, false, 0, false
		for _, e := range readHistory(t, f).GetEvents() {
			switch e.GetEventType() {
			case enumspb.EVENT_TYPE_MARKER_RECORDED:
				m := e.GetMarkerRecordedEventAttributes()
				var change string
				if m.GetMarkerName() == "Version" {
					if err := dc.FromPayloads(m.GetDetails()["change-id"], &change); err != nil {
						t.Fatalf("%s: event %d: change id: %v", filepath.Base(f), e.GetEventId(), err)
					}
				}
				switch {
				case m.GetMarkerName() == "LocalActivity":
				case slices.Contains(workflows.ChangesSinceQuiet, change):
					laterChanges++
					edited = edited || change == workflows.UpdatePackageChanged
				default:
					t.Errorf("%s: event %d is a %s marker (%q); a quiet journey records none", filepath.Base(f), e.GetEventId(), m.GetMarkerName(), change)
				}
			case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
				fields := e.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()
				if _, ok := fields["TemporalChangeVersion"]; ok && len(fields) == 1 && laterChanges > 0 {
					laterChanges-- // the marker's own upsert
					continue
				}
				if _, ok := fields[workflows.SALSP.GetName()]; ok && len(fields) == 1 && edited {
					continue // a package edit's new LSP
				}
				upserts++
				for name, p := range fields {
					if !slices.Contains([]string{workflows.SAStuck.GetName(), workflows.SAOutcome.GetName()}, name) {
						t.Errorf("%s: event %d upserts %s", filepath.Base(f), e.GetEventId(), name)
					}
					if name == workflows.SAStuck.GetName() {
						var now bool
						if err := dc.FromPayload(p, &now); err != nil {
							t.Fatal(err)
						}
						if now != stuck {
							stuckChanges++
						}
						stuck = now
					}
				}
			}
		}
		if upserts > stuckChanges+1 {
			t.Errorf("%s: %d search attribute upserts for %d changes of the stuck flag and a close", filepath.Base(f), upserts, stuckChanges)
		}
	}
	if quiet == 0 {
		t.Fatal("no recorded quiet journey")
	}
}

// TestQuietJourneysStartWithoutStageAttributes: a quiet journey does not keep the stage, its
// start or the waiting party in search attributes, so it must not start with values that would
// go stale; an older journey still does.
func TestQuietJourneysStartWithoutStageAttributes(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	in := workflows.JourneyInput{CentreCode: "BLK-SDA", PackageCode: "PKG-1", LSPCode: "LSP-1", Revision: workflows.RevisionQuiet}
	sa := workflows.StartSearchAttributes(in, now)
	if _, ok := sa.GetKeyword(workflows.SAStage); ok {
		t.Error("a quiet journey starts with KompetenStage")
	}
	if _, ok := sa.GetTime(workflows.SAStageEntered); ok {
		t.Error("a quiet journey starts with KompetenStageEntered")
	}
	if v, ok := sa.GetKeyword(workflows.SACentre); !ok || v != "BLK-SDA" {
		t.Errorf("KompetenCentre = %q, %v", v, ok)
	}
	if v, ok := sa.GetBool(workflows.SAStuck); !ok || v {
		t.Errorf("KompetenStuck = %v, %v; want false, set", v, ok)
	}
	in.Revision = workflows.RevisionAudited
	if v, ok := workflows.StartSearchAttributes(in, now).GetKeyword(workflows.SAStage); !ok || v != "enrolment" {
		t.Errorf("a revision-2 journey starts with KompetenStage %q, %v", v, ok)
	}
}
