// Package readme holds the test that runs the README's commands as a user would: the shell
// blocks README.md marks with <!-- readme-test --> (and the dev block, <!-- readme-test: dev -->)
// are run literally with bash, in a fresh directory that holds what a user has (examples/ and a
// freshly built kompeten), so the README cannot drift from the product.
package readme
