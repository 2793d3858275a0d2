package i18n

import (
	"errors"
	"fmt"
	"testing"
)

// A message inside a message is worded in the reader's language with it, and a coded error is
// found through wrapping, keeping its English or the one it was given.
func TestPartsAndWordedErrors(t *testing.T) {
	inner := M("nik.digits", "n", "15")
	outer := M("api.bad-person", "field", "people[0]", "detail", "NIK has 15 digits, a NIK has 16").With("detail", inner)
	id, en := outer.In(For(ID, nil)), outer.English()
	if want := "people[0] tidak dapat didaftarkan: NIK berisi 15 angka, NIK seharusnya 16"; id != want {
		t.Errorf("Indonesian %q, want %q", id, want)
	}
	if en == id || en != "people[0] cannot be enrolled: "+inner.English() {
		t.Errorf("English %q", en)
	}
	if len(outer.Params) != 2 || outer.Params["detail"] == "" {
		t.Errorf("With changed the parameters: %v", outer.Params)
	}

	sentinel := errors.New("sentinel")
	coded := Wrap(sentinel, "nik.empty")
	wrapped := fmt.Errorf("row 3: %w", coded)
	if m, ok := WordsOf(wrapped); !ok || m.Code != "nik.empty" || !errors.Is(wrapped, sentinel) || coded.Error() != M("nik.empty").English() {
		t.Errorf("WordsOf(%v) = %+v, %v", wrapped, m, ok)
	}
	if kept := Word(errors.New("as scripts know it"), "nik.empty"); kept.Error() != "as scripts know it" {
		t.Errorf("Word's English %q", kept.Error())
	}
	if _, ok := WordsOf(errors.New("plain")); ok {
		t.Error("a plain error has words")
	}
	if _, ok := WordsOf(nil); ok {
		t.Error("nil has words")
	}
}
