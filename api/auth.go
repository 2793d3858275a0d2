package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
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
		// The pages call in-process with the logged-in identity already in the context: it is
		// authorized below exactly like a token's, so a page can do nothing the API refuses.
		id, ok := IdentityFrom(r.Context())
		if !ok {
			var answered bool
			if id, answered = s.tokenIdentity(w, r); answered {
				return
			}
		}
		if a, write := actionOf(r); write && !mayRequest(id, a) {
			writeJSON(w, http.StatusForbidden, ErrorBody{Error: refusal(id, a, r), Message: refusalWords(id, a, r)})
			return
		}
		if id.Role == vocab.RoleCentreAdmin && r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/packages") {
			centre, err := s.packageCentre(w, r)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !id.MayActOn(centre, "") {
				writeError(w, r, http.StatusForbidden, say("api.scope-centre", "role", string(id.Role), "name", id.Name, "scope", scopeCodes(id), "centre", centre),
					"centre-admin %s is scoped to %s; the package is at centre %q", id.Name, strings.Join(id.Scopes, ","), centre)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
	})
}

// tokenIdentity authenticates the request's bearer token; answered is true when it has already
// answered the request (no token, an unknown or revoked one, or a failing store).
func (s *Server) tokenIdentity(w http.ResponseWriter, r *http.Request) (auth.Identity, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten"`)
		writeError(w, r, http.StatusUnauthorized, say("api.token-missing"), "send an API token: Authorization: Bearer <token> (kompeten token create)")
		return auth.Identity{}, true
	}
	id, err := s.Tokens(r.Context(), auth.HashToken(raw))
	if errors.Is(err, store.ErrNotFound) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten", error="invalid_token"`)
		writeError(w, r, http.StatusUnauthorized, say("api.token-unknown"), "unknown or revoked API token")
		return id, true
	}
	if err != nil {
		s.fail(w, r, err)
		return id, true
	}
	return id, false
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

// actionOf is the action a request asks for (auth's policy table decides who may take it) and
// whether it writes at all. Reads and the NIK lookup (a read) are no action: every role reads,
// narrowed by scope in the handlers. A case's human steps pass here and are decided per update
// and case by authorize; a write that maps to no action is refused to everyone ("" action),
// so a new endpoint is closed until it is given a row in auth's table.
func actionOf(r *http.Request) (auth.Action, bool) {
	p := r.URL.Path
	if r.Method == http.MethodGet || r.Method == http.MethodHead || p == "/api/v1/cases/lookup" || p == "/api/v1/cases/search" {
		return "", false
	}
	switch {
	case p == "/api/v1/packages" || p == "/api/v1/packages/preview":
		return auth.ActionCreatePackage, true
	case r.Method == http.MethodPatch && strings.HasPrefix(p, "/api/v1/packages/") && strings.Count(p, "/") == 4:
		return auth.ActionUpdatePackage, true
	case strings.HasPrefix(p, "/api/v1/packages/") && (strings.HasSuffix(p, "/enrolments") || strings.HasSuffix(p, "/enrolled")):
		// Who is enrolled is asked only by who may enrol there (a cohort preview), NIKs in hand.
		return auth.ActionEnrol, true
	case strings.HasPrefix(p, "/api/v1/packages/") && strings.Contains(p, "/attendance/"):
		return auth.ActionRecordRegister, true
	case p == "/api/v1/mous":
		return auth.ActionCreateAgreement, true
	case strings.HasPrefix(p, "/api/v1/mous/") && strings.HasSuffix(p, "/terminate"):
		return auth.ActionTerminateAgreement, true
	case strings.HasPrefix(p, "/api/v1/mous/"):
		return auth.ActionChangeAgreement, true
	case p == "/api/v1/insurance/batch/import":
		return auth.ActionImportBatch, true
	case p == "/api/v1/doctor":
		return auth.ActionDoctor, true
	case p == "/api/v1/accounts" || strings.HasPrefix(p, "/api/v1/accounts/"):
		return auth.ActionManageAccounts, true
	case p == "/api/v1/decisions":
		return auth.ActionDecideMany, true
	case strings.HasPrefix(p, "/api/v1/cases/") && strings.HasSuffix(p, "/retry"):
		return auth.ActionRetry, true
	case strings.HasPrefix(p, "/api/v1/cases/") && strings.HasSuffix(p, "/escalate"):
		return auth.ActionEscalate, true
	case strings.HasPrefix(p, "/api/v1/cases/") && strings.HasSuffix(p, "/certificate/revoke"):
		return auth.ActionRevokeCertificate, true
	case strings.HasPrefix(p, "/api/v1/cases/"):
		if _, step := actions[p[strings.LastIndex(p, "/")+1:]]; step {
			return caseStep, true
		}
	}
	return "", true
}

