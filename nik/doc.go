// Package nik validates Indonesian national identity numbers (Nomor Induk
// Kependudukan) as they arrive from registration spreadsheets.
//
// A NIK is 16 digits: PP KK CC DDMMYY SSSS — province, regency and district
// of first issue, the birth date (day +40 for women, year without century)
// and a serial starting at 0001. There is no checksum.
//
// Spreadsheet exports routinely damage NIKs (scientific notation, lost
// leading zeros, inserted spaces); this package detects such damage and
// rejects it with a message an administrator can act on, and never repairs a
// number by guessing. A NIK is personal data: error messages never contain
// it, use Mask for display and Hash for identifiers.
package nik
