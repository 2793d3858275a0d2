package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// maxNotReached bounds one bulk "not reached": a page lists at most followUpLimit graduates.
const maxNotReached = followUpLimit

// notReachedMany records "not reached" for every graduate ticked on the follow-ups page (a
// day's calls that found nobody), one follow-up contact per case as `kompeten follow-up ID...
// --contact not-reached` sends them; the list then says how many were recorded and each
// refusal in the journey's words. The cases stay in follow-up.
func (s *Server) notReachedMany(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actor(w, r, vocab.RoleCentreAdmin)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		setFlash(w, false, both("formulir tidak dapat dibaca: "+err.Error(), "the form could not be read: "+err.Error()))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	ids := r.PostForm["case"]
	switch {
	case len(ids) == 0:
		setFlash(w, false, both("Centang lulusan yang tidak dapat dihubungi dulu", "Tick the graduates who were not reached first"))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	case len(ids) > maxNotReached:
		setFlash(w, false, both(fmt.Sprintf("paling banyak %d lulusan sekaligus; %d dicentang", maxNotReached, len(ids)),
			fmt.Sprintf("at most %d graduates at once; %d were ticked", maxNotReached, len(ids))))
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	c := workflows.FollowUpContact{Actor: a, Contact: vocab.ContactNotReached}
	done := 0
	var refused []string
	for _, id := range ids {
		_, err := s.api.RecordFollowUp(r.Context(), id, c)
		var ae *apiclient.Error
		switch {
		case err == nil:
			done++
		case errors.As(err, &ae):
			refused = append(refused, id+": "+ae.Say())
		default:
			s.opts.Logger.Error("bulk not reached", "case", id, "error", err)
			refused = append(refused, id+": internal error; see the server log")
		}
	}
	id, en := fmt.Sprintf("Tidak dapat dihubungi dicatat: %d", done), fmt.Sprintf("Not reached recorded: %d", done)
	if len(refused) > 0 {
		id += fmt.Sprintf("; ditolak %d: %s", len(refused), strings.Join(refused, "; "))
		en += fmt.Sprintf("; refused %d: %s", len(refused), strings.Join(refused, "; "))
	}
	setFlash(w, len(refused) == 0, both(id, en))
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}
