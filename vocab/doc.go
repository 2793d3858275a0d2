// Package vocab is the journey's vocabulary, declared once: the stages of a case in their order,
// how a closed case ended, why a case is stuck, whom it waits on, the roles people act in and the
// placement categories, each with its label in Indonesian and English.
//
// The string values are wire values: they are stored in PostgreSQL, in search attributes, in
// JSON and in workflow histories, so an existing value never changes. Every layer imports this
// package (it imports nothing but the standard library); to add a value, declare the constant
// and add its row, with both labels, to its table here and to the message catalogue
// (i18n/messages/*.yaml, which the pages word from): the tests fail until you do, and the
// tests of the switches over the values (who unblocks a stuck case, the placement outcome, …)
// name the places that must learn about it.
package vocab
