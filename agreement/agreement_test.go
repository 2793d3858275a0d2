package agreement

import "testing"

// The live statuses are the ones before an end; the ends, and anything unknown, are not live
// (the store's LiveOnly filter lists the same four in SQL).
func TestLive(t *testing.T) {
	for status, want := range map[string]bool{
		Draft: true, Signed: true, Active: true, Expiring: true,
		Expired: false, Renewed: false, Terminated: false, "": false, "bogus": false,
	} {
		if got := Live(status); got != want {
			t.Errorf("Live(%q) = %v, want %v", status, got, want)
		}
	}
}
