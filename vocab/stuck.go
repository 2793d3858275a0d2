package vocab

// Reason is why the journey marked a case stuck, as a code (read model "stuck_code", the stuck
// list's reason filter, the digest). The sentence for people is the case's stuck_reason.
type Reason string

// The stuck reasons.
const (
	StuckApprovalOverdue    Reason = "approval-overdue"     // a person has not decided past the SLA
	StuckPartnerFailing     Reason = "partner-failing"      // a partner call keeps failing past the SLA
	StuckInsuranceNotActive Reason = "insurance-not-active" // training started without coverage
	StuckCorrectionOverdue  Reason = "correction-overdue"   // BPJS refused the data and nobody corrected it
	StuckBatchFileOverdue   Reason = "batch-file-overdue"   // the registration waits for the BPJS liaison's batch file, no call is failing
	StuckAttendanceMissing  Reason = "attendance-missing"   // training ended with no attendance recorded
	StuckResultOverdue      Reason = "result-overdue"       // the assessment result is late
	StuckNoAgreement        Reason = "no-agreement"         // no active MoU covers the centre (and scheme)
	StuckSchemeUnitsMissing Reason = "scheme-units-missing" // the package's scheme has no units of competence to assess
	StuckAssessmentRefused  Reason = "assessment-refused"   // the LSP refused the assessment request; a person decides what next
	StuckCertificateRefused Reason = "certificate-refused"  // the LSP refused to issue the certificate; a person decides what next
	// StuckKPJConflict: BPJS returned a KPJ that already belongs to another person's case.
	StuckKPJConflict Reason = "kpj-conflict"
	// StuckCertificateConflict: the LSP issued a certificate number that belongs to another person.
	StuckCertificateConflict Reason = "certificate-conflict"
)

var reasons = []entry[Reason]{
	{StuckApprovalOverdue, Label{"persetujuan terlambat", "approval overdue"}},
	{StuckPartnerFailing, Label{"panggilan mitra gagal", "partner call failing"}},
	{StuckInsuranceNotActive, Label{"asuransi belum aktif pada hari pertama pelatihan", "insurance not active by the first training day"}},
	{StuckCorrectionOverdue, Label{"koreksi data terlambat", "data correction overdue"}},
	{StuckBatchFileOverdue, Label{"menunggu berkas batch BPJS", "waiting for the BPJS batch file"}},
	{StuckKPJConflict, Label{"nomor KPJ milik peserta lain", "KPJ belongs to another person"}},
	{StuckAttendanceMissing, Label{"presensi belum dicatat", "attendance never recorded"}},
	{StuckResultOverdue, Label{"hasil uji kompetensi terlambat", "assessment result overdue"}},
	{StuckCertificateConflict, Label{"nomor sertifikat milik peserta lain", "certificate number belongs to another person"}},
	{StuckNoAgreement, Label{"tidak ada MoU aktif", "no active MoU"}},
	{StuckSchemeUnitsMissing, Label{"unit kompetensi skema belum ada", "scheme has no units of competence"}},
	{StuckAssessmentRefused, Label{"permintaan uji ditolak LSP", "assessment request refused by the LSP"}},
	{StuckCertificateRefused, Label{"penerbitan sertifikat ditolak LSP", "certificate refused by the LSP"}},
}

// Refusals are the stuck reasons that wait on a person's decision after an LSP refused a
// request: retrying the request, a re-assessment or closing without a certificate ends them,
// not retrying a failing call.
var Refusals = []Reason{StuckAssessmentRefused, StuckCertificateRefused}

// Reasons lists every stuck reason, in the order of the path.
var Reasons = valuesOf(reasons)

// Label words the stuck reason for people.
func (r Reason) Label() Label { return labelOf(reasons, r) }
