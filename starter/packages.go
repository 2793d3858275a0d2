package starter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// CreatePackage stores a training package, filling capacity and attendance minimum from the
// configuration when they are not given.
func (s *Service) CreatePackage(ctx context.Context, p store.Package) (store.Package, error) {
	if p.Capacity == 0 {
		p.Capacity = s.Config.Journey.DefaultCapacity
	}
	if p.AttendanceMin == 0 {
		p.AttendanceMin = s.Config.Journey.DefaultAttendance
	}
	if err := ValidatePackage(p); err != nil {
		return p, err
	}
	if err := s.checkScheme(ctx, p); err != nil {
		return p, err
	}
	if err := s.checkPartners(ctx, p); err != nil {
		return p, err
	}
	if err := s.Store.CreatePackage(ctx, p); err != nil {
		if errors.Is(err, store.ErrExists) {
			return p, withCode(fmt.Errorf("create package %s: %w", p.Code, err), "refusal.package-exists", "code", p.Code)
		}
		return p, fmt.Errorf("create package %s: %w", p.Code, err)
	}
	return s.Store.GetPackage(ctx, p.Code)
}

// checkScheme refuses a package whose scheme has no units of competence: its trainees could not
// be assessed (every result must cover the scheme's units), and the journey would only wait.
func (s *Service) checkScheme(ctx context.Context, p store.Package) error {
	sc, err := s.Store.GetScheme(ctx, p.Scheme)
	if err == nil && len(sc.Units) > 0 {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("package %s: %w", p.Code, err)
	}
	all, err := s.Store.ListSchemes(ctx)
	if err != nil {
		return fmt.Errorf("package %s: %w", p.Code, err)
	}
	var known []string
	for _, k := range all {
		if len(k.Units) > 0 {
			known = append(known, k.Code)
		}
	}
	return withCode(fmt.Errorf("package %s: scheme %q has no units of competence in the registry (known schemes: %s); the coordinator adds a scheme's units to registry.yaml and runs kompeten migrate: %w",
		p.Code, p.Scheme, strings.Join(known, ", "), store.ErrInvalid), "refusal.package-scheme-no-units", "scheme", p.Scheme, "known", strings.Join(known, ", "))
}

// checkPartners refuses an unknown centre, an unknown LSP and a partner that is not an LSP with
// their message codes, in the words the store would refuse them with (the store checks them
// again when it writes: this is for the codes).
func (s *Service) checkPartners(ctx context.Context, p store.Package) error {
	switch _, err := s.Store.GetCentre(ctx, p.CentreCode); {
	case errors.Is(err, store.ErrNotFound):
		return withCode(fmt.Errorf("create package %s: unknown centre %q: %w", p.Code, p.CentreCode, store.ErrInvalid),
			"refusal.package-centre-unknown", "centre", p.CentreCode)
	case err != nil:
		return fmt.Errorf("create package %s: %w", p.Code, err)
	}
	switch partner, err := s.Store.GetPartner(ctx, p.LSPCode); {
	case errors.Is(err, store.ErrNotFound):
		return withCode(fmt.Errorf("create package %s: unknown LSP %q: %w", p.Code, p.LSPCode, store.ErrInvalid),
			"refusal.package-lsp-unknown", "lsp", p.LSPCode)
	case err != nil:
		return fmt.Errorf("create package %s: %w", p.Code, err)
	case partner.Kind != "certifier":
		return withCode(fmt.Errorf("create package %s: partner %q is not an LSP: %w", p.Code, p.LSPCode, store.ErrInvalid),
			"refusal.package-lsp-not-certifier", "partner", p.LSPCode)
	}
	return nil
}

// ValidatePackage checks a package's own fields before it reaches the store. Its refusal is a
// *CodedError: each problem with its message code (the package edit's own, where the problem is
// the same), under the English sentence and store.ErrInvalid it always had.
func ValidatePackage(p store.Package) error {
	if problems, coded := packageProblems(p); len(problems) > 0 {
		return &CodedError{Err: fmt.Errorf("package %s: %s: %w", p.Code, strings.Join(problems, "; "), store.ErrInvalid), Coded: coded}
	}
	return nil
}

// packageProblems are the reasons ValidatePackage refuses p, in English and, in the same
// order, as message codes that word them in the reader's language (issue 15).
func packageProblems(p store.Package) ([]string, []workflows.RefusalDetails) {
	var problems []string
	var coded []workflows.RefusalDetails
	add := func(code, problem string) {
		problems = append(problems, problem)
		coded = append(coded, problemCode(code))
	}
	if strings.TrimSpace(p.Code) == "" {
		add("refusal.package-code-required", "code is required")
	}
	if strings.ContainsAny(p.Code, " /?#%") {
		add("refusal.package-code-chars", "code may not contain spaces or / ? # %")
	}
	if p.CentreCode == "" {
		add("refusal.package-centre-required", "centre is required")
	}
	if p.LSPCode == "" {
		add("refusal.package-lsp-required", "lsp is required")
	}
	if p.Scheme == "" {
		add("refusal.package-scheme-required", "scheme is required")
	}
	if p.Trade == "" {
		add("refusal.package-trade-required", "trade is required")
	}
	if p.StartDate.IsZero() || p.EndDate.IsZero() {
		add("refusal.package-dates-required", "start and end dates are required")
	} else if p.EndDate.Before(p.StartDate) {
		add("refusal.package-end-before-start", "end date is before the start date")
	}
	if p.Capacity < 1 {
		add("refusal.package-capacity", "capacity must be at least 1")
	}
	if p.AttendanceMin < 0 || p.AttendanceMin > 1 {
		add("refusal.package-attendance", "attendance minimum must be between 0 and 1 (e.g. 0.8)")
	}
	if p.Hours < 0 {
		add("refusal.package-hours-negative", "hours must not be negative")
	}
	return problems, coded
}

// ParseWhen reads a package date: YYYY-MM-DD (midnight in loc), DD-MM-YYYY, an RFC 3339 time,
// or "+DURATION" from now (for demonstrations with shortened durations, e.g. "+2m"). Its errors
// are worded by the catalogue (*i18n.Error), so the API answers them in the reader's language.
func ParseWhen(s string, loc *time.Location, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") {
		d, err := time.ParseDuration(s[1:])
		if err != nil {
			return time.Time{}, i18n.Wrap(err, "date.duration-bad", "value", strconv.Quote(s))
		}
		return now.Add(d).Truncate(time.Second), nil
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, i18n.Errorm("date.when-bad", "value", strconv.Quote(s))
}
