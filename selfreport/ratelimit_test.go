package selfreport_test

import (
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/selfreport"
)

// TestLimiterRefusesTheHundredth allows 99 requests a minute per address: the 100th is refused,
// another address is not, and the next minute starts afresh.
func TestLimiterRefusesTheHundredth(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	l := selfreport.NewLimiter(99, time.Minute)
	l.Now = func() time.Time { return now }
	for i := 1; i <= 99; i++ {
		if ok, _ := l.Allow("10.0.0.1"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	if ok, retry := l.Allow("10.0.0.1"); ok || retry <= 0 || retry > time.Minute {
		t.Fatalf("100th request: allowed %v, retry %s; want refused within a minute", ok, retry)
	}
	if ok, _ := l.Allow("10.0.0.2"); !ok {
		t.Fatal("another address was refused")
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Allow("10.0.0.1"); !ok {
		t.Fatal("refused in the next minute")
	}
}
