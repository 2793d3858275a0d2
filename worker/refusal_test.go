package worker

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// requireClaimRefusal checks that the actor check refused an update with code, in the shape of
// the workflows' coded refusals (workflows.RefusalOf reads it), worded whole in each language.
func requireClaimRefusal(t *testing.T, name string, err error, code string) {
	t.Helper()
	d, ok := workflows.RefusalOf(err)
	if !ok || d.Code != code {
		t.Errorf("%s: refusal %v carries code %+v (found %v), want %s", name, err, d, ok, code)
		return
	}
	requireWorded(t, name, d)
}

// requireWorded checks that a refusal's message is worded in both languages, differently, with
// every parameter filled and no English sentence inside the Indonesian.
func requireWorded(t *testing.T, name string, d workflows.RefusalDetails) {
	t.Helper()
	id, en := i18n.For(i18n.ID, nil).T(d.Code, d.Params), i18n.For(i18n.EN, nil).T(d.Code, d.Params)
	if id == en || id == d.Code || strings.ContainsAny(id+en, "{}") {
		t.Errorf("%s: %s worded %q / %q", name, d.Code, id, en)
	}
	for _, english := range []string{"claim", "signed", "window", "taken", "through the API", "ago"} {
		if strings.Contains(id, english) {
			t.Errorf("%s: the Indonesian %q has English %q", name, id, english)
		}
	}
}

// Each of the actor check's refusals of an update carries its code and parameters; a signal's
// refusal is the same plain error with the same sentence as before (it only reaches the log).
func TestClaimRefusalsAreCoded(t *testing.T) {
	cases := []struct {
		err  error
		code string
		en   string
	}{
		{refuseClaim("refusal.claim-missing", "x refused: no actor claim"), "refusal.claim-missing",
			"this step carries no actor claim; send people's steps through the API"},
		{refuseClaim("refusal.claim-unsigned", "x refused", "actor", "kepala-bpvp", "role", "coordinator"), "refusal.claim-unsigned",
			"the claim on this step of kepala-bpvp (BPVP coordinator) is not signed by kompeten's API for this case and this argument; send people's steps through the API"},
		{refuseClaim("refusal.claim-unsigned", "x refused", "actor", "", "role", ""), "refusal.claim-unsigned",
			"the claim on this step is not signed by kompeten's API for this case and this argument; send people's steps through the API"},
		{refuseClaim("refusal.claim-expired", "x refused", "age", (6 * time.Minute).String(), "window", (5 * time.Minute).String()), "refusal.claim-expired",
			"its claim was issued 6 min ago, longer than the claim window (5 min); send it again through the API"},
		{refuseClaim("refusal.claim-taken", "x refused"), "refusal.claim-taken", "its claim was taken already; a claim is good for one message"},
	}
	for _, c := range cases {
		out := updateRefusal(c.err)
		var app *temporal.ApplicationError
		if !errors.As(out, &app) || app.Type() != workflows.ErrTypeRefusal || !app.NonRetryable() || app.Message() != c.err.Error() {
			t.Fatalf("%s: %T %v", c.code, out, out)
		}
		requireClaimRefusal(t, c.code, out, c.code)
		d, _ := workflows.RefusalOf(out)
		if got := i18n.For(i18n.EN, nil).T(d.Code, d.Params); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.code, got, c.en)
		}
	}
	plain := errors.New("not a claim's refusal")
	if updateRefusal(plain) != plain || updateRefusal(nil) != nil {
		t.Error("an error that is not a claim's refusal must pass unchanged")
	}
}
