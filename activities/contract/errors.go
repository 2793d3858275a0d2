package contract

// ErrTypeData is the application error type of a partner's data error; workflows do not retry it.
const ErrTypeData = "DataError"

// ErrTypeNotFound marks a missing record that retrying cannot bring back.
const ErrTypeNotFound = "NotFound"
