package web

// label pairs Indonesian (first, the centres' language) with English. The journey's codes
// (stages, roles, …) are worded in package vocab; the labels here are the pages' own.
type label struct{ ID, EN string }

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
