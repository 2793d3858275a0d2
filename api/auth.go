package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

type identityKey struct{}

// WithIdentity returns ctx carrying id. The pages use it: their session middleware has already
// authenticated the person, and they call the API in-process with the request's context. A
// request from the network cannot put a value in a context, so only kompeten's code can.
func WithIdentity(ctx context.Context, id auth.Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the authenticated identity of a request, if any.
func IdentityFrom(ctx context.Context) (auth.Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(auth.Identity)
	return id, ok
}

// StoreTokens looks tokens up in the store's api_tokens table.
func StoreTokens(st *store.Store) auth.TokenLookup {
	return func(ctx context.Context, hash []byte) (auth.Identity, error) {
		t, err := st.TokenByHash(ctx, hash)
		if err != nil {
			return auth.Identity{}, err
		}
		return auth.Identity{Name: t.Name, Role: t.Role, Scopes: t.Scopes}, nil
	}
}

// authenticate requires `Authorization: Bearer <token>` on every API request (the health check
// and the mounted simulators excepted) and puts the token's identity in the context.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Tokens == nil || s.public(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if _, ok := IdentityFrom(r.Context()); ok {
			next.ServeHTTP(w, r)
			return
		}
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten"`)
			writeError(w, http.StatusUnauthorized, "send an API token: Authorization: Bearer <token> (kompeten token create)")
			return
		}
		id, err := s.Tokens(r.Context(), auth.HashToken(raw))
		if errors.Is(err, store.ErrNotFound) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unknown or revoked API token")
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !s.mayCall(id, r) {
			writeError(w, http.StatusForbidden, "role %s may not %s %s", id.Role, r.Method, r.URL.Path)
			return
		}
		if id.Role == vocab.RoleCentreAdmin && r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/packages") {
			centre, err := s.packageCentre(w, r)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !id.MayActOn(centre, "") {
				writeError(w, http.StatusForbidden, "centre-admin %s is scoped to %s; the package is at centre %q", id.Name, strings.Join(id.Scopes, ","), centre)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
	})
}

// public are the paths that need no token: the health check and the dev simulators.
func (s *Server) public(path string) bool {
	if path == "/healthz" {
		return true
	}
	for prefix := range s.Extra {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// mayCall is the coarse rule per request: every role reads; a viewer writes nothing; case
// actions are checked in detail (role and scope) by the action handler; other writes
// (packages, enrolments, agreements, retries, escalations, batch files) are the coordinator's,
// the operator's and, for packages and enrolments, a centre admin's; a NIK lookup and a search are reads.
func (s *Server) mayCall(id auth.Identity, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.URL.Path == "/api/v1/cases/lookup" || r.URL.Path == "/api/v1/cases/search" {
		return true
	}
	if id.Role == vocab.RoleViewer {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/cases/") && !strings.HasSuffix(r.URL.Path, "/retry") && !strings.HasSuffix(r.URL.Path, "/escalate") {
		return true // human steps: checked per update and case by authorize
	}
	if r.URL.Path == "/api/v1/insurance/batch/import" {
		return slices.Contains([]vocab.Role{vocab.RoleInsurerLiaison, vocab.RoleOperator}, id.Role)
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/packages") && id.Role == vocab.RoleCentreAdmin {
		return true
	}
	return id.Role == vocab.RoleCoordinator || id.Role == vocab.RoleOperator
}

// updateRoles are the token roles that may send each human step; the journey's validators
// check the same again.
var updateRoles = map[string][]vocab.Role{
	workflows.UpdateDecideEnrolment:     {vocab.RoleCentreAdmin, vocab.RoleCoordinator},
	workflows.UpdateCorrectParticipant:  {vocab.RoleCentreAdmin, vocab.RoleCoordinator, vocab.RoleOperator, vocab.RoleInsurerLiaison},
	workflows.UpdateRecordAttendance:    {vocab.RoleCentreAdmin, vocab.RoleCoordinator},
	workflows.UpdateWithdraw:            {vocab.RoleCentreAdmin, vocab.RoleCoordinator, vocab.RoleOperator},
	workflows.UpdateRecordAssessment:    {vocab.RoleLSPManager},
	workflows.UpdateDecideCertification: {vocab.RoleLSPManager},
	workflows.UpdateReportPlacement:     {vocab.RoleCentreAdmin, vocab.RoleCoordinator},
	workflows.UpdateRetryRefused:        {vocab.RoleLSPManager, vocab.RoleCoordinator},
	workflows.UpdateOrderReassessment:   {vocab.RoleLSPManager},
	workflows.UpdateCloseUncertified:    {vocab.RoleCoordinator},
	// The journey admits the insurer liaison for a KPJ and the LSP manager for a certificate.
	workflows.UpdateResolveNumberConflict: {vocab.RoleInsurerLiaison, vocab.RoleLSPManager, vocab.RoleOperator, vocab.RoleCoordinator},
}

// authorize checks the caller's role for update and scope for the case (its centre and LSP
// from the read model) before anything is sent, and returns the actor to send: the
// authenticated identity, never one from the body. A wrong role is 403 with the reason; a case
// outside the caller's scope is 404 "case X not found", as for a read (readableCase), so that
// a step cannot be used to learn that a case the caller may not see exists, nor its centre.
// Without authentication configured (unit tests of handlers) the body's actor stands and only
// the journey checks it.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, caseID, update string, bodyActor workflows.Actor) (workflows.Actor, bool) {
	id, ok := IdentityFrom(r.Context())
	if !ok {
		if s.Tokens != nil {
			writeError(w, http.StatusUnauthorized, "send an API token: Authorization: Bearer <token>")
			return workflows.Actor{}, false
		}
		return bodyActor, true
	}
	if roles, known := updateRoles[update]; known && !slices.Contains(roles, id.Role) {
		writeError(w, http.StatusForbidden, "role %s may not %s; allowed: %s", id.Role, update, strings.Join(vocab.Strings(roles), ", "))
		return workflows.Actor{}, false
	}
	if _, ok := s.readableCase(w, r, caseID); !ok {
		return workflows.Actor{}, false
	}
	return workflows.Actor{ID: id.Name, Role: id.Role}, true
}

// identityActor is the authenticated identity as an actor, or a when the API runs without
// authentication (handler tests): an actor in a body never overrides a token.
func identityActor(r *http.Request, a workflows.Actor) workflows.Actor {
	if id, ok := IdentityFrom(r.Context()); ok {
		return workflows.Actor{ID: id.Name, Role: id.Role}
	}
	return a
}

// packageCentre is the centre a package write is about: the body's for a new package, the
// stored package's for its enrolments. The body is read once and put back for the handler.
func (s *Server) packageCentre(w http.ResponseWriter, r *http.Request) (string, error) {
	if r.URL.Path == "/api/v1/packages" {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			return "", fmt.Errorf("%w: request body: %v", store.ErrInvalid, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var p struct {
			Centre string `json:"centre"`
		}
		_ = json.Unmarshal(body, &p) // a malformed body is the handler's to refuse; no centre is out of scope
		return p.Centre, nil
	}
	code, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/api/v1/packages/"), "/")
	p, err := s.Store.GetPackage(r.Context(), code)
	if err != nil {
		return "", err
	}
	return p.CentreCode, nil
}
