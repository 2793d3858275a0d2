package api

import (
	"net/http"
	"strconv"
	"strings"
)

// validCaseID says whether s has the shape of a case ID: 10 characters of lowercase base32
// (workflows.CaseIDFor). Anything else is refused before it reaches the store or Temporal.
func validCaseID(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// checkCaseIDs answers 400 for a /api/v1/cases/{id}... path whose ID is not a case ID, for
// every route under it (reads, human steps, retries), in one place.
func checkCaseIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/cases/"); ok {
			id, _, _ := strings.Cut(rest, "/")
			if id != "lookup" && id != "search" && !validCaseID(id) {
				writeError(w, r, http.StatusBadRequest, say("api.bad-case-id", "id", strconv.Quote(id)), "%q is not a case ID (10 characters, a-z and 2-7)", id)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
