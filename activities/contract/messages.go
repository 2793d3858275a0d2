package contract

import "time"

// MessageInput asks for the message of one milestone to a case's trainee (issue 18). It carries
// what the journey knows about the milestone and no personal data: the activity reads the
// consent, phone number and name from the store by NIK hash.
type MessageInput struct {
	CaseID      string    `json:"case_id"`
	NIKHash     string    `json:"nik_hash"`
	Milestone   string    `json:"milestone"` // messaging.Milestone
	PackageCode string    `json:"package"`
	CentreCode  string    `json:"centre"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	KPJ         string    `json:"kpj,omitempty"`
	When        time.Time `json:"when"`            // the assessment's date
	Place       string    `json:"place,omitempty"` // the assessment's TUK
	Certificate string    `json:"certificate,omitempty"`
	Month       int       `json:"month,omitempty"` // a follow-up's or reminder's month
}

// MessageResult says what became of the message: sent (or already sent before), or skipped
// (no consent, no phone number, no channel).
type MessageResult struct {
	Status  string `json:"status"`
	Channel string `json:"channel"`
}
