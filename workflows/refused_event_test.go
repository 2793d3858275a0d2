package workflows_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bpvp-sidoarjo/kompeten/activities/contract"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// requireRefusedWords checks that a refused signal's event carries its refusal as a message in
// the message (event.refused.coded, the refusal's code in "why"), worded whole in each language:
// different, every parameter filled, no English sentence (english) inside the Indonesian.
func requireRefusedWords(t *testing.T, e contract.CaseEvent, code, english string) {
	t.Helper()
	require.Equal(t, "event.refused.coded", e.Code, "event %+v", e)
	require.Equal(t, code, e.Params["why"])
	id, en := i18n.For(i18n.ID, nil).T(e.Code, e.Params), i18n.For(i18n.EN, nil).T(e.Code, e.Params)
	require.NotEqual(t, id, en)
	require.False(t, strings.ContainsAny(id+en, "{}"), "unfilled parameter: %q / %q", id, en)
	require.NotContains(t, id, english)
	require.NotContains(t, id, "refused")
	require.NotContains(t, id, "kpj-delivered", "what was refused is worded too")
	require.Contains(t, en, english)
}
