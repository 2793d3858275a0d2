package workflows

import (
	"fmt"
	"strconv"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// followUpContacts versions the follow-up contact update (issue 16 point 4): a journey that
// takes one records a follow-up-contact event on its timeline. Journeys running before it never
// received the update, so their histories hold no such event; the version marks the histories
// that do, for any later change to what the handler records.
const followUpContacts = "follow-up-contacts"

// maxContactNote bounds the note kept in the state and the event.
const maxContactNote = 500

func (j *journey) validateFollowUpContact(c FollowUpContact) error {
	if err := requireRole(c.Actor, vocab.RoleCentreAdmin, vocab.RoleCoordinator); err != nil {
		return err
	}
	if err := j.requireStage("record a follow-up contact", vocab.StagePlacement); err != nil {
		return err
	}
	if j.placement != nil {
		return refusal("refusal.placement-reported", "a placement was already reported")
	}
	if !c.Contact.Valid() {
		return refusal("refusal.contact-kind", fmt.Sprintf("contact must be %s, got %q", strings.Join(vocab.Strings(vocab.Contacts), " or "), c.Contact),
			"allowed", codes(vocab.Contacts), "got", string(c.Contact))
	}
	if len(c.Note) > maxContactNote {
		return refusal("refusal.note-length", fmt.Sprintf("the note is %d characters; at most %d", len(c.Note), maxContactNote),
			"length", strconv.Itoa(len(c.Note)), "max", strconv.Itoa(maxContactNote))
	}
	return nil
}

// onFollowUpContact records the contact in the state and on the timeline; the follow-ups go on
// as they were (the case waits for the next one, or for a placement report).
func (j *journey) onFollowUpContact(ctx workflow.Context, c FollowUpContact) (UpdateResult, error) {
	_ = j.since(ctx, followUpContacts)
	p := &j.state.Placement
	p.Contacts++
	p.LastContact = &ContactState{Contact: c.Contact, Note: strings.TrimSpace(c.Note), Actor: c.Actor, At: workflow.Now(ctx)}
	detail := "follow-up contact: " + string(c.Contact)
	if p.LastContact.Note != "" {
		detail += " (" + p.LastContact.Note + ")"
	}
	j.commit(ctx, evBy("follow-up-contact", detail, c.Actor).say("event.follow-up-contact", "contact", string(c.Contact), "note", p.LastContact.Note))
	return j.ok("follow-up contact recorded: " + string(c.Contact) + "; the case stays in follow-up"), nil
}
