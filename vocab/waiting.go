package vocab

// Party is whom or what a case is waiting on (read model "waiting_on", which the inbox groups
// by; search attribute KompetenWaitingOn only for journeys before workflows.RevisionQuiet).
type Party string

// The parties a case can wait on.
const (
	WaitingCentreAdmin Party = "centre-admin"
	WaitingLSPManager  Party = "lsp-manager"
	WaitingBPJS        Party = "bpjs"
	WaitingLSP         Party = "lsp"
	WaitingAgreement   Party = "agreement"
	WaitingCorrection  Party = "correction"
	WaitingSchedule    Party = "schedule"
	WaitingParticipant Party = "participant"
	WaitingSchemeUnits Party = "scheme-units"
	// WaitingBatchFile is a registration queued for the BPJS batch exchange: the BPJS liaison
	// exports the file for the branch office and imports the KPJ numbers it returns.
	WaitingBatchFile Party = "bpjs-batch-file"
	// WaitingSeat is an approved enrolment on its package's waiting list: a seat frees when a
	// seated case leaves before training or a coordinator raises the capacity.
	WaitingSeat Party = "seat"
)

var parties = []entry[Party]{
	{WaitingCentreAdmin, Label{"Admin BLK", "Centre admin"}},
	{WaitingLSPManager, Label{"Manajer sertifikasi LSP", "LSP certification manager"}},
	{WaitingBPJS, Label{"BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"}},
	{WaitingLSP, Label{"LSP", "LSP"}},
	{WaitingAgreement, Label{"MoU aktif", "an active MoU"}},
	{WaitingCorrection, Label{"Koreksi data", "a data correction"}},
	{WaitingSchedule, Label{"Jadwal uji", "an assessment schedule"}},
	{WaitingParticipant, Label{"Peserta", "the participant"}},
	{WaitingSchemeUnits, Label{"Unit kompetensi skema", "the scheme's units of competence"}},
	{WaitingBatchFile, Label{"Berkas batch BPJS (petugas penghubung BPJS)", "the BPJS batch file (BPJS liaison)"}},
	{WaitingSeat, Label{"Kursi kosong (daftar tunggu)", "a free seat (waiting list)"}},
}

// Parties lists every party a case can wait on.
var Parties = valuesOf(parties)

// Label words the party for people ("Waiting on: …").
func (p Party) Label() Label { return labelOf(parties, p) }
