package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Accounts through the API: a coordinator creates, lists, resets and disables them; every other
// role is refused with the policy's 403 (auth/policy.go, manage-accounts), reads included; the
// answers never carry a password hash and the link carries no personal data.
func TestAccountsAPI(t *testing.T) {
	s := newScopedServer(t)
	create := map[string]any{"username": "Siti.SBY", "email": "siti@blk.example", "role": "centre-admin", "scopes": []string{"BLK-SBY"}}
	for _, who := range []string{"ani", "budi", "vera"} {
		for _, req := range []struct{ method, path string }{{"GET", "/api/v1/accounts"}, {"POST", "/api/v1/accounts"}, {"POST", "/api/v1/accounts/1/disable"}, {"POST", "/api/v1/accounts/1/reset"}} {
			var body any
			if req.path == "/api/v1/accounts" && req.method == "POST" {
				body = create
			}
			code, data := s.do(who, req.method, req.path, body)
			if code != http.StatusForbidden || !strings.Contains(string(data), "may not manage-accounts; allowed: coordinator") {
				t.Errorf("%s %s %s: HTTP %d %s, want 403 naming the policy", who, req.method, req.path, code, data)
			}
		}
	}

	code, data := s.do("cora", "POST", "/api/v1/accounts", create)
	if code != http.StatusCreated {
		t.Fatalf("create: HTTP %d %s", code, data)
	}
	var made api.AccountResponse
	mustJSON(t, data, &made)
	if made.Account.Username != "siti.sby" || made.Account.HasPassword || made.Account.CreatedBy != "cora" || made.Link == nil {
		t.Fatalf("created %+v", made)
	}
	if !strings.HasPrefix(made.Link.Path, "/password/") || strings.Contains(made.Link.Path, "siti") || len(made.Link.Path) < 50 {
		t.Fatalf("link path %q: want /password/<random token> with no personal data", made.Link.Path)
	}
	if strings.Contains(string(data), "argon2") || strings.Contains(string(data), "password_hash") {
		t.Fatalf("the answer carries a hash: %s", data)
	}
	if code, data := s.do("cora", "POST", "/api/v1/accounts", create); code != http.StatusConflict {
		t.Fatalf("same username again: HTTP %d %s", code, data)
	}
	for _, bad := range []map[string]any{
		{"username": "x y", "role": "viewer"},
		{"username": "lsp", "role": "lsp-manager"},
		{"username": "root", "role": "superuser"},
		{"username": "op", "role": "operator", "scopes": []string{"BLK-SBY"}},
		{"username": "typo", "role": "centre-admin", "scopes": []string{"BLK-SBYY"}},
	} {
		if code, data := s.do("cora", "POST", "/api/v1/accounts", bad); code != http.StatusUnprocessableEntity {
			t.Errorf("create %v: HTTP %d %s, want 422", bad, code, data)
		}
	}

	var list []store.Account
	s.get("cora", "/api/v1/accounts", &list)
	if len(list) != 1 || list[0].ID != made.Account.ID || list[0].Scopes[0] != "BLK-SBY" {
		t.Fatalf("list %+v", list)
	}

	id := itoa(made.Account.ID)
	code, data = s.do("cora", "POST", "/api/v1/accounts/"+id+"/reset", nil)
	var reset api.AccountResponse
	mustJSON(t, data, &reset)
	if code != http.StatusOK || reset.Link == nil || reset.Link.Path == made.Link.Path {
		t.Fatalf("reset: HTTP %d %s", code, data)
	}
	code, data = s.do("cora", "POST", "/api/v1/accounts/"+id+"/disable", nil)
	var disabled api.AccountResponse
	mustJSON(t, data, &disabled)
	if code != http.StatusOK || disabled.Account.DisabledAt == nil || disabled.Link != nil {
		t.Fatalf("disable: HTTP %d %s", code, data)
	}
	if code, data := s.do("cora", "POST", "/api/v1/accounts/"+id+"/reset", nil); code != http.StatusConflict {
		t.Fatalf("reset of a disabled account: HTTP %d %s", code, data)
	}
	if code, _ := s.do("cora", "POST", "/api/v1/accounts/999/disable", nil); code != http.StatusNotFound {
		t.Fatalf("disable an unknown account: HTTP %d", code)
	}
	if code, _ := s.do("cora", "POST", "/api/v1/accounts/siti.sby/disable", nil); code != http.StatusBadRequest {
		t.Fatalf("an account by name in the path: HTTP %d, want 400", code)
	}
}

func mustJSON(t *testing.T, data []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
