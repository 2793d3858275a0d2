package cohort_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/cohort"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
)

// A file the import cannot read as a whole says why in the catalogue's words: worded in
// Indonesian it holds none of its English (which Error keeps as it was, for the command line and
// scripts), differs from the English, and leaves no parameter unfilled.
func TestFileErrorsAreWordedByTheCatalogue(t *testing.T) {
	emptySheet := excelize.NewFile()
	var blank bytes.Buffer
	if err := emptySheet.Write(&blank); err != nil {
		t.Fatal(err)
	}
	csv := func(s string) func() error {
		return func() error { _, err := cohort.ReadCSV(strings.NewReader(s)); return err }
	}
	xlsx := func(b []byte) func() error {
		return func() error { _, err := cohort.ReadXLSX(bytes.NewReader(b)); return err }
	}
	unfilled := regexp.MustCompile(`\{[a-z]+(\|[a-z]+)?\}`)
	for _, c := range []struct {
		name    string
		read    func() error
		english string // Error, exactly as the command line has always printed it
	}{
		{"empty", csv("\n"), "file is empty or starts with an empty line; the first line must be the header"},
		{"UTF-16", csv("\xff\xfen\x00i\x00k\x00"), `file is UTF-16 encoded; save it as "CSV UTF-8"`},
		{"missing column", csv("nik,nama,jenis_kelamin\n"), `header: missing required column "tanggal_lahir" (or "birth_date")`},
		{"column twice", csv("nik,nama,nik,jenis_kelamin,tanggal_lahir\n"), `header: column "nik" appears twice (columns 1 and 3)`},
		{"empty sheet", xlsx(blank.Bytes()), `sheet "Sheet1" is empty or its first row is empty; the first row must be the header`},
		{"not a workbook", xlsx([]byte("nik,nama\n")), "not an XLSX workbook (a zip archive): zip: not a valid zip file"},
	} {
		err := c.read()
		if err == nil || err.Error() != c.english {
			t.Errorf("%s: error %v, want %q", c.name, err, c.english)
			continue
		}
		m, ok := i18n.WordsOf(err)
		if !ok {
			t.Errorf("%s: %v carries no catalogue message", c.name, err)
			continue
		}
		id, en := m.In(i18n.For(i18n.ID, nil)), m.English()
		sentence := strings.TrimPrefix(c.english, "header: ")
		if strings.Contains(id, sentence) || strings.Contains(id, strings.SplitN(sentence, " (", 2)[0]) || id == en ||
			unfilled.MatchString(id+en) {
			t.Errorf("%s: Indonesian %q, English %q: English in the Indonesian, one language, or a parameter unfilled", c.name, id, en)
		}
	}
	if _, err := cohort.ReadCSV(strings.NewReader("nik,nama\n")); !errors.Is(err, cohort.ErrMissingColumn) {
		t.Errorf("a missing column no longer wraps ErrMissingColumn: %v", err)
	}
	if _, err := cohort.ReadXLSX(bytes.NewReader(make([]byte, xlsxsafe.MaxFileBytes+1))); !errors.Is(err, xlsxsafe.ErrRefused) {
		t.Errorf("an oversized workbook is not refused as one: %v", err)
	} else if m, ok := i18n.WordsOf(err); !ok || m.Code != "xlsx.too-big" {
		t.Errorf("an oversized workbook's message: %+v %v", m, ok)
	}
}
