package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// kompeten user create|list|reset|disable against the real API on PostgreSQL: create and reset
// print the one-time link on the server's pages (stdout, alone), list shows the account's
// state, disable and reset find the account by name, and a viewer's token ends with exit code
// 5 and the policy's reason.
func TestUserCommandsThroughTheAPI(t *testing.T) {
	t.Chdir(t.TempDir())
	_, st := testdb.NewMigrated(t)
	srv := httptest.NewServer((&api.Server{Store: st, Tokens: api.StoreTokens(st)}).Handler())
	t.Cleanup(srv.Close)
	tokens := map[vocab.Role]string{}
	for _, role := range []vocab.Role{vocab.RoleCoordinator, vocab.RoleViewer} {
		token, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateToken(context.Background(), string(role), role, nil, hash); err != nil {
			t.Fatal(err)
		}
		tokens[role] = token
	}
	t.Setenv("KOMPETEN_SERVER", srv.URL)
	t.Setenv("KOMPETEN_TOKEN", tokens[vocab.RoleCoordinator])
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		root := newRoot()
		var stdout, stderr bytes.Buffer
		root.SetOut(&stdout)
		root.SetErr(&stderr)
		root.SetArgs(args)
		if cmd, err := root.ExecuteC(); err != nil {
			return exitCode(&stderr, cmd, err), stdout.String(), stderr.String()
		}
		return 0, stdout.String(), stderr.String()
	}
	link := regexp.MustCompile(`^` + regexp.QuoteMeta(srv.URL) + `/password/[A-Za-z0-9_-]{43}\n$`)

	code, out, errOut := cli("user", "create", "Siti.SBY", "--role", "centre-admin", "--scope", "BLK-SBY", "--email", "siti@blk.example")
	if code != 0 || !link.MatchString(out) || !strings.Contains(errOut, "account siti.sby created (centre-admin BLK-SBY)") {
		t.Fatalf("create: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	first := out
	if code, _, errOut := cli("user", "create", "siti.sby", "--role", "viewer"); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("create again: exit %d %q", code, errOut)
	}
	code, out, _ = cli("user", "list")
	if code != 0 || !regexp.MustCompile(`siti\.sby\s+siti@blk\.example\s+centre-admin\s+BLK-SBY\s+waiting for its link`).MatchString(out) {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	code, out, _ = cli("user", "reset", "SITI@blk.example")
	if code != 0 || !link.MatchString(out) || out == first {
		t.Fatalf("reset by email: exit %d %q", code, out)
	}
	if code, out, _ := cli("user", "disable", "siti.sby"); code != 0 || !strings.Contains(out, "account siti.sby disabled") {
		t.Fatalf("disable: exit %d %q", code, out)
	}
	if code, out, _ := cli("user", "list", "-o", "json"); code != 0 || !strings.Contains(out, `"disabled_at"`) || strings.Contains(out, "password_hash") {
		t.Fatalf("list -o json: exit %d %s", code, out)
	}
	if code, _, errOut := cli("user", "disable", "nobody"); code != exitFailure || !strings.Contains(errOut, `no account named "nobody"`) {
		t.Fatalf("disable an unknown name: exit %d %q", code, errOut)
	}
	t.Setenv("KOMPETEN_TOKEN", tokens[vocab.RoleViewer])
	// The refusal is printed as the server worded it in the command line's language.
	if code, _, errOut := cli("user", "list"); code != exitForbidden || !strings.Contains(errOut, "tidak boleh melakukan tindakan ini (manage-accounts)") {
		t.Fatalf("a viewer's list: exit %d %q", code, errOut)
	}
	if code, _, errOut := cli("user", "list", "--lang", "en"); code != exitForbidden || !strings.Contains(errOut, "may not do this (manage-accounts)") {
		t.Fatalf("a viewer's list in English: exit %d %q", code, errOut)
	}
}
