package api

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// unfilled finds a catalogue parameter left in braces: a message whose call forgot a value.
var unfilled = regexp.MustCompile(`\{[a-z]+(\|[a-z]+)?\}`)

// Bad requests are worded for people in both languages: "message" is the catalogue's sentence
// in the language Accept-Language asks for (Indonesian by default), different in each, with
// every parameter filled and no formatting fault; "error" is the same English sentence in both.
func TestErrorMessagesFollowAcceptLanguage(t *testing.T) {
	cfg := config.Default()
	svc, err := starter.New(nil, nil, &cfg, []byte("test key"))
	if err != nil {
		t.Fatal(err)
	}
	// No store and no Temporal: every request below must be answered before either is needed.
	open := (&Server{Svc: svc}).Handler()
	locked := (&Server{Svc: svc, Tokens: func(context.Context, []byte) (auth.Identity, error) {
		return auth.Identity{}, store.ErrNotFound
	}}).Handler()
	big := `{"reason":"` + strings.Repeat("x", maxBody) + `"}`
	for _, c := range []struct {
		name, method, path, ctype, body, token string
		locked                                 bool
		status                                 int
		says                                   string // in the English message
	}{
		{name: "bad JSON", method: "POST", path: "/api/v1/cases/abcdefghij/enrolment", body: `{"approve":`, status: 400, says: "not valid JSON"},
		{name: "unknown field", method: "POST", path: "/api/v1/cases/abcdefghij/enrolment", body: `{"approve":true,"admin":true}`, status: 400, says: `"admin"`},
		{name: "wrong type", method: "POST", path: "/api/v1/cases/abcdefghij/attendance", body: `{"attended":"all"}`, status: 400, says: "attended"},
		{name: "two values", method: "POST", path: "/api/v1/cases/abcdefghij/withdrawal", body: `{"reason":"a"}{"reason":"b"}`, status: 400, says: "more than one"},
		{name: "bad date", method: "POST", path: "/api/v1/packages", body: `{"code":"P1","centre":"BLK-SBY","start":"next tuesday","end":"2027-01-31"}`, status: 422, says: "start"},
		{name: "bad case ID", method: "GET", path: "/api/v1/cases/abc", status: 400, says: `"abc"`},
		{name: "wrong content type", method: "POST", path: "/api/v1/cases/abcdefghij/placement", ctype: "text/plain", body: "category=formal", status: 415, says: "text/plain"},
		{name: "too large", method: "POST", path: "/api/v1/cases/abcdefghij/withdrawal", body: big, status: 413, says: strconv.Itoa(maxBody)},
		{name: "bad query parameter", method: "GET", path: "/api/v1/cases?stage=foo", status: 400, says: `"stage"`},
		{name: "query out of range", method: "GET", path: "/api/v1/cases?limit=0", status: 400, says: `"limit"`},
		{name: "NUL in a query", method: "GET", path: "/api/v1/cases?package=a%00b", status: 400, says: `"package"`},
		{name: "no token", method: "GET", path: "/api/v1/cases", locked: true, status: 401, says: "API token"},
		{name: "unknown token", method: "GET", path: "/api/v1/cases", token: "kpt_unknown", locked: true, status: 401, says: "unknown or revoked"},
	} {
		got := map[string]ErrorBody{}
		for _, lang := range []string{"", "id-ID,id;q=0.9", "en-GB,en;q=0.8"} {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.body != "" {
				ctype := c.ctype
				if ctype == "" {
					ctype = "application/json"
				}
				req.Header.Set("Content-Type", ctype)
			}
			if lang != "" {
				req.Header.Set("Accept-Language", lang)
			}
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			h := open
			if c.locked {
				h = locked
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var e ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != c.status {
				t.Errorf("%s (%q): HTTP %d %s, want %d", c.name, lang, rec.Code, rec.Body.String(), c.status)
				continue
			}
			for _, text := range []string{e.Error, e.Message} {
				if strings.TrimSpace(text) == "" || strings.Contains(text, "%!") || unfilled.MatchString(text) {
					t.Errorf("%s (%q): error %q, message %q: empty, a formatting fault or a parameter left unfilled", c.name, lang, e.Error, e.Message)
				}
			}
			got[lang] = e
		}
		def, id, en := got[""], got["id-ID,id;q=0.9"], got["en-GB,en;q=0.8"]
		if def.Message == "" || id.Message == "" || en.Message == "" {
			continue // reported above
		}
		if def.Message != id.Message {
			t.Errorf("%s: no Accept-Language says %q, Indonesian says %q: Indonesian is the default", c.name, def.Message, id.Message)
		}
		if id.Message == en.Message {
			t.Errorf("%s: the same message in both languages: %q", c.name, id.Message)
		}
		if id.Error != en.Error || id.Error == id.Message && en.Error == en.Message {
			t.Errorf("%s: error %q / %q must be the one English sentence in both languages, beside the message", c.name, id.Error, en.Error)
		}
		if !strings.Contains(en.Message, c.says) {
			t.Errorf("%s: English message %q does not say %q", c.name, en.Message, c.says)
		}
	}
}

// Every error the API writes is worded from the catalogue: each writeError call passes words,
// words are made only by say (a words literal is only the empty value returned beside no error),
// and each say names, as a literal, a code of the catalogue with exactly the parameters its
// messages use. A code missing from a language, a misspelt parameter, or a call without words
// fails here instead of showing a raw code or "{name}" to a person.
func TestEveryErrorHasCatalogueWords(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var writes, says int
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				return n.Name.Name != "say" // the one place words are made
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "words" && len(n.Elts) > 0 {
					t.Errorf("%s: words built by hand; use say so the code is checked", fset.Position(n.Pos()))
				}
			case *ast.CallExpr:
				fn, ok := n.Fun.(*ast.Ident)
				if !ok {
					return true
				}
				switch fn.Name {
				case "writeError":
					writes++
					if len(n.Args) < 5 {
						t.Errorf("%s: writeError without words and an English sentence", fset.Position(n.Pos()))
					}
				case "say":
					says++
					checkSay(t, fset.Position(n.Pos()).String(), n)
				}
			}
			return true
		})
	}
	// About 85 errors were written when this test was added: far fewer means the walk is broken.
	if writes < 60 || says < 60 {
		t.Fatalf("found %d writeError and %d say calls: the source no longer looks as this test expects", writes, says)
	}
}

