package contract

// SeatInput asks for a seat in a package for a case whose enrolment is being approved.
type SeatInput struct {
	CaseID      string `json:"case_id"`
	PackageCode string `json:"package"`
	// Waitlist queues the case when the package is full.
	Waitlist bool `json:"waitlist,omitempty"`
	// OverCapacity seats the case beyond the capacity (a coordinator's decision, with Reason).
	OverCapacity bool   `json:"over_capacity,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// SeatOutcome is where the case stands: seated, waiting (at Position), or neither (the package
// is full: Taken of Capacity seats).
type SeatOutcome struct {
	Seated   bool `json:"seated"`
	Waiting  bool `json:"waiting"`
	Position int  `json:"position,omitempty"`
	Taken    int  `json:"taken"`
	Capacity int  `json:"capacity"`
}

// FreeSeatInput gives up a case's seat (or its waiting-list place) as it closes before training.
type FreeSeatInput struct {
	CaseID      string `json:"case_id"`
	PackageCode string `json:"package"`
}

// FreeSeatResult names the cases moved in from the waiting list (their journeys were told).
type FreeSeatResult struct {
	MovedIn []string `json:"moved_in,omitempty"`
}

// SignalSeatGranted is the journey signal that a case on a package's waiting list has its seat.
const SignalSeatGranted = "seat-granted"

// SeatGranted is the payload of the journey signal that a waiting case has its seat.
type SeatGranted struct {
	Package string `json:"package"`
	// FreedBy says what freed the seat: a case ID, or "capacity raised to N".
	FreedBy string `json:"freed_by"`
	// Claim is the signed claim on the signal (auth.SignArg; the worker's when a seat was freed,
	// the API's when the capacity was raised).
	Claim string `json:"claim,omitempty"`
}
