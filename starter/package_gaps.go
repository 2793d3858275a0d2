package starter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// AgreementGaps names the agreements a package's trainees would wait for: an active MoU or PKS
// with BPJS Ketenagakerjaan covering the centre, and with the package's LSP covering the centre
// and the scheme, on the first training day. An empty list means both are in place. The package
// is still created without them (an agreement may be signed before the trainees need it), but
// whoever creates it is told what is missing.
func (s *Service) AgreementGaps(ctx context.Context, p store.Package) ([]string, error) {
	day := p.StartDate.In(s.Location())
	var gaps []string
	check := func(partner, scheme, what string) error {
		if partner == "" {
			return nil
		}
		_, err := s.Store.Covering(ctx, partner, p.CentreCode, scheme, day)
		switch {
		case errors.Is(err, store.ErrNotFound):
			gaps = append(gaps, fmt.Sprintf("no active agreement with %s covers centre %s%s on %s: %s",
				partner, p.CentreCode, schemeWords(scheme), day.Format(time.DateOnly), what))
		case err != nil:
			return fmt.Errorf("package %s: agreements: %w", p.Code, err)
		}
		return nil
	}
	if err := check(s.insurerCode(), "", "trainees will wait for one before their BPJS registration"); err != nil {
		return nil, err
	}
	if err := check(p.LSPCode, p.Scheme, "trainees will wait for one before their assessment"); err != nil {
		return nil, err
	}
	return gaps, nil
}

func schemeWords(scheme string) string {
	if scheme == "" {
		return ""
	}
	return " for scheme " + scheme
}
