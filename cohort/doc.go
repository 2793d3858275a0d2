// Package cohort reads the participant list of a training cohort from a CSV
// or XLSX registration export and validates it row by row.
//
// Reading (ReadCSV, ReadXLSX, Open) turns each data row into a Row with
// normalized fields; Validate then applies the identity and eligibility
// rules. A bad row is marked with Err and ErrKind and never stops the good
// ones; only problems with the file as a whole (unreadable, missing a required
// column) are returned as errors.
package cohort
