package vocab

// Outcome is how a closed case ended (read model "outcome", search attribute KompetenOutcome).
type Outcome string

// The outcomes of a closed case.
const (
	OutcomePlacedFormal    Outcome = "placed-formal"
	OutcomePlacedInformal  Outcome = "placed-informal"
	OutcomeSelfEmployed    Outcome = "self-employed"
	OutcomeContinuingStudy Outcome = "continuing-study"
	OutcomeNotPlaced       Outcome = "not-placed"
	OutcomeDroppedOut      Outcome = "dropped-out"
	OutcomeNotGraduated    Outcome = "not-graduated"
	OutcomeRejected        Outcome = "rejected"
	OutcomeWithdrawn       Outcome = "withdrawn"
)

var outcomes = []entry[Outcome]{
	{OutcomePlacedFormal, Label{"Bekerja formal", "Placed, formal"}},
	{OutcomePlacedInformal, Label{"Bekerja informal", "Placed, informal"}},
	{OutcomeSelfEmployed, Label{"Wirausaha", "Self-employed"}},
	{OutcomeContinuingStudy, Label{"Lanjut studi", "Continuing study"}},
	{OutcomeNotPlaced, Label{"Tidak terserap", "Not placed"}},
	{OutcomeDroppedOut, Label{"Putus pelatihan", "Dropped out"}},
	{OutcomeNotGraduated, Label{"Tidak lulus", "Not graduated"}},
	{OutcomeRejected, Label{"Ditolak", "Rejected"}},
	{OutcomeWithdrawn, Label{"Mengundurkan diri", "Withdrawn"}},
}

// Outcomes lists every outcome.
var Outcomes = valuesOf(outcomes)

// Label words the outcome for people.
func (o Outcome) Label() Label { return labelOf(outcomes, o) }
