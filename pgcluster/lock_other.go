//go:build !unix

package pgcluster

// ownerLock has no flock to stand on here: every process owns the cluster it starts.
type ownerLock struct{}

func tryLock(string) (*ownerLock, int, error) { return &ownerLock{}, 0, nil }

func (l *ownerLock) release() {}
