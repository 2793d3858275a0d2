package batch

import "strings"

// SheetName is the sheet the export writes and the import looks for first.
const SheetName = "Pendaftaran"

// Column headers of the export, in order. The import matches headers case-insensitively and
// ignores spaces, hyphens and underscores, so "Case Ref", "CASE_REF" and "case-ref" are the same.
var exportHeaders = []string{
	"Case Ref", "Name", "NIK", "Birth Date", "Phone", "Centre",
	"Coverage Start", "Coverage End", "Monthly Fee", "KPJ",
}

// Export column letters that need a text format, so typed numbers keep every digit.
const (
	nikColumn = "C"
	kpjColumn = "J"
)

// headerAliases maps normalised header names to the field they hold in a returned file.
var headerAliases = map[string]string{
	"caseref": "case_ref", "ref": "case_ref", "case": "case_ref", "caseid": "case_ref",
	"kpj": "kpj", "nokpj": "kpj", "nomorkpj": "kpj", "kpjnumber": "kpj",
}

// normaliseHeader lower-cases h and drops the separators people type inconsistently.
func normaliseHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer(" ", "", "_", "", "-", "", ".", "").Replace(h)
}
