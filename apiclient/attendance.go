package apiclient

import (
	"context"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// The day register of a package: one request records who was present and who was absent on
// one training day, and the server sends each changed running count to its journey.

// RecordAttendanceDay records (or replaces) a package's register for date (YYYY-MM-DD, or
// today, -1d); the answer reports what happened to every case.
func (c *Client) RecordAttendanceDay(ctx context.Context, packageCode, date string, req api.AttendanceRegisterRequest) (starter.RegisterResult, error) {
	return do[starter.RegisterResult](ctx, c, opRecordAttendanceDay, []string{packageCode, date}, nil, req)
}

// AttendanceDay reads a package's register for one day, with whom it must list.
func (c *Client) AttendanceDay(ctx context.Context, packageCode, date string) (starter.RegisterDayView, error) {
	return do[starter.RegisterDayView](ctx, c, opAttendanceDay, []string{packageCode, date}, nil, nil)
}

// AttendanceOverview reads a package's register: training days recorded and missing, each
// trainee's running count, and who is in training now.
func (c *Client) AttendanceOverview(ctx context.Context, packageCode string) (starter.RegisterOverview, error) {
	return do[starter.RegisterOverview](ctx, c, opAttendanceOverview, []string{packageCode}, nil, nil)
}