// checkSay checks one say call: a literal api.* code the catalogue has in every language, and
// literal parameter names that are exactly the ones its text uses.
func checkSay(t *testing.T, at string, call *ast.CallExpr) {
	t.Helper()
	if len(call.Args) == 0 || len(call.Args)%2 != 1 {
		t.Errorf("%s: say needs a code and name, value pairs", at)
		return
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Errorf("%s: say's code must be a string literal, so it can be checked", at)
		return
	}
	code, _ := strconv.Unquote(lit.Value)
	if !strings.HasPrefix(code, "api.") {
		t.Errorf("%s: code %q is not an api.* code", at, code)
	}
	var names []string
	for i := 1; i < len(call.Args); i += 2 {
		k, ok := call.Args[i].(*ast.BasicLit)
		if !ok || k.Kind != token.STRING {
			t.Errorf("%s: %s: parameter names must be string literals", at, code)
			return
		}
		name, _ := strconv.Unquote(k.Value)
		names = append(names, name)
	}
	slices.Sort(names)
	for _, l := range i18n.Langs {
		if !i18n.Has(l, code) {
			t.Errorf("%s: code %s has no message in %s", at, code, l)
			continue
		}
		want := i18n.ParamNames(i18n.Text(l, code))
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("%s: %s gives parameters %v; its %s message uses %v", at, code, names, l, want)
		}
	}
}
