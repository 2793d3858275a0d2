package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Person is what a list shows of the participant behind a case: enough to know whom one
// decides on, never the NIK in clear. It is personal data: API answers carry it only to
// readers whose role and scope allow (see api.attachPeople), and it never goes into a log, a
// URL, a workflow ID or a search attribute.
type Person struct {
	Name string `json:"name"`
	// NIKMasked keeps the first and last four digits: "3517••••••••0003".
	NIKMasked string `json:"nik_masked"`
	// BirthDate is the person's date of birth, when known; Age is computed from it.
	BirthDate *time.Time `json:"birth_date,omitempty"`
	Age       int        `json:"age,omitempty"`
	Phone     string     `json:"phone,omitempty"`
}

// MaskNIK hides the middle eight digits of a NIK for lists: "3517••••••••0003". Anything not
// 16 characters long is hidden entirely except its last two characters.
func MaskNIK(n string) string {
	r := []rune(n)
	if len(r) == 16 {
		return string(r[:4]) + strings.Repeat("•", 8) + string(r[12:])
	}
	if len(r) <= 2 {
		return strings.Repeat("•", len(r))
	}
	return strings.Repeat("•", len(r)-2) + string(r[len(r)-2:])
}

// AgeOn is the age in whole years on day now of someone born on birth.
func AgeOn(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || (now.Month() == birth.Month() && now.Day() < birth.Day()) {
		y--
	}
	return max(y, 0)
}

// AttachPeople fills Person on each case whose participant is on record, in one query. Cases
// without a participant row (a journey whose identity was never stored) keep a nil Person.
func (s *Store) AttachPeople(ctx context.Context, cs []Case, now time.Time) error {
	var hashes []string
	for _, c := range cs {
		if c.NIKHash != "" {
			hashes = append(hashes, c.NIKHash)
		}
	}
	if len(hashes) == 0 {
		return nil
	}
	rows, err := s.pool.Query(ctx, `SELECT nik_hash, nik, name, birth_date, phone FROM participants WHERE nik_hash = ANY($1)`, hashes)
	if err != nil {
		return fmt.Errorf("read the participants of %d cases: %w", len(cs), err)
	}
	defer rows.Close()
	people := make(map[string]*Person, len(hashes))
	for rows.Next() {
		var hash, clear string
		var p Person
		if err := rows.Scan(&hash, &clear, &p.Name, &p.BirthDate, &p.Phone); err != nil {
			return fmt.Errorf("read the participants of %d cases: %w", len(cs), err)
		}
		p.NIKMasked = MaskNIK(clear)
		if p.BirthDate != nil {
			p.Age = AgeOn(*p.BirthDate, now)
		}
		people[hash] = &p
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the participants of %d cases: %w", len(cs), err)
	}
	for i := range cs {
		if p, ok := people[cs[i].NIKHash]; ok {
			cp := *p
			cs[i].Person = &cp
		}
	}
	return nil
}

// nameLike turns a person's search words into an ILIKE pattern that matches names holding
// them in that order, with LIKE's wildcards in the words taken literally.
func nameLike(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	words := strings.Fields(q)
	for i, w := range words {
		words[i] = r.Replace(w)
	}
	return "%" + strings.Join(words, "%") + "%"
}
