package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A refusal keeps its English "error" (scripts read it) and adds "message" in the language the
// Accept-Language header prefers, Indonesian when it names none the catalogue speaks.
func TestRefusalWordsFollowAcceptLanguage(t *testing.T) {
	s := newScopedServer(t)
	s.svc.Temporal = unreachableTemporal{}
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateToken(context.Background(), "opi", vocab.RoleOperator, nil, hash); err != nil {
		t.Fatal(err)
	}
	ask := func(path, lang string) api.ErrorBody {
		t.Helper()
		req, _ := http.NewRequest("POST", s.url+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var e api.ErrorBody
		if err := json.Unmarshal(data, &e); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("POST %s: HTTP %d %s", path, resp.StatusCode, data)
		}
		return e
	}
	for lang, want := range map[string]string{
		"":                "Peran Operator piket tidak boleh melakukan tindakan ini (create-package); yang boleh: Admin BLK, Koordinator BPVP",
		"id-ID,id;q=0.9":  "Peran Operator piket tidak boleh melakukan tindakan ini (create-package); yang boleh: Admin BLK, Koordinator BPVP",
		"en-GB,en;q=0.8":  "Role Operator on call may not do this (create-package); allowed: Centre admin, BPVP coordinator",
		"fr-FR, en;q=0.5": "Role Operator on call may not do this (create-package); allowed: Centre admin, BPVP coordinator",
		"ja-JP":           "Peran Operator piket tidak boleh melakukan tindakan ini (create-package); yang boleh: Admin BLK, Koordinator BPVP",
	} {
		e := ask("/api/v1/packages", lang)
		if e.Message != want || !strings.Contains(e.Error, "role operator may not create-package") {
			t.Errorf("Accept-Language %q: error %q, message %q; want message %q", lang, e.Error, e.Message, want)
		}
	}
}
