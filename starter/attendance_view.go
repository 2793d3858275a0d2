package starter

import (
	"context"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// RegisterDay is one training day of a package: recorded or still missing.
type RegisterDay struct {
	Date       string     `json:"date"`
	Recorded   bool       `json:"recorded"`
	Present    int        `json:"present"`
	Absent     int        `json:"absent"`
	RecordedBy string     `json:"recorded_by,omitempty"`
	RecordedAt *time.Time `json:"recorded_at,omitempty"`
}

// RegisterOverview is a package's register at a glance: every training day up to today,
// recorded or missing, each trainee's running count, and who is in training now (whom the
// next register must list).
type RegisterOverview struct {
	Package    string                  `json:"package"`
	Mode       string                  `json:"mode"`
	FirstDay   string                  `json:"first_day"`
	LastDay    string                  `json:"last_day"`
	Recorded   int                     `json:"recorded"`
	Missing    int                     `json:"missing"`
	MissingOn  []string                `json:"missing_days"`
	Days       []RegisterDay           `json:"days"`
	Counts     []store.AttendanceCount `json:"counts"`
	InTraining []string                `json:"in_training"`
}

// RegisterDayView is one day's register with whom it must list.
type RegisterDayView struct {
	store.AttendanceDay
	Date       string   `json:"date"`
	Recorded   bool     `json:"recorded"`
	InTraining []string `json:"in_training"`
}

// RegisterOverview reads a package's register: the training days from the first to today (or
// the last, if training has ended), each recorded or missing.
func (s *Service) RegisterOverview(ctx context.Context, code string) (RegisterOverview, error) {
	pkg, err := s.Store.GetPackage(ctx, code)
	if err != nil {
		return RegisterOverview{}, err
	}
	first, last := s.TrainingDayBounds(pkg)
	o := RegisterOverview{Package: pkg.Code, Mode: s.Config.Journey.AttendanceMode, FirstDay: first.Format(time.DateOnly),
		LastDay: last.Format(time.DateOnly), MissingOn: []string{}, Days: []RegisterDay{}}
	recorded, err := s.Store.AttendanceDays(ctx, pkg.Code)
	if err != nil {
		return o, err
	}
	byDay := map[time.Time]store.DaySummary{}
	for _, d := range recorded {
		byDay[d.Day] = d
	}
	until := last
	if today := s.Today(); today.Before(until) {
		until = today
	}
	for d := first; !d.After(until); d = d.AddDate(0, 0, 1) {
		rd := RegisterDay{Date: d.Format(time.DateOnly)}
		if r, ok := byDay[d]; ok {
			at := r.RecordedAt
			rd.Recorded, rd.Present, rd.Absent, rd.RecordedBy, rd.RecordedAt = true, r.Present, r.Absent, r.RecordedBy, &at
			o.Recorded++
		} else {
			o.Missing++
			o.MissingOn = append(o.MissingOn, rd.Date)
		}
		o.Days = append(o.Days, rd)
	}
	if o.Counts, err = s.Store.AttendanceCounts(ctx, pkg.Code); err != nil {
		return o, err
	}
	if o.Counts == nil {
		o.Counts = []store.AttendanceCount{}
	}
	o.InTraining, err = s.inTraining(ctx, pkg.Code)
	return o, err
}

// RegisterDay reads one day's register of a package, with whom a register for it must list.
func (s *Service) RegisterDay(ctx context.Context, code string, day time.Time) (RegisterDayView, error) {
	pkg, err := s.Store.GetPackage(ctx, code)
	if err != nil {
		return RegisterDayView{}, err
	}
	d, err := s.Store.AttendanceDayOf(ctx, pkg.Code, day)
	if err != nil {
		return RegisterDayView{}, err
	}
	v := RegisterDayView{AttendanceDay: d, Date: day.Format(time.DateOnly), Recorded: len(d.Marks) > 0}
	v.InTraining, err = s.inTraining(ctx, pkg.Code)
	return v, err
}

// inTraining lists the package's open cases in training, whom a register must list.
func (s *Service) inTraining(ctx context.Context, pkg string) ([]string, error) {
	cs, err := s.Store.ListCases(ctx, store.CaseFilter{PackageCode: pkg, Stage: vocab.StageTraining, Status: store.StatusOpen})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.CaseID)
	}
	return ids, nil
}
