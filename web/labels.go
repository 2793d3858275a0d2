package web

// Labels pair Indonesian (first, the centres' language) with English.
type label struct{ ID, EN string }

var roleLabels = map[string]label{
	"centre-admin":    {"Admin BLK", "Centre admin"},
	"lsp-manager":     {"Manajer sertifikasi LSP", "LSP certification manager"},
	"assessor":        {"Asesor", "Assessor"},
	"insurer-liaison": {"Penghubung BPJS", "BPJS liaison"},
	"coordinator":     {"Koordinator BPVP", "BPVP coordinator"},
	"operator":        {"Operator piket", "Operator on call"},
	"system":          {"Sistem mitra", "Partner system"},
}

var stageLabels = map[string]label{
	"enrolment":     {"Pendaftaran", "Enrolment"},
	"insurance":     {"Asuransi", "Insurance"},
	"training":      {"Pelatihan", "Training"},
	"assessment":    {"Uji kompetensi", "Assessment"},
	"certification": {"Sertifikasi", "Certification"},
	"placement":     {"Penempatan", "Placement"},
	"closed":        {"Selesai", "Closed"},
}

var waitingLabels = map[string]label{
	"centre-admin": {"Admin BLK", "Centre admin"},
	"lsp-manager":  {"Manajer sertifikasi LSP", "LSP certification manager"},
	"bpjs":         {"BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"},
	"lsp":          {"LSP", "LSP"},
	"agreement":    {"MoU aktif", "an active MoU"},
	"correction":   {"Koreksi data", "a data correction"},
	"schedule":     {"Jadwal uji", "an assessment schedule"},
	"participant":  {"Peserta", "the participant"},
}

var outcomeLabels = map[string]label{
	"placed-formal":    {"Bekerja formal", "Placed, formal"},
	"placed-informal":  {"Bekerja informal", "Placed, informal"},
	"self-employed":    {"Wirausaha", "Self-employed"},
	"continuing-study": {"Lanjut studi", "Continuing study"},
	"not-placed":       {"Tidak terserap", "Not placed"},
	"dropped-out":      {"Putus pelatihan", "Dropped out"},
	"not-graduated":    {"Tidak lulus", "Not graduated"},
	"rejected":         {"Ditolak", "Rejected"},
	"withdrawn":        {"Mengundurkan diri", "Withdrawn"},
}

// funnelSteps are the funnel's steps in order, with the JSON field that counts each.
var funnelSteps = []struct {
	Key string
	label
}{
	{"enrolled", label{"Terdaftar", "Enrolled"}},
	{"insured", label{"Terlindungi BPJS", "Insured"}},
	{"trained", label{"Lulus pelatihan", "Trained"}},
	{"assessed", label{"Diuji", "Assessed"}},
	{"competent", label{"Kompeten", "Competent"}},
	{"certified", label{"Bersertifikat", "Certified"}},
	{"placed", label{"Terserap kerja", "Placed"}},
}

// lookup returns the label of a code, or the code itself for both languages.
func lookup(m map[string]label, code string) label {
	if l, ok := m[code]; ok {
		return l
	}
	return label{code, code}
}
