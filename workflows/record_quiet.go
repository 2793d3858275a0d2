package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// RevisionQuiet is the JourneyInput.Revision from which a journey is quiet: it writes Temporal's
// visibility only when an operator's filter there changes (issue 17, point 4). A journey of
// RevisionAudited rewrote its visibility row about 13 times: a search attribute upsert at each
// stage and each change of the waiting party, and one for each GetVersion marker (the SDK
// upserts TemporalChangeVersion with every new marker). Each is a visibility write on the
// server and an event in the history, and together they were most of what a journey cost the
// engine beyond a workflow with the same activities, timers and updates.
//
// A quiet journey:
//   - sets only the attributes that change rarely and that the Web UI filters on to find what
//     needs a person: KompetenCentre, KompetenPackage and KompetenLSP at the start,
//     KompetenStuck when the case gets stuck or unstuck, KompetenOutcome when it closes. The
//     stage, its start and the waiting party are in the read model, where the pages, the inbox,
//     the stuck list and `kompeten case list` read them; the journey no longer copies them into
//     search attributes at every step (quietAttributes);
//   - takes every change versioned with GetVersion before it as given, without a marker (since),
//     so none of those upserts is made either.
//
// The revision travels in the input, so journeys started before it keep their ways and their
// histories replay.
const RevisionQuiet = 3

// Quiet says whether a journey of this input is quiet (RevisionQuiet): it records no
// GetVersion markers for the changes made before that revision, and upserts only the
// attributes quietAttributes lists.
func (in JourneyInput) Quiet() bool { return in.Revision >= RevisionQuiet }

// since is workflow.GetVersion for a change made before RevisionQuiet or released with it (the
// trainee's messages, follow-up contacts, the self-report channel): a quiet journey has every
// such change, so it gets the change's version 1 with no marker (and no search attribute
// upsert); an older journey asks GetVersion as it always did, so its history replays (the
// rev2-* recordings of those three changes hold the markers).
func (j *journey) since(ctx workflow.Context, changeID string) workflow.Version {
	if j.in.Quiet() {
		return 1
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, 1)
}

// upsertQuietAttributes is upsertSearchAttributes for a quiet journey: one upsert when the case
// gets stuck or unstuck, and one when it closes with its outcome (a close that also clears the
// stuck flag makes one upsert for both). The other changes of a step need no visibility write.
func (j *journey) upsertQuietAttributes(ctx workflow.Context) {
	cur := saSnapshot{outcome: string(j.state.Outcome), stuck: j.state.Stuck}
	if cur == j.lastSA {
		return
	}
	j.lastSA = cur
	err := workflow.UpsertTypedSearchAttributes(ctx, SAStuck.ValueSet(cur.stuck), SAOutcome.ValueSet(cur.outcome))
	if err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "case", j.in.CaseID, "error", err)
	}
}
