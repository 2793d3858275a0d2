package results

import (
	"fmt"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Case is one case's rows of the file: the result to send, or why it is not sent.
type Case struct {
	CaseID   string
	Assessor string
	Units    []workflows.UnitResult
	// Lines are the file's lines of this case, in order.
	Lines []int
	// Problem says why the case's result is not sent (a bad row of it, two assessors).
	Problem string
}

// Result is the record-assessment update of the case, with actor a.
func (c Case) Result(a workflows.Actor) workflows.AssessmentResult {
	return workflows.AssessmentResult{Actor: a, AssessorID: c.Assessor, Units: c.Units}
}

// Group gathers the rows per case, in the order the cases first appear. A case with a row
// that cannot be used is not sent at all (its result would lack that unit), nor one whose rows
// name two assessors: a result is one assessor's recommendation.
func Group(rows []Row) []Case {
	var out []Case
	index := map[string]int{}
	for _, r := range rows {
		key := r.CaseID
		if key == "" {
			key = fmt.Sprintf("\x00line %d", r.Line) // a row without a case stands alone
		}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, Case{CaseID: r.CaseID, Assessor: r.Assessor})
		}
		c := &out[i]
		c.Lines = append(c.Lines, r.Line)
		switch {
		case r.Problem != "":
			c.addProblem(fmt.Sprintf("line %d: %s", r.Line, r.Problem))
		case c.Assessor != r.Assessor:
			c.addProblem(fmt.Sprintf("line %d: assessor %s, but line %d says %s: one assessor per case", r.Line, r.Assessor, c.Lines[0], c.Assessor))
		default:
			c.Units = append(c.Units, workflows.UnitResult{Unit: r.Unit, Result: r.Result})
		}
	}
	return out
}

func (c *Case) addProblem(p string) {
	if c.Problem == "" {
		c.Problem = p
		return
	}
	if !strings.Contains(c.Problem, p) {
		c.Problem += "; " + p
	}
}
