package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// selfReportChannelID versions the graduate's own channel (issue 18): since it, a placement
// report may come from the graduate through a follow-up link (PlacementReport.SelfReported,
// actor role graduate), and its event says so. Only a self-report asks, so the histories of
// staff reports carry no marker and replay as they were.
const selfReportChannelID = "self-report-channel"

// selfReportChannelOn says whether this journey records self-reports as such.
func (j *journey) selfReportChannelOn(ctx workflow.Context) bool {
	return j.since(ctx, selfReportChannelID) >= 1
}

// SelfReportContact is a graduate's answer through a follow-up link that places nothing: still
// looking for work. It is recorded as a contact in the case's timeline; the follow-ups go on.
type SelfReportContact struct {
	Actor Actor `json:"actor"`
	// Month is the follow-up month the link was sent for.
	Month int `json:"month"`
}

// placementWords is placementDetail as a catalogue message.
func placementWords(p PlacementReport) words {
	if p.SelfReported {
		return say("event.placement-reported.self", "category", string(p.Category))
	}
	return say("event.placement-reported", "category", string(p.Category))
}

// placementDetail is the timeline's sentence for a placement report, naming a self-report.
func placementDetail(p PlacementReport) string {
	if p.SelfReported {
		return "placement reported: " + string(p.Category) + " (self-reported by the graduate)"
	}
	return "placement reported: " + string(p.Category)
}

func (j *journey) validateSelfReportContact(c SelfReportContact) error {
	if err := requireRole(c.Actor, vocab.RoleGraduate); err != nil {
		return err
	}
	if err := j.requireStage("record a follow-up answer", vocab.StagePlacement); err != nil {
		return err
	}
	if j.placement != nil {
		return refusal("refusal.placement-reported", "a placement was already reported")
	}
	return nil
}

// onSelfReportContact records the answer; it changes nothing else, so the follow-ups, and the
// staff's phone calls, go on as before.
func (j *journey) onSelfReportContact(ctx workflow.Context, c SelfReportContact) (UpdateResult, error) {
	j.commit(ctx, evBy("follow-up-contact", "follow-up answered by the graduate: still looking for work (self-reported)", c.Actor).say("event.follow-up-contact.self"))
	return j.ok("answer recorded; the follow-up goes on"), nil
}
