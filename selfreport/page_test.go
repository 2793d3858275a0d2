package selfreport_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

type fakeSubjects struct{}

func (fakeSubjects) SelfReportSubject(context.Context, string) (store.SelfReportSubject, error) {
	return store.SelfReportSubject{FirstName: "Siti", Package: "P1", Trade: "Las", Stage: "placement", Status: "open"}, nil
}

// fakeSteps records the updates it is sent; fail makes it refuse them.
type fakeSteps struct {
	mu   sync.Mutex
	sent []any
	fail error
}

func (f *fakeSteps) Update(_ context.Context, caseID, name string, arg any) (workflows.UpdateResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return workflows.UpdateResult{}, f.fail
	}
	f.sent = append(f.sent, arg)
	return workflows.UpdateResult{CaseID: caseID}, nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestPageCSRFAndRelease: a post without the form's CSRF token is refused and spends nothing; an
// incomplete answer is asked again and spends nothing; an answer the journey refuses gives the
// link back; an accepted one goes to the journey as the graduate's self-report and spends it.
func TestPageCSRFAndRelease(t *testing.T) {
	_, st := testdb.NewMigrated(t)
	ctx := context.Background()
	iss := &selfreport.Issuer{Store: st, Key: []byte(strings.Repeat("k", 32))}
	steps := &fakeSteps{}
	mux := http.NewServeMux()
	(&selfreport.Page{Issuer: iss, Subjects: fakeSubjects{}, Steps: steps}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	iss.BaseURL = srv.URL
	link, err := iss.FollowUpLink(ctx, "C-9", 3)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(link, srv.URL+selfreport.LinkPath)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	live := func(what string) {
		t.Helper()
		if _, err := iss.Open(ctx, token); err != nil {
			t.Fatalf("%s: the link was spent: %v", what, err)
		}
	}
	answer := url.Values{"answer": {"working"}, "employer": {"PT Maju"}, "kind": {"formal"}, "start": {time.Now().Format(time.DateOnly)}}

	if code, _ := page(http.PostForm(link, answer)); code != http.StatusForbidden {
		t.Errorf("post without the form's token: HTTP %d, want 403", code)
	}
	live("post without CSRF")
	code, body := page(c.Get(link))
	if code != http.StatusOK || !strings.Contains(body, "Halo, Siti!") {
		t.Fatalf("GET: HTTP %d %s", code, body)
	}
	csrf := csrfField.FindStringSubmatch(body)[1]
	incomplete := url.Values{"csrf": {csrf}, "answer": {"working"}, "kind": {"formal"}}
	if code, body := page(c.PostForm(link, incomplete)); code != http.StatusBadRequest || !strings.Contains(body, "Tulis nama tempat kerja") {
		t.Errorf("incomplete answer: HTTP %d", code)
	} else {
		csrf = csrfField.FindStringSubmatch(body)[1]
	}
	live("incomplete answer")
	steps.fail = errors.New("refused")
	answer.Set("csrf", csrf)
	code, body = page(c.PostForm(link, answer))
	if code != http.StatusConflict {
		t.Errorf("refused answer: HTTP %d, want 409", code)
	}
	live("refused answer")
	steps.fail = nil
	answer.Set("csrf", csrfField.FindStringSubmatch(body)[1])
	if code, body := page(c.PostForm(link, answer)); code != http.StatusOK || !strings.Contains(body, "lapor-done") {
		t.Fatalf("answer: HTTP %d %s", code, body)
	}
	if len(steps.sent) != 1 {
		t.Fatalf("%d updates sent, want 1", len(steps.sent))
	}
	rep, ok := steps.sent[0].(*workflows.PlacementReport)
	if !ok || !rep.SelfReported || rep.Actor.Role != vocab.RoleGraduate || rep.Category != vocab.PlacementFormal || rep.Employer != "PT Maju" ||
		strings.Contains(rep.Actor.ID, "C-9") {
		t.Fatalf("update sent = %#v", steps.sent[0])
	}
	if _, err := iss.Open(ctx, token); !errors.Is(err, selfreport.ErrLinkGone) {
		t.Errorf("after the answer the link is %v, want gone", err)
	}
	if code, _ := page(c.Get(link)); code != http.StatusGone {
		t.Errorf("GET the used link: HTTP %d, want 410", code)
	}
}
