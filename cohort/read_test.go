package cohort

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const header = "nik,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,no_hp,email,pendidikan,alamat\n"

func TestParseDate(t *testing.T) {
	want := time.Date(2004, 7, 9, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"09-07-2004", "9-7-2004", "09/07/2004", "09.07.2004", "2004-07-09", "2004-7-9"} {
		if got, err := parseDate(s); err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "31-02-2001", "29-02-2001", "00-01-2000", "01-13-2000", "09-07-04", "09-07/2004", "2004/07/09", "07/09/2004 00:00", "01-01-1850", "tomorrow"} {
		if got, err := parseDate(s); err == nil {
			t.Errorf("parseDate(%q) = %v, want error", s, got)
		}
	}
	if _, err := parseDate("29-02-2000"); err != nil {
		t.Errorf("29-02-2000 is a leap day: %v", err)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"08123456789", "08123456789", true},
		{"+62 812-3456-789", "08123456789", true},
		{"6281234567890", "081234567890", true},
		{"8123456789", "08123456789", true}, // lost leading zero
		{"'08123456789", "08123456789", true},
		{"(0812) 3456.789", "08123456789", true},
		{"0311234567", "0311234567", false}, // landline
		{"0812", "0812", false},
		{"8.12346E+10", "08.12346E+10", false},
	}
	for _, tt := range tests {
		got, ok := normalizePhone(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("normalizePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := map[string]rune{
		"nik,nama,jenis_kelamin\n":          ',',
		"nik;nama;jenis_kelamin\r\n":        ';',
		"nik\tnama\tjenis_kelamin\n":        '\t',
		`"nik;x",nama,tanggal_lahir` + "\n": ',',
		"nik\n":                             ',',
	}
	for line, want := range tests {
		if got := detectDelimiter(line); got != want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestMissingColumn(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("nik;nama;jenis_kelamin;tempat_lahir;no_hp\n1;2;3;4;5\n"))
	if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "tanggal_lahir") || !strings.Contains(err.Error(), "birth_date") {
		t.Errorf("err = %v; want missing tanggal_lahir/birth_date", err)
	}
	_, err = ReadCSV(strings.NewReader("nik,name,nama,sex,birth_date\n"))
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate column: err = %v", err)
	}
}

func TestFileLevelErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":        "",
		"blank first":  "\n" + header,
		"utf-16":       "\xFF\xFEn\x00i\x00k\x00",
		"only garbage": "hello world\n",
	} {
		if _, err := ReadCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Open("cohort.xls"); err == nil || !strings.Contains(err.Error(), ".xlsx") {
		t.Errorf("Open(.xls) err = %v", err)
	}
	if _, err := Open("cohort.pdf"); err == nil {
		t.Error("Open(.pdf) did not fail")
	}
	if _, err := ReadXLSX(strings.NewReader("not a zip")); err == nil {
		t.Error("ReadXLSX(garbage) did not fail")
	}
}

func TestRowLevelProblems(t *testing.T) {
	in := header +
		"3515015907041187,Siti,P,Sidoarjo,19-07-2004,0812345678,a@b.example,SMA,Jl. A\n" + // 1 ok
		"3515015907041188,Ani,P,Sidoarjo,19-07-2004,0812345678\n" + // 2 too few fields
		"3515015907041189,Ani,P,Sidoarjo,19-07-2004,0812345678,,,,extra\n" + // 3 too many
		"3515015907041190,Ani,P,Sidoarjo,19-07-2004,0812345678,,,,,\n" + // 4 extra empty: fine
		",,,,,,,,\n" + // 5 blank: skipped
		"3515015907041191,Ani,X,Sidoarjo,19-07-2004,0812345678,,,\n" + // 6 bad sex
		"3515015907041192,Ani \xE9,P,Sidoarjo,19-07-2004,0812345678,,,\n" + // 7 Latin-1
		"3515015907041193,Ani,wanita,Sidoarjo,2004-07-19,12,not-an-email,,\n" + // 8 warnings only
		"3515015907041187,Siti,P,Sidoarjo,19-07-2004,0812345678,,,\n" + // 9 duplicate of 1
		"3515011907040001,Budi,L,Sidoarjo,19-07-1950,0812345678,,,\n" // 10 over MaxAge
	rows, err := ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	Validate(rows, Rules{StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), MinAge: 17, MaxAge: 60})
	want := map[int]string{1: "", 2: KindColumnCount, 3: KindColumnCount, 4: "", 6: KindBadSex, 7: KindBadEncoding,
		8: "", 9: KindDuplicateNIK, 10: KindOverage}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if k, ok := want[r.Line]; !ok || r.ErrKind != k {
			t.Errorf("row %d: kind %q (%v), want %q", r.Line, r.ErrKind, r.Err, k)
		}
	}
	if r := rows[6]; len(r.Warnings) != 2 || r.Sex != "P" || r.Phone != "12" {
		t.Errorf("row 8: %+v; want phone and email warnings", r)
	}
	if !strings.Contains(rows[8].Err.Error(), "age 76") {
		t.Errorf("overage message lacks the age: %v", rows[8].Err)
	}
}

