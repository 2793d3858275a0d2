package web_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/web"
)

// Issue 15's phone leftovers on the inbox: a card's headline leads with the person's name and
// carries the case ID small; the bulk decision form is folded in a <details> (opened by the
// stylesheet once a card is ticked, no script); each confirmation box and its words are one
// label, the words in one span so they wrap beside the box.
func TestInboxCardsLeadWithTheName(t *testing.T) {
	s, err := web.New(&peopleAPI{}, web.Options{Location: time.FixedZone("WIB", 7*3600)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b := &browser{t: t, base: srv.URL, c: srv.Client()}
	code, _, page := b.get("/inbox")
	if code != http.StatusOK {
		t.Fatalf("GET /inbox: HTTP %d\n%s", code, page)
	}
	card := page[strings.Index(page, `id="inbox-case000000"`):]
	head := card[:strings.Index(card, "</div>")]
	name, id := strings.Index(head, `<b class="name">Siti Nurhaliza</b>`), strings.Index(head, `<small class="case">case000000</small>`)
	if name < 0 || id < name {
		t.Errorf("the card's headline does not lead with the name, the ID small after it:\n%s", head)
	}
	if !regexp.MustCompile(`<a class="lead" href="/cases/case000000"><b class="name">`).MatchString(head) {
		t.Errorf("the name is not the link to the case:\n%s", head)
	}

	bulk := page[strings.Index(page, `id="bulk-enrolment-approval"`):]
	bulk = bulk[:strings.Index(bulk, "</form>")]
	fold := strings.Index(bulk, `<details class="bulk-fold"><summary>`)
	if fold < 0 || fold > strings.Index(bulk, "<fieldset>") || strings.Contains(bulk, `<details class="bulk-fold" open`) {
		t.Errorf("the bulk form is not folded until a card is picked:\n%s", bulk)
	}
	if !regexp.MustCompile(`<label class="override check"><input type="checkbox" name="override" value="yes"> <span>.*Setujui juga yang aturannya belum terpenuhi.*</span></label>`).MatchString(bulk) {
		t.Errorf("the override box and its words are not one label:\n%s", bulk)
	}
	if !regexp.MustCompile(`<label class="confirm check"><input type="checkbox" name="override" value="yes" required> <span>.*Saya setujui meski aturan di atas belum terpenuhi.*</span></label>`).MatchString(card) {
		t.Error("the card's confirmation box and its words are not one label")
	}
	_, _, css := b.get("/assets/style.css")
	for _, want := range []string{"section.group:has(input.pick:checked) details.bulk-fold::details-content", "label.check > input[type=checkbox] { width: 24px; height: 24px; flex: none;"} {
		if !strings.Contains(css, want) {
			t.Errorf("style.css lacks %q", want)
		}
	}
}
