package vocab

// Contact is the outcome of a placement follow-up contact that reports no placement: the
// graduate is still looking for work, or could not be reached. Recorded on the case's
// timeline, it does not close the case (a placement report does).
type Contact string

// The follow-up contact outcomes.
const (
	ContactStillLooking Contact = "still-looking"
	ContactNotReached   Contact = "not-reached"
)

var contacts = []entry[Contact]{
	{ContactStillLooking, Label{"Masih mencari kerja", "Still looking"}},
	{ContactNotReached, Label{"Tidak dapat dihubungi", "Not reached"}},
}

// Contacts lists every follow-up contact outcome.
var Contacts = valuesOf(contacts)

// Label words the outcome for people.
func (c Contact) Label() Label { return labelOf(contacts, c) }

// Valid says whether c is a follow-up contact outcome.
func (c Contact) Valid() bool { return indexOf(contacts, c) >= 0 }
