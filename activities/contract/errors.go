package contract

// ErrTypeData is the application error type of a partner's data error; workflows do not retry it.
const ErrTypeData = "DataError"

// ErrTypeNotFound marks a missing record that retrying cannot bring back.
const ErrTypeNotFound = "NotFound"

// ErrTypeMessageRejected is a provider's final refusal of a trainee's message (a number not on
// WhatsApp, a template it refuses): not retried.
const ErrTypeMessageRejected = "MessageRejected"
