package vocab

// Placement is what a graduate reported doing after training (a placement report's category,
// read model "placement_category").
type Placement string

// The placement categories.
const (
	PlacementFormal          Placement = "formal"
	PlacementInformal        Placement = "informal"
	PlacementSelfEmployed    Placement = "self-employed"
	PlacementContinuingStudy Placement = "continuing-study"
)

var placements = []entry[Placement]{
	{PlacementFormal, Label{"Formal", "Formal"}},
	{PlacementInformal, Label{"Informal", "Informal"}},
	{PlacementSelfEmployed, Label{"Wirausaha", "Self-employed"}},
	{PlacementContinuingStudy, Label{"Lanjut studi", "Continuing study"}},
}

// Placements lists every placement category.
var Placements = valuesOf(placements)

// Label words the category for people.
func (p Placement) Label() Label { return labelOf(placements, p) }

// Placed says whether the category counts as placed in the placement rate: work (formal,
// informal, self-employed), not continuing study.
func (p Placement) Placed() bool {
	switch p {
	case PlacementFormal, PlacementInformal, PlacementSelfEmployed:
		return true
	}
	return false
}

// Outcome is how a case closes on a report of this category.
func (p Placement) Outcome() Outcome {
	switch p {
	case PlacementFormal:
		return OutcomePlacedFormal
	case PlacementInformal:
		return OutcomePlacedInformal
	case PlacementSelfEmployed:
		return OutcomeSelfEmployed
	default:
		return OutcomeContinuingStudy
	}
}
