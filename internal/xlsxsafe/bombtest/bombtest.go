// Package bombtest writes spreadsheet bombs for tests: small XLSX files that unzip to far more
// than any export, as an attacker would send them.
package bombtest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// The parts every workbook has, with one sheet.
var parts = []struct{ name, body string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// Workbook writes an XLSX whose one sheet holds header, then the row XML rows repeated until
// the sheet is about unzipped bytes long, and returns the file.
func Workbook(t testing.TB, header []string, row string, unzipped int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	var head strings.Builder
	head.WriteString(sheetHead + `<row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&head, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, string(rune('A'+i)), h)
	}
	head.WriteString(`</row>`)
	if _, err := io.WriteString(w, head.String()); err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat(row, max(1, (1<<20)/max(1, len(row)))))
	if len(row) >= unzipped { // one copy of rows given whole
		chunk = []byte(row)
	}
	for n := head.Len(); ; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
		if n+len(chunk) >= unzipped {
			break
		}
	}
	if _, err := io.WriteString(w, sheetTail); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Bomb is a workbook of about one mebibyte that unzips to 340 MiB of rows of one cell (Go's
// deflate reaches about 1:340 on it).
func Bomb(t testing.TB, header []string) []byte {
	t.Helper()
	return Workbook(t, header, `<row><c t="inlineStr"><is><t>1</t></is></c></row>`, 340<<20)
}

// Rows is the row XML for n rows numbered from first, one cell each: a sheet small unzipped
// that still holds many rows.
func Rows(first, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`<row r="` + strconv.Itoa(first+i) + `"><c r="A` + strconv.Itoa(first+i) + `"><v>1</v></c></row>`)
	}
	return b.String()
}
