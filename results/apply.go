package results

import (
	"context"
	"errors"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// The outcomes of a result file's rows.
const (
	Recorded = "recorded" // the case's result was recorded
	Refused  = "refused"  // the journey (or the API) refused the case's result, in its words
	Rejected = "rejected" // the row itself cannot be used
	NotSent  = "not-sent" // another row of its case cannot be used (or names another assessor)
	Failed   = "failed"   // the API could not be asked (the server unreachable, say)
)

// Outcomes lists the outcomes in the order a summary gives them.
var Outcomes = []string{Recorded, Refused, Rejected, NotSent, Failed}

// RowOutcome is a row of the file with what became of it. Message is in English, or in the
// API's words for a refusal; Whys says why a row was rejected or not sent as catalogue
// messages, which the pages word in the reader's language.
type RowOutcome struct {
	Row
	Outcome, Message string
	Whys             []i18n.Message
}

// Send records one case's result: the client's RecordAssessment, in-process for the pages.
type Send func(ctx context.Context, caseID string, r workflows.AssessmentResult) (workflows.UpdateResult, error)

// Apply sends one record-assessment update per case of rows, as actor a, and says what became
// of every row, in the file's order: its case's result recorded (the journey's message),
// refused (the API's or the journey's words), the row rejected, or not sent.
func Apply(ctx context.Context, rows []Row, a workflows.Actor, send Send) []RowOutcome {
	byLine := map[int]RowOutcome{}
	for _, c := range Group(rows) {
		o := RowOutcome{Outcome: Recorded}
		if c.Problem != "" {
			o.Outcome, o.Message, o.Whys = NotSent, c.Problem, c.Whys
		} else {
			res, err := send(ctx, c.CaseID, c.Result(a))
			var ae *apiclient.Error
			switch {
			case err == nil:
				o.Message = res.Message
			case errors.As(err, &ae):
				o.Outcome, o.Message = Refused, ae.Message
			default:
				o.Outcome, o.Message = Failed, err.Error()
			}
		}
		for _, line := range c.Lines {
			byLine[line] = o
		}
	}
	out := make([]RowOutcome, 0, len(rows))
	for _, r := range rows {
		o := byLine[r.Line]
		o.Row = r
		if r.Problem != "" {
			o.Outcome, o.Message, o.Whys = Rejected, r.Problem, []i18n.Message{r.Why}
		}
		out = append(out, o)
	}
	return out
}

// Counts counts the outcomes.
func Counts(out []RowOutcome) map[string]int {
	n := map[string]int{}
	for _, o := range out {
		n[o.Outcome]++
	}
	return n
}
