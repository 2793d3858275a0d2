package web

import (
	"net/http"

	"github.com/bpvp-sidoarjo/kompeten/auth"
)

// Identity is the person logged in on a request (its session cookie), for a handler outside the
// pages that takes the same login: the codec endpoint the Temporal Web UI calls with the
// browser's cookies.
func (s *Sessions) Identity(r *http.Request) (auth.Identity, bool) { return s.identity(r) }
