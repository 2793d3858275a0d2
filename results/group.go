package results

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Case is one case's rows of the file: the result to send, or why it is not sent.
type Case struct {
	CaseID   string
	Assessor string
	Units    []workflows.UnitResult
	// Lines are the file's lines of this case, in order.
	Lines []int
	// Problem says why the case's result is not sent (a bad row of it, two assessors); Whys
	// says it as catalogue messages, one a problem, for the pages.
	Problem string
	Whys    []i18n.Message
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
			c.addProblem(i18n.M("results.line", "line", strconv.Itoa(r.Line)).With("problem", r.Why))
		case c.Assessor != r.Assessor:
			c.addProblem(i18n.M("results.two-assessors", "line", strconv.Itoa(r.Line), "assessor", r.Assessor,
				"first", strconv.Itoa(c.Lines[0]), "other", c.Assessor))
		default:
			c.Units = append(c.Units, workflows.UnitResult{Unit: r.Unit, Result: r.Result})
		}
	}
	return out
}

func (c *Case) addProblem(m i18n.Message) {
	p := m.English()
	if c.Problem == "" {
		c.Problem, c.Whys = p, []i18n.Message{m}
		return
	}
	if !strings.Contains(c.Problem, p) {
		c.Problem += "; " + p
		c.Whys = append(c.Whys, m)
	}
}
