package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// PasswordLinkTTL is how long a one-time set-password link works.
const PasswordLinkTTL = 72 * time.Hour

// PasswordLinkPath is the path of a one-time set-password link on the pages; the link carries
// only its random token.
func PasswordLinkPath(token string) string { return "/password/" + token }

// AccountRequest creates an account: who logs in, with which role and scope (as a token's).
type AccountRequest struct {
	Username string     `json:"username"`
	Email    string     `json:"email,omitempty"`
	Role     vocab.Role `json:"role"`
	Scopes   []string   `json:"scopes,omitempty"`
}

// PasswordLink is a one-time link to set an account's password: a path on the pages (put the
// server's address in front) that works once, until ExpiresAt. It is a secret: hand it to the
// person only.
type PasswordLink struct {
	Path      string    `json:"path"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AccountResponse is an account, with a fresh one-time link after a create or a reset.
type AccountResponse struct {
	Account store.Account `json:"account"`
	Link    *PasswordLink `json:"link,omitempty"`
}

func (s *Server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts", s.listAccounts)
	mux.HandleFunc("POST /api/v1/accounts", s.createAccount)
	mux.HandleFunc("POST /api/v1/accounts/{id}/disable", s.disableAccount)
	mux.HandleFunc("POST /api/v1/accounts/{id}/reset", s.resetAccount)
}

// listAccounts lists every account (coordinators only: the list names everyone who logs in).
func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	if id, ok := IdentityFrom(r.Context()); ok && !id.May(auth.ActionManageAccounts) {
		refuseRole(w, r, id.Role, auth.ActionManageAccounts)
		return
	}
	as, err := s.Store.ListAccounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, as)
}

// createAccount creates an account without a password and answers its one-time link.
func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	var req AccountRequest
	if !decode(w, r, &req) {
		return
	}
	req.Username = strings.ToLower(strings.TrimSpace(req.Username))
	req.Email = strings.TrimSpace(req.Email)
	if req.Username == "" {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.username-required"), "an account needs a username")
		return
	}
	if err := auth.CheckRoleScopes(req.Role, req.Scopes); err != nil {
		writeError(w, r, http.StatusUnprocessableEntity, say("api.account-invalid", "username", req.Username, "detail", err.Error()), "account %s: %v", req.Username, err)
		return
	}
	if err := s.Store.CheckScopeCodes(r.Context(), req.Role, req.Scopes); err != nil {
		s.fail(w, r, err)
		return
	}
	by := "api"
	if id, ok := IdentityFrom(r.Context()); ok {
		by = id.Name
	}
	a, err := s.Store.CreateAccount(r.Context(), store.Account{Username: req.Username, Email: req.Email, Role: req.Role, Scopes: req.Scopes, CreatedBy: by})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	link, err := s.issueLink(r, a.ID, false)
	if err != nil {
		s.fail(w, r, fmt.Errorf("account %s was created, but its link was not (reset it): %w", a.Username, err))
		return
	}
	s.logger().Info("account created", "account_id", a.ID, "role", a.Role)
	writeJSON(w, http.StatusCreated, AccountResponse{Account: a, Link: &link})
}

// disableAccount disables an account: its sessions end at once and it cannot log in.
func (s *Server) disableAccount(w http.ResponseWriter, r *http.Request) {
	id, ok := accountID(w, r)
	if !ok {
		return
	}
	a, err := s.Store.DisableAccount(r.Context(), id, time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.logger().Info("account disabled", "account_id", a.ID)
	writeJSON(w, http.StatusOK, AccountResponse{Account: a})
}

// resetAccount clears an account's password, ends its sessions and answers a new one-time link.
func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request) {
	id, ok := accountID(w, r)
	if !ok {
		return
	}
	link, err := s.issueLink(r, id, true)
	if errors.Is(err, store.ErrInvalid) {
		writeError(w, r, http.StatusConflict, say("api.account-disabled", "detail", err.Error()), "%v; a disabled account is not reset", err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Store.AccountByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.logger().Info("account reset", "account_id", a.ID)
	writeJSON(w, http.StatusOK, AccountResponse{Account: a, Link: &link})
}

func (s *Server) issueLink(r *http.Request, id int64, reset bool) (PasswordLink, error) {
	token, hash, err := auth.NewLinkToken()
	if err != nil {
		return PasswordLink{}, err
	}
	now := time.Now()
	if err := s.Store.IssuePasswordLink(r.Context(), id, hash, now, now.Add(PasswordLinkTTL), reset); err != nil {
		return PasswordLink{}, err
	}
	return PasswordLink{Path: PasswordLinkPath(token), ExpiresAt: now.Add(PasswordLinkTTL).UTC().Truncate(time.Second)}, nil
}

// accountID reads the {id} of an account path: accounts are addressed by number, so no name
// (personal data) is in a URL.
func accountID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, say("api.bad-account-id", "id", strconv.Quote(r.PathValue("id"))), "%q is not an account number (kompeten user list shows them)", r.PathValue("id"))
		return 0, false
	}
	return id, true
}
