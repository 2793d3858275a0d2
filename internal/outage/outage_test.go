package outage

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2027, 2, 1, 8, 0, 0, 0, time.UTC)
	w, err := Parse([]string{"+5m/10m", "2027-02-02T08:00:00+07:00/2h"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !w[0].Start.Equal(now.Add(5*time.Minute)) || !w[0].End.Equal(now.Add(15*time.Minute)) {
		t.Errorf("relative window = %+v", w[0])
	}
	if w[1].End.Sub(w[1].Start) != 2*time.Hour || !w[1].Contains(time.Date(2027, 2, 2, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("absolute window = %+v", w[1])
	}
	for _, bad := range []string{"10m", "+5m/-1m", "soon/10m", "+x/10m"} {
		if _, err := Parse([]string{bad}, now); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
