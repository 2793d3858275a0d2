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
	if err := s.Store.CreatePackage(ctx, p); err != nil {
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
	return fmt.Errorf("package %s: scheme %q has no units of competence in the registry (known schemes: %s); the coordinator adds a scheme's units to registry.yaml and runs kompeten migrate: %w",
		p.Code, p.Scheme, strings.Join(known, ", "), store.ErrInvalid)
}

// ValidatePackage checks a package's own fields before it reaches the store.
func ValidatePackage(p store.Package) error {
	if problems, _ := packageProblems(p); len(problems) > 0 {
		return fmt.Errorf("package %s: %s: %w", p.Code, strings.Join(problems, "; "), store.ErrInvalid)
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
