package workflows

import (
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Search attribute keys, kept within the embedded server's SQLite limits (10 Keyword, 3 Bool,
// 3 Datetime). They never carry personal data.
var (
	SAStage        = temporal.NewSearchAttributeKeyKeyword("KompetenStage")
	SACentre       = temporal.NewSearchAttributeKeyKeyword("KompetenCentre")
	SAPackage      = temporal.NewSearchAttributeKeyKeyword("KompetenPackage")
	SALSP          = temporal.NewSearchAttributeKeyKeyword("KompetenLSP")
	SAWaitingOn    = temporal.NewSearchAttributeKeyKeyword("KompetenWaitingOn")
	SAOutcome      = temporal.NewSearchAttributeKeyKeyword("KompetenOutcome")
	SAStuck        = temporal.NewSearchAttributeKeyBool("KompetenStuck")
	SAStageEntered = temporal.NewSearchAttributeKeyTime("KompetenStageEntered")
)

// SearchAttributes lists every custom attribute with its type, for registration at start-up.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	return map[string]enumspb.IndexedValueType{
		SAStage.GetName():        enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SACentre.GetName():       enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SAPackage.GetName():      enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SALSP.GetName():          enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SAWaitingOn.GetName():    enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SAOutcome.GetName():      enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		SAStuck.GetName():        enumspb.INDEXED_VALUE_TYPE_BOOL,
		SAStageEntered.GetName(): enumspb.INDEXED_VALUE_TYPE_DATETIME,
	}
}

// StartSearchAttributes are set when a journey starts, so a new case is findable at once. A quiet
// journey (RevisionQuiet) starts without the stage attributes, which it does not keep up.
func StartSearchAttributes(in JourneyInput, now time.Time) temporal.SearchAttributes {
	if in.Quiet() {
		return temporal.NewSearchAttributes(
			SACentre.ValueSet(in.CentreCode),
			SAPackage.ValueSet(in.PackageCode),
			SALSP.ValueSet(in.LSPCode),
			SAStuck.ValueSet(false),
		)
	}
	return temporal.NewSearchAttributes(
		SAStage.ValueSet(string(vocab.StageEnrolment)),
		SACentre.ValueSet(in.CentreCode),
		SAPackage.ValueSet(in.PackageCode),
		SALSP.ValueSet(in.LSPCode),
		SAStuck.ValueSet(false),
		SAStageEntered.ValueSet(now),
	)
}

type saSnapshot struct {
	stage, waiting, outcome string
	stuck                   bool
	entered                 time.Time
}

// upsertSearchAttributes writes the attributes that changed since the last write.
func (j *journey) upsertSearchAttributes(ctx workflow.Context) {
	if j.in.Quiet() {
		j.upsertQuietAttributes(ctx)
		return
	}
	cur := saSnapshot{
		stage: string(j.state.Stage), waiting: string(j.state.WaitingOn), outcome: string(j.state.Outcome),
		stuck: j.state.Stuck, entered: j.state.StageEnteredAt,
	}
	if cur == j.lastSA {
		return
	}
	j.lastSA = cur
	err := workflow.UpsertTypedSearchAttributes(ctx,
		SAStage.ValueSet(cur.stage),
		SACentre.ValueSet(j.in.CentreCode),
		SAPackage.ValueSet(j.in.PackageCode),
		SALSP.ValueSet(j.in.LSPCode),
		SAWaitingOn.ValueSet(cur.waiting),
		SAOutcome.ValueSet(cur.outcome),
		SAStuck.ValueSet(cur.stuck),
		SAStageEntered.ValueSet(cur.entered),
	)
	if err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "case", j.in.CaseID, "error", err)
	}
}