func TestAgeOn(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		birth, on time.Time
		want      int
	}{
		{d(2010, 2, 1), d(2027, 2, 1), 17},
		{d(2010, 2, 2), d(2027, 2, 1), 16},
		{d(2008, 2, 29), d(2027, 2, 28), 18},
		{d(2008, 2, 29), d(2026, 2, 28), 17},
		{d(2008, 2, 29), d(2026, 3, 1), 18},
	}
	for _, tt := range tests {
		if got := ageOn(tt.birth, tt.on); got != tt.want {
			t.Errorf("ageOn(%v, %v) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func TestOpenXLSXByExtension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Cohort.XLSX")
	if err := os.WriteFile(path, sampleXLSX(t, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	rows, err := Open(path)
	checkOutcome(t, validated(t, rows, err))
}

// The persetujuan_pesan column gives consent only on a clear yes; a file without it consents
// to nothing.
func TestConsentColumn(t *testing.T) {
	const head = "nik,nama,jenis_kelamin,tanggal_lahir,no_hp"
	rows, err := ReadCSV(strings.NewReader(head + ",persetujuan_pesan\n" +
		"3515014101990001,Siti,P,01-01-1999,0812345678,ya\n" +
		"3515014101990002,Budi,L,01-01-1999,0812345679,Tidak\n" +
		"3515014101990003,Ani,P,01-01-1999,0812345670,\n" +
		"3515014101990004,Eko,L,01-01-1999,0812345671,mungkin\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, false, false, false}
	for i, r := range rows {
		if r.Consent != want[i] {
			t.Errorf("row %d: consent %v, want %v", i+1, r.Consent, want[i])
		}
	}
	if len(rows[3].Warnings) == 0 {
		t.Error("an unclear consent cell gave no warning")
	}
	rows, err = ReadCSV(strings.NewReader(head + "\n3515014101990001,Siti,P,01-01-1999,0812345678\n"))
	if err != nil || len(rows) != 1 || rows[0].Consent {
		t.Fatalf("without the column: %+v %v, want no consent", rows, err)
	}
}

// A row's warnings are messages of the catalogue, one for each English warning, whose English
// is the sentence the import always wrote.
func TestRowWarningsAreMessages(t *testing.T) {
	var v [numFields]string
	v[fNIK], v[fName], v[fSex], v[fBirthDate] = "3515015907041187", "Siti", "P", "19-07-2004"
	v[fPhone], v[fEmail], v[fConsent] = "12", "nope", "mungkin"
	r := buildRow(1, v)
	want := []struct{ code, english string }{
		{"warning.phone", "phone number is not a recognisable Indonesian mobile number (08…, +62…)"},
		{"warning.consent", "persetujuan_pesan is not ya or tidak: no messages will be sent"},
		{"warning.email", "email address does not look valid"},
	}
	if len(r.Warnings) != len(want) || len(r.WarningNotes) != len(want) {
		t.Fatalf("warnings %q, notes %+v; want %d of each", r.Warnings, r.WarningNotes, len(want))
	}
	for i, w := range want {
		if r.WarningNotes[i].Code != w.code || r.Warnings[i] != w.english {
			t.Errorf("warning %d: %s %q; want %s %q", i, r.WarningNotes[i].Code, r.Warnings[i], w.code, w.english)
		}
	}
}
