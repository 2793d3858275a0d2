package store

import (
	"context"
	"fmt"
)

// SetAccountPreferences keeps the language ("id", "en") and time zone ("WIB", "WITA", "WIT")
// the pages use for an account; the table's checks refuse any other value (ErrInvalid).
func (s *Store) SetAccountPreferences(ctx context.Context, id int64, lang, zone string) error {
	switch {
	case lang != "id" && lang != "en":
		return fmt.Errorf("account %d: language %q is not id or en: %w", id, lang, ErrInvalid)
	case zone != "WIB" && zone != "WITA" && zone != "WIT":
		return fmt.Errorf("account %d: time zone %q is not WIB, WITA or WIT: %w", id, zone, ErrInvalid)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE accounts SET lang = $2, time_zone = $3 WHERE id = $1`, id, lang, zone)
	if err != nil {
		return fmt.Errorf("set the preferences of account %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("account %d: %w", id, ErrNotFound)
	}
	return nil
}
