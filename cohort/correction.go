package cohort

import (
	"unicode/utf8"
)

// Correction is a participant's corrected identity as typed into the case page or the CLI
// (issue 16, point 5): an empty field is not corrected.
type Correction struct {
	NIK       string
	Name      string
	BirthDate string // DD-MM-YYYY or YYYY-MM-DD, as in the spreadsheet
}

// Empty reports whether nothing is corrected.
func (c Correction) Empty() bool { return c.NIK == "" && c.Name == "" && c.BirthDate == "" }

// CheckCorrection validates a correction exactly as an imported row is validated: the same
// cleaning, the same date forms, the same NIK rules and messages ("looks like Excel scientific
// notation", area codes, the birth date the NIK encodes) and the same age rules. The fields not
// corrected are taken from current (the record on file), so a new birth date is checked against
// the NIK on file and the other way round. The returned row holds the normalized values, its
// warnings, and Err/ErrKind when the correction is refused.
func CheckCorrection(c Correction, current Row, rules Rules) Row {
	r := Row{Line: 1, NIK: current.NIK, Name: current.Name, Sex: current.Sex, BirthDate: current.BirthDate}
	for _, f := range []struct {
		column string
		value  *string
	}{{"nik", &c.NIK}, {"name", &c.Name}, {"birth_date", &c.BirthDate}} {
		if !utf8.ValidString(*f.value) {
			r.rejectm(KindBadEncoding, "row.bad-encoding-field", "column", f.column)
		}
		*f.value = clean(*f.value)
	}
	if c.Name != "" {
		r.Name = c.Name
	}
	if r.Name == "" {
		r.rejectm(KindEmptyName, "row.empty-name")
	}
	if c.BirthDate != "" {
		d, err := parseDate(c.BirthDate)
		if err != nil {
			r.rejectDate(err)
		}
		r.BirthDate = d
	}
	if c.NIK != "" {
		r.NIK = c.NIK
	}
	if r.Err != nil {
		return r
	}
	rows := []Row{r}
	Validate(rows, rules)
	return rows[0]
}
