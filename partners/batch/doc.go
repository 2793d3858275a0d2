// Package batch is the spreadsheet exchange with a BPJS Ketenagakerjaan branch office that has no
// API: WriteExport lists the pending registrations in an XLSX sheet "Pendaftaran" with an empty KPJ
// column; the branch office fills it in and sends the file back; ReadReturn reads the KPJ numbers.
//
// Spreadsheet programs mangle long numbers (3.51514E+15, lost leading zeros). The export therefore
// writes NIK and KPJ columns as text cells, and the import rejects anything that is not exactly 11
// digits, row by row, rather than guess.
package batch
