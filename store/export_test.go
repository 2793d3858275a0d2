package store

// MigrateTo lets the tests of a migration start from the schema before it.
var MigrateTo = migrateTo
