package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/regions"
)

// eastJava is the province of the network's centres; generated NIKs are issued there.
const eastJava = "35."

// CohortGenerator writes synthetic cohort exports whose every row passes the importer's checks:
// NIKs built from area codes that exist, a birth date and sex that agree with the NIK, ages
// between 18 and 40 at the package start, and NIKs unique across everything one generator
// produces (so people never collide between the packages of one run).
type CohortGenerator struct {
	rng       *rand.Rand
	districts []string
	used      map[string]bool
}

// NewCohortGenerator returns a generator; the same seed gives the same people.
func NewCohortGenerator(seed uint64) (*CohortGenerator, error) {
	ds := regions.DistrictCodes(eastJava)
	if len(ds) == 0 {
		return nil, fmt.Errorf("cohort generator: no district codes under %q in the regions data", eastJava)
	}
	return &CohortGenerator{rng: rand.New(rand.NewPCG(seed, seed^0x6b6f6d706574656e)), districts: ds, used: map[string]bool{}}, nil
}

// GeneratedPerson is one row of a generated export, as the cells would read.
type GeneratedPerson struct {
	NIK, Name, Sex, BirthPlace, Phone, Email, Education, Address string
	BirthDate                                                    time.Time
}

var (
	menNames   = []string{"Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Imam", "Joko", "Rizky", "Slamet", "Teguh", "Wahyu", "Yusuf", "Bayu", "Arif"}
	womenNames = []string{"Ayu", "Dewi", "Fitri", "Indah", "Lestari", "Nur", "Putri", "Rina", "Sari", "Siti", "Tri", "Wulan", "Yuni", "Ani", "Mega"}
	surnames   = []string{"Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Setiawan", "Kurniawan", "Rahmawati", "Susanti", "Purnomo", "Nugroho", "Wibowo"}
	schooling  = []string{"SMK", "SMA", "SMP", "MA", "D3"}
)

// Person makes the next person, old enough for a package that starts on start.
func (g *CohortGenerator) Person(start time.Time) GeneratedPerson {
	female := g.rng.IntN(2) == 1
	// 18 to 40 years before the start, never on the birthday itself (age is whole years).
	age := 18 + g.rng.IntN(23)
	birth := time.Date(start.Year()-age, start.Month(), start.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1-g.rng.IntN(360))
	district := g.districts[g.rng.IntN(len(g.districts))]
	day := birth.Day()
	if female {
		day += 40
	}
	prefix := strings.ReplaceAll(district, ".", "") + fmt.Sprintf("%02d%02d%02d", day, int(birth.Month()), birth.Year()%100)
	serial := 1 + g.rng.IntN(9999)
	nik := ""
	for range 9999 {
		nik = fmt.Sprintf("%s%04d", prefix, serial)
		if !g.used[nik] {
			break
		}
		serial = serial%9999 + 1
	}
	g.used[nik] = true

	first := menNames[g.rng.IntN(len(menNames))]
	sex := "L"
	if female {
		first = womenNames[g.rng.IntN(len(womenNames))]
		sex = "P"
	}
	last := surnames[g.rng.IntN(len(surnames))]
	place, _ := regions.Regency(district[:5])
	return GeneratedPerson{
		NIK: nik, Name: first + " " + last, Sex: sex, BirthDate: birth,
		BirthPlace: strings.TrimPrefix(strings.TrimPrefix(place, "Kabupaten "), "Kota "),
		Phone:      fmt.Sprintf("08%d%09d", 1+g.rng.IntN(9), g.rng.IntN(1_000_000_000)),
		Email:      strings.ToLower(first+"."+last) + fmt.Sprintf("%d@example.id", g.rng.IntN(1000)),
		Education:  schooling[g.rng.IntN(len(schooling))],
		Address:    fmt.Sprintf("Jl. Raya %s No. %d", surnames[g.rng.IntN(len(surnames))], 1+g.rng.IntN(200)),
	}
}

// WriteCSV writes a cohort export of n people, with the Indonesian header a centre's
// spreadsheet has, for a package that starts on start.
func (g *CohortGenerator) WriteCSV(w io.Writer, n int, start time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "no_hp", "email", "pendidikan", "alamat"}); err != nil {
		return fmt.Errorf("write cohort header: %w", err)
	}
	for i := range n {
		p := g.Person(start)
		rec := []string{p.NIK, p.Name, p.Sex, p.BirthPlace, p.BirthDate.Format("02-01-2006"), p.Phone, p.Email, p.Education, p.Address}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write cohort row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write cohort: %w", err)
	}
	return nil
}
