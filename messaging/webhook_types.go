package messaging

// WAWebhook is the body Meta posts to a WhatsApp Business webhook (field "messages"): delivery
// statuses of sent messages and messages the business number received.
type WAWebhook struct {
	Object string    `json:"object"` // "whatsapp_business_account"
	Entry  []WAEntry `json:"entry"`
}

// WAEntry is one WhatsApp Business Account's changes.
type WAEntry struct {
	ID      string     `json:"id"`
	Changes []WAChange `json:"changes"`
}

// WAChange is one change; Field "messages" carries statuses and inbound messages.
type WAChange struct {
	Field string  `json:"field"`
	Value WAValue `json:"value"`
}

// WAValue holds the statuses and messages of a change.
type WAValue struct {
	MessagingProduct string      `json:"messaging_product"`
	Metadata         WAMetadata  `json:"metadata"`
	Statuses         []WAStatus  `json:"statuses,omitempty"`
	Messages         []WAInbound `json:"messages,omitempty"`
}

// WAMetadata names the business number the change is about.
type WAMetadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

// WAStatus is one delivery status: sent, delivered, read or failed.
type WAStatus struct {
	ID                    string    `json:"id"`
	Status                string    `json:"status"`
	Timestamp             string    `json:"timestamp"` // Unix seconds, as text
	RecipientID           string    `json:"recipient_id"`
	BizOpaqueCallbackData string    `json:"biz_opaque_callback_data,omitempty"`
	Errors                []WAIssue `json:"errors,omitempty"`
}

// WAIssue is why a message failed.
type WAIssue struct {
	Code  int    `json:"code"`
	Title string `json:"title"`
}

// WAInbound is a message a trainee sent to the business number.
type WAInbound struct {
	From      string  `json:"from"`
	ID        string  `json:"id"`
	Timestamp string  `json:"timestamp"`
	Type      string  `json:"type"`
	Text      *WAText `json:"text,omitempty"`
}

// WAText is an inbound text message's body.
type WAText struct {
	Body string `json:"body"`
}

// SMSCallback is what the SMS gateway posts to kompeten's webhook: a delivery report
// (Type "status") or a reply (Type "inbound").
type SMSCallback struct {
	Type      string `json:"type"`
	ID        string `json:"id,omitempty"`
	Reference string `json:"reference,omitempty"`
	Status    string `json:"status,omitempty"` // sent, delivered, failed
	At        int64  `json:"at"`               // Unix seconds
	From      string `json:"from,omitempty"`
	Text      string `json:"text,omitempty"`
}
