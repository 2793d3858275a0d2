package store

import (
	"context"
	"fmt"
)

// SeedSyntheticPeople gives every synthetic case (SeedSynthetic) a participant with a made-up
// Indonesian name, NIK, birth date and phone, so that the lists' people and the name search can
// be measured at scale. The same cases give the same people. It is for benchmarks only.
func (s *Store) SeedSyntheticPeople(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `
INSERT INTO participants (nik_hash, nik, name, birth_date, phone)
SELECT c.nik_hash,
	'3517' || lpad((abs(hashtext(c.case_id)) % 1000000000000)::text, 12, '0'),
	(ARRAY['Siti','Budi','Dewi','Agus','Rina','Eko','Sri','Joko','Wahyu','Nur','Ayu','Bambang','Indah','Rudi','Fitri','Hendra'])[1 + abs(hashtext(c.case_id || 'a')) % 16]
	|| ' ' ||
	(ARRAY['Santoso','Wijaya','Lestari','Nurhaliza','Saputra','Rahayu','Hidayat','Kusuma','Pratama','Susanti','Setiawan','Wulandari','Gunawan','Handayani','Purnomo','Maharani'])[1 + abs(hashtext(c.case_id || 'b')) % 16]
	|| ' ' || (abs(hashtext(c.case_id || 'c')) % 1000)::text,
	DATE '1975-01-01' + abs(hashtext(c.case_id || 'd')) % 11000,
	'08' || lpad((abs(hashtext(c.case_id || 'e')) % 10000000000)::text, 10, '0')
FROM cases c
WHERE c.package_code LIKE $1 AND c.nik_hash <> ''
ON CONFLICT (nik_hash) DO NOTHING`, SyntheticPrefix+"%")
	if err != nil {
		return fmt.Errorf("seed synthetic participants: %w", err)
	}
	// As after SeedSynthetic: the planner needs the new rows' statistics (autovacuum would
	// gather them a little later on a live server).
	if _, err := s.pool.Exec(ctx, `VACUUM (ANALYZE) participants`); err != nil {
		return fmt.Errorf("seed synthetic participants: analyze: %w", err)
	}
	return nil
}
