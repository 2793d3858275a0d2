package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Reads are scoped like writes, because cases carry trainees' personal data: a centre admin
// reads the cases of its centres, an LSP manager those of its LSPs, every other role the whole
// network. The rule is auth.Identity.MayActOn, so reading and acting always agree, including
// for a scoped token without codes (it reads nothing). Without an identity in the request (no
// authentication configured: handler tests) nothing is narrowed.

// readScope is the store scope of the caller's reads: zero (everything) for an unscoped role
// or an unauthenticated request. The slices are never nil for a scoped role, so a token
// without codes reads nothing instead of everything (see store.Scope).
func readScope(ctx context.Context) store.Scope {
	id, ok := IdentityFrom(ctx)
	if !ok {
		return store.Scope{}
	}
	switch id.Role {
	case vocab.RoleCentreAdmin:
		return store.Scope{CentreCodes: append([]string{}, id.Scopes...)}
	case vocab.RoleLSPManager:
		return store.Scope{LSPCodes: append([]string{}, id.Scopes...)}
	}
	return store.Scope{}
}

// mayRead says whether the caller may read case c.
func mayRead(ctx context.Context, c store.Case) bool {
	id, ok := IdentityFrom(ctx)
	return !ok || id.MayActOn(c.CentreCode, c.LSPCode)
}

// scopedFilter returns the caller's read scope after checking a list's ?centre= and ?lsp=
// against it. Naming a centre (LSP) outside a centre admin's (LSP manager's) scope is refused
// with 403 naming the scope, as the writes are: the filter is the caller's own mistake and the
// codes are public registry data, so saying so leaks nothing. A filter on the other column (an
// LSP for a centre admin) only narrows the scope further and needs no check.
func scopedFilter(w http.ResponseWriter, r *http.Request, centre, lsp string) (store.Scope, bool) {
	sc := readScope(r.Context())
	id, _ := IdentityFrom(r.Context())
	if sc.CentreCodes != nil && centre != "" && !slices.Contains(sc.CentreCodes, centre) {
		writeError(w, r, http.StatusForbidden, say("api.scope-centre", "role", string(id.Role), "name", id.Name, "scope", scopeCodes(id), "centre", centre),
			"%s %s is scoped to %s; centre %s is outside it", id.Role, id.Name, scopeText(id), centre)
		return sc, false
	}
	if sc.LSPCodes != nil && lsp != "" && !slices.Contains(sc.LSPCodes, lsp) {
		writeError(w, r, http.StatusForbidden, say("api.scope-lsp", "role", string(id.Role), "name", id.Name, "scope", scopeCodes(id), "lsp", lsp),
			"%s %s is scoped to %s; LSP %s is outside it", id.Role, id.Name, scopeText(id), lsp)
		return sc, false
	}
	return sc, true
}

// scopeText renders an identity's scope for a refusal.
func scopeText(id auth.Identity) string {
	if len(id.Scopes) == 0 {
		return "nothing (the token has no codes)"
	}
	return strings.Join(id.Scopes, ",")
}

// scopeCodes is the codes of a scoped identity for its refusal's words: "-" for none, which the
// catalogue's sentence reads as "nothing".
func scopeCodes(id auth.Identity) string {
	if len(id.Scopes) == 0 {
		return "-"
	}
	return strings.Join(id.Scopes, ", ")
}

// readableCase fetches a case the caller may read, or answers and returns false. A case
// outside the caller's scope is answered exactly like a missing one, 404 "case X not found",
// not 403: a 403 would confirm that the ID exists (and, worded like the write refusals, name
// its centre and LSP) to someone who may not see it. authorize answers scope refusals of
// steps the same way, so probing with a write tells no more than probing with a read.
func (s *Server) readableCase(w http.ResponseWriter, r *http.Request, caseID string) (store.Case, bool) {
	c, err := s.Store.GetCase(r.Context(), caseID)
	if err == nil && !mayRead(r.Context(), c) {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, say("api.case-not-found", "case", caseID), "case %s not found", caseID)
		return store.Case{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return store.Case{}, false
	}
	return c, true
}
