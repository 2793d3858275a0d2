package starter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// AgreementGaps names the agreements a package's trainees would wait for: an active MoU or PKS
// with BPJS Ketenagakerjaan covering the centre, and with the package's LSP covering the centre
// and the scheme, on the first training day. An empty list means both are in place. The package
// is still created without them (an agreement may be signed before the trainees need it), but
// whoever creates it is told what is missing. Each gap is a catalogue message (gap.insurer,
// gap.lsp), so the pages word it in the reader's language; i18n.EnglishAll gives the API's
// English.
func (s *Service) AgreementGaps(ctx context.Context, p store.Package) ([]i18n.Message, error) {
	day := p.StartDate.In(s.Location())
	var gaps []i18n.Message
	check := func(partner, scheme, code string) error {
		if partner == "" {
			return nil
		}
		_, err := s.Store.Covering(ctx, partner, p.CentreCode, scheme, day)
		switch {
		case errors.Is(err, store.ErrNotFound):
			gaps = append(gaps, i18n.M(code, "partner", partner, "centre", p.CentreCode, "scheme", scheme,
				"day", day.Format(time.DateOnly)))
		case err != nil:
			return fmt.Errorf("package %s: agreements: %w", p.Code, err)
		}
		return nil
	}
	if err := check(s.insurerCode(), "", "gap.insurer"); err != nil {
		return nil, err
	}
	if err := check(p.LSPCode, p.Scheme, "gap.lsp"); err != nil {
		return nil, err
	}
	return gaps, nil
}
