package i18n

import "errors"

// Worded is an error that carries its sentence as a catalogue message, so whoever shows it to a
// person words it in their language rather than showing the English of Error.
type Worded interface {
	error
	Words() Message
}

// WordsOf is the catalogue message of err or of an error it wraps (the outermost that has one);
// ok is false for an error the catalogue does not word, whose English is all there is.
func WordsOf(err error) (Message, bool) {
	var w Worded
	if err == nil || !errors.As(err, &w) {
		return Message{}, false
	}
	return w.Words(), true
}

// Error is an error worded by a catalogue message: its Error is the message's English, and it
// wraps Err (a sentinel such as a missing column's, or the cause) for errors.Is and errors.As.
type Error struct {
	Msg Message
	Err error
	// Text, when set, is Error's English instead of the message's: a sentence that scripts and
	// logs already match on, kept as it was.
	Text string
}

// Errorm is the error worded by the message code with its parameters as name, value pairs.
func Errorm(code string, kv ...string) *Error { return &Error{Msg: M(code, kv...)} }

// Wrap is the error worded by the message code, wrapping cause.
func Wrap(cause error, code string, kv ...string) *Error {
	return &Error{Msg: M(code, kv...), Err: cause}
}

// Error is Text, or else the message in English.
func (e *Error) Error() string {
	if e.Text != "" {
		return e.Text
	}
	return e.Msg.English()
}

// Words is the message.
func (e *Error) Words() Message { return e.Msg }

// Unwrap is the error wrapped.
func (e *Error) Unwrap() error { return e.Err }

// Word is err worded by the message code for people, its English (Error) left as err's: for a
// sentence scripts, logs and tests already know, which wraps what it wraps (a sentinel for
// errors.Is) as before.
func Word(err error, code string, kv ...string) *Error {
	return &Error{Msg: M(code, kv...), Err: err, Text: err.Error()}
}
