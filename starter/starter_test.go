package starter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

func TestParseWhen(t *testing.T) {
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"2027-02-01":           time.Date(2027, 2, 1, 0, 0, 0, 0, wib),
		"01-02-2027":           time.Date(2027, 2, 1, 0, 0, 0, 0, wib),
		"01/02/2027":           time.Date(2027, 2, 1, 0, 0, 0, 0, wib),
		"2027-02-01T08:00:00Z": time.Date(2027, 2, 1, 8, 0, 0, 0, time.UTC),
		"+90s":                 now.Add(90 * time.Second),
	}
	for in, want := range cases {
		got, err := starter.ParseWhen(in, wib, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "2027-13-01", "+soon", "31-02-2027"} {
		if _, err := starter.ParseWhen(bad, wib, now); err == nil {
			t.Errorf("ParseWhen(%q) accepted", bad)
		}
	}
}

func TestTrainingDays(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, wib)
	if d := starter.TrainingDays(start, time.Date(2027, 3, 31, 23, 59, 59, 0, wib), wib); d != 59 {
		t.Errorf("1 Feb - 31 Mar = %d days, want 59", d)
	}
	if d := starter.TrainingDays(start, start.Add(3*time.Minute), wib); d != 1 {
		t.Errorf("a three-minute demo = %d days, want 1", d)
	}
}

func TestValidatePackage(t *testing.T) {
	good := store.Package{Code: "P1", CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY", Scheme: "S", Trade: "Las",
		StartDate: time.Now(), EndDate: time.Now().Add(time.Hour), Capacity: 16, AttendanceMin: 0.8}
	if err := starter.ValidatePackage(good); err != nil {
		t.Fatalf("good package refused: %v", err)
	}
	bad := good
	bad.Code = "P 1/x"
	bad.EndDate = good.StartDate.Add(-time.Hour)
	bad.AttendanceMin = 80
	err := starter.ValidatePackage(bad)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("bad package: %v, want ErrInvalid", err)
	}
	for _, want := range []string{"code may not contain", "end date is before", "attendance minimum"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
