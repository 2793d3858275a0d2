// Package results reads an LSP's assessment result file (CSV or XLSX) and groups it into one
// assessment result per case, the record-assessment update `kompeten assess` sends.
//
// The file has one row per person and unit, with a header row naming the columns (in any
// order, Indonesian or English names, case ignored):
//
//	case_id   (kasus, id_kasus, case)       the case ID kompeten gave the LSP with the request
//	unit      (kode_unit, unit_code)        the competency unit's code
//	result    (hasil, rekomendasi)          K or BK
//	assessor  (asesor, assessor_id)         the assessor's ID (the same on every row of a case)
//
// One row per person-unit is what an LSP's assessment record holds (a unit's result is one
// line of the assessor's recommendation) and it needs no column per unit, whose number differs
// by scheme. A CSV may be separated by ',' ';' or a tab and start with a byte-order mark, as
// Excel writes it. A workbook is read from its first sheet with the cohort upload's limits
// (xlsxsafe), so a spreadsheet bomb is refused before it is unzipped.
package results