// caseStep stands for a case's human step in actionOf: every role but the viewer passes the
// request check, and authorize decides the update for the case.
const caseStep auth.Action = "case-step"

// mayRequest is the request check of a write: the policy's answer for its action; a case's
// human step is open to every role but the viewer here (authorize decides the update).
func mayRequest(id auth.Identity, a auth.Action) bool {
	if a == caseStep {
		return id.Role != vocab.RoleViewer
	}
	return a != "" && id.May(a)
}

// refusal words a 403 of the request check.
func refusal(id auth.Identity, a auth.Action, r *http.Request) string {
	if a == caseStep {
		p := r.URL.Path
		a = auth.Action(actions[p[strings.LastIndex(p, "/")+1:]].update)
	}
	if a == "" {
		return fmt.Sprintf("role %s may not %s %s", id.Role, r.Method, r.URL.Path)
	}
	return auth.Refusal(id.Role, a)
}

// authorize checks the caller's role for update and scope for the case (its centre and LSP
// from the read model) before anything is sent, and returns the actor to send: the
// authenticated identity, never one from the body. A wrong role is 403 with the reason; a case
// outside the caller's scope is 404 "case X not found", as for a read (readableCase), so that
// a step cannot be used to learn that a case the caller may not see exists, nor its centre.
// Without authentication configured (unit tests of handlers) the body's actor stands and only
// the journey checks it.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, caseID, update string, bodyActor workflows.Actor) (workflows.Actor, store.Case, bool) {
	id, ok := IdentityFrom(r.Context())
	if !ok {
		if s.Tokens != nil {
			writeError(w, r, http.StatusUnauthorized, say("api.token-missing"), "send an API token: Authorization: Bearer <token>")
			return workflows.Actor{}, store.Case{}, false
		}
		return bodyActor, store.Case{}, true
	}
	if !id.May(auth.Action(update)) {
		refuseRole(w, r, id.Role, auth.Action(update))
		return workflows.Actor{}, store.Case{}, false
	}
	c, ok := s.readableCase(w, r, caseID)
	if !ok {
		return workflows.Actor{}, store.Case{}, false
	}
	return workflows.Actor{ID: id.Name, Role: id.Role}, c, true
}

// sendUpdate sends a step to the case authorize read, without reading it again; where nothing
// was read (the API run without authentication, as in handler tests), to the case by its ID.
func (s *Server) sendUpdate(r *http.Request, c store.Case, caseID, update string, body any) (workflows.UpdateResult, error) {
	if c.CaseID == "" {
		return s.Svc.Update(r.Context(), caseID, update, body)
	}
	return s.Svc.UpdateRead(r.Context(), c, update, body)
}

// identityActor is the authenticated identity as an actor, or a when the API runs without
// authentication (handler tests): an actor in a body never overrides a token.
func identityActor(r *http.Request, a workflows.Actor) workflows.Actor {
	if id, ok := IdentityFrom(r.Context()); ok {
		return workflows.Actor{ID: id.Name, Role: id.Role}
	}
	return a
}

// packageCentre is the centre a package write is about: the body's for a new package (or its
// preview), the stored package's for its enrolments. The body is read once and put back for
// the handler.
func (s *Server) packageCentre(w http.ResponseWriter, r *http.Request) (string, error) {
	if r.URL.Path == "/api/v1/packages" || r.URL.Path == "/api/v1/packages/preview" {
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

// refusalWords is refusal in the request's language (Accept-Language), for the pages.
func refusalWords(id auth.Identity, a auth.Action, r *http.Request) string {
	if a == caseStep {
		p := r.URL.Path
		a = auth.Action(actions[p[strings.LastIndex(p, "/")+1:]].update)
	}
	what := string(a)
	if a == "" {
		what = r.Method + " " + r.URL.Path
	}
	rd := i18n.For(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")), nil)
	var allowed []string
	for _, role := range auth.RolesFor(a) {
		allowed = append(allowed, rd.Label("role", string(role)))
	}
	return rd.Tf("api.role-may-not", "role", string(id.Role), "action", what, "allowed", strings.Join(allowed, ", "))
}
