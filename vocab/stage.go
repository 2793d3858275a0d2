package vocab

// Stage is where a case is on the path (read model "stage", search attribute KompetenStage).
type Stage string

// The stages of a journey, in order.
const (
	StageEnrolment     Stage = "enrolment"
	StageInsurance     Stage = "insurance"
	StageTraining      Stage = "training"
	StageAssessment    Stage = "assessment"
	StageCertification Stage = "certification"
	StagePlacement     Stage = "placement"
	StageClosed        Stage = "closed"
)

var stages = []entry[Stage]{
	{StageEnrolment, Label{"Pendaftaran", "Enrolment"}},
	{StageInsurance, Label{"Asuransi", "Insurance"}},
	{StageTraining, Label{"Pelatihan", "Training"}},
	{StageAssessment, Label{"Uji kompetensi", "Assessment"}},
	{StageCertification, Label{"Sertifikasi", "Certification"}},
	{StagePlacement, Label{"Penempatan", "Placement"}},
	{StageClosed, Label{"Selesai", "Closed"}},
}

// Stages lists every stage in the order a case passes through them; closed is last.
var Stages = valuesOf(stages)

// OpenStages lists the stages of a case that is still running, in order (every stage but closed):
// the stages a case can be stuck in.
var OpenStages = StagesBefore(StageClosed)

// StagesBefore lists, in order, the stages that come before s.
func StagesBefore(s Stage) []Stage {
	var out []Stage
	for _, x := range Stages {
		if x.Before(s) {
			out = append(out, x)
		}
	}
	return out
}

// Before says whether s comes before other on the path; an unknown stage is before nothing and
// nothing is before it.
func (s Stage) Before(other Stage) bool {
	i, j := indexOf(stages, s), indexOf(stages, other)
	return i >= 0 && j >= 0 && i < j
}

// Known says whether s is one of Stages.
func (s Stage) Known() bool { return indexOf(stages, s) >= 0 }

// Label words the stage for people.
func (s Stage) Label() Label { return labelOf(stages, s) }
