package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// accountsData is the coordinator's accounts page: every account, the create form and, right
// after a create or a reset, the one-time link to hand to the person.
type accountsData struct {
	Accounts []store.Account
	Roles    []vocab.Role
	// Link is the fresh one-time link (shown once, on the answer to the form post only).
	Link        string
	LinkFor     string
	LinkExpires time.Time
}

// accountForms are the accounts page's form posts (guarded like every other form).
func (s *Server) accountForms() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /accounts":              s.createAccountForm,
		"POST /accounts/{id}/disable": s.disableAccountForm,
		"POST /accounts/{id}/reset":   s.resetAccountForm,
	}
}

// accountsPage lists the accounts for a coordinator; any other role gets the API's 403.
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccounts(w, r, accountsData{}, http.StatusOK)
}

func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, d accountsData, status int) {
	as, err := s.api.ListAccounts(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	d.Accounts, d.Roles = as, auth.TokenRoles
	s.render(w, r, "accounts", page{Title: both("Akun", "Accounts"), Nav: "accounts", Data: d, Status: status})
}

// createAccountForm creates an account through the API and shows its one-time link once.
func (s *Server) createAccountForm(w http.ResponseWriter, r *http.Request) {
	var scopes []string
	for _, c := range strings.FieldsFunc(r.FormValue("scopes"), func(r rune) bool { return r == ',' || r == ' ' }) {
		scopes = append(scopes, strings.ToUpper(c))
	}
	res, err := s.api.CreateAccount(r.Context(), api.AccountRequest{Username: r.FormValue("username"), Email: r.FormValue("email"),
		Role: vocab.Role(r.FormValue("role")), Scopes: scopes})
	if err != nil {
		s.answer(w, r, "", err)
		return
	}
	s.showLink(w, r, res)
}

func (s *Server) disableAccountForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "not an account number", http.StatusBadRequest)
		return
	}
	res, err := s.api.DisableAccount(r.Context(), id)
	s.answer(w, r, both("Akun "+res.Account.Username+" dinonaktifkan; sesinya berakhir", "Account "+res.Account.Username+" disabled; its sessions ended"), err)
}

func (s *Server) resetAccountForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "not an account number", http.StatusBadRequest)
		return
	}
	res, err := s.api.ResetAccount(r.Context(), id)
	if err != nil {
		s.answer(w, r, "", err)
		return
	}
	s.showLink(w, r, res)
}

// showLink answers a create or reset with the page and the link on it (not in a flash cookie
// or a redirect URL: the link is a secret and is shown once).
func (s *Server) showLink(w http.ResponseWriter, r *http.Request, res api.AccountResponse) {
	d := accountsData{LinkFor: res.Account.Username}
	if res.Link != nil {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		d.Link, d.LinkExpires = scheme+"://"+r.Host+res.Link.Path, res.Link.ExpiresAt
	}
	s.renderAccounts(w, r, d, http.StatusOK)
}
