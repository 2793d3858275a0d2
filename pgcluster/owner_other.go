//go:build !unix

package pgcluster

import "syscall"

// owner is unused off Unix: there is no root to step down from.
type owner struct{}

func prepareOwner(string) (*owner, error)          { return nil, nil }
func (o *owner) sysProcAttr() *syscall.SysProcAttr { return nil }
func (o *owner) chown(string) error                { return nil }

// isPostmasterOf cannot inspect processes here; let pg_ctl decide.
func isPostmasterOf(int, string) bool { return true }
