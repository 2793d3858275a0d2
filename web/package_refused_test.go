package web

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// The flash after an edit says why a case refused the change, worded from the code the journey
// gave, in the reader's language: no English sentence in the Indonesian.
func TestPackageEditFlashWordsTheRefusal(t *testing.T) {
	ch := starter.PackageEdited{ChangeNotes: []i18n.Message{i18n.M("change.lsp", "new", "LSP-B", "old", "LSP-A")},
		Cases: []store.PackageEditCase{
			{CaseID: "a", Outcome: starter.NoticeSent, Message: "package P1 changed"},
			{CaseID: "c1", Outcome: starter.NoticeRefused, Message: "case c1 is closed: its package's change does not apply to it",
				Code: "refusal.change-closed", Params: map[string]string{"case": "c1"}},
			{CaseID: "c2", Outcome: starter.NoticeRefused, Message: "an older worker's refusal"},
		}}
	ok, msg := savedMessage("P1", ch)
	if ok {
		t.Error("a refused case is not a clean save")
	}
	id, en := pickPair(msg, i18n.ID), pickPair(msg, i18n.EN)
	if !strings.Contains(id, "kasus c1 menolaknya: kasus c1 sudah ditutup: perubahan paketnya tidak berlaku untuknya") {
		t.Errorf("Indonesian: %q", id)
	}
	if !strings.Contains(en, "case c1 refused it: case c1 is closed: its package's change does not apply to it") {
		t.Errorf("English: %q", en)
	}
	for _, english := range []string{"closed", "refused", "does not apply", "older worker"} {
		if strings.Contains(id, english) {
			t.Errorf("the Indonesian %q has English %q", id, english)
		}
	}
	if strings.ContainsAny(id+en, "{}") || id == en {
		t.Errorf("worded %q / %q", id, en)
	}
}
