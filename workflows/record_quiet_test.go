package workflows_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// TestQuietJourneysWriteVisibilityOnlyForStuckAndOutcome reads every recorded quiet journey
// (RevisionQuiet): it records no GetVersion marker (each would upsert TemporalChangeVersion),
// its upserts touch only KompetenStuck and KompetenOutcome, and it makes at most one upsert per
// change of the stuck flag plus one at the close. The one exception is a package edit, newer
// than RevisionQuiet and rare: its package-changed marker, with the SDK's TemporalChangeVersion
// upsert, and the KompetenLSP upsert when the LSP changed.
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
		upserts, stuckChanges, stuck, edits := 0, 0, false, 0
		for _, e := range readHistory(t, f).GetEvents() {
			switch e.GetEventType() {
			case enumspb.EVENT_TYPE_MARKER_RECORDED:
				if packageChangeMarker(t, dc, e) {
					edits++
					continue
				}
				if name := e.GetMarkerRecordedEventAttributes().GetMarkerName(); name != "LocalActivity" {
					t.Errorf("%s: event %d is a %s marker; a quiet journey records none", filepath.Base(f), e.GetEventId(), name)
				}
			case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
				if edits > 0 && editUpsert(e) {
					continue
				}
				upserts++
				for name, p := range e.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields() {
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

// packageChangeMarker says whether e is the GetVersion marker of the package-changed message.
func packageChangeMarker(t *testing.T, dc converter.DataConverter, e *historypb.HistoryEvent) bool {
	t.Helper()
	m := e.GetMarkerRecordedEventAttributes()
	if m.GetMarkerName() != "Version" {
		return false
	}
	var id string
	if err := dc.FromPayloads(m.GetDetails()["change-id"], &id); err != nil {
		t.Fatalf("event %d: change id: %v", e.GetEventId(), err)
	}
	return id == "package-changed"
}

// editUpsert says whether e is an upsert a package edit makes: the SDK's TemporalChangeVersion
// for the package-changed marker, or the new LSP.
func editUpsert(e *historypb.HistoryEvent) bool {
	for name := range e.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields() {
		if name != "TemporalChangeVersion" && name != workflows.SALSP.GetName() {
			return false
		}
	}
	return true
}
