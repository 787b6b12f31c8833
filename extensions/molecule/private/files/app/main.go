// A program that imports the private modules: git.private.lab.test/team/lib/v2 and the nested
// git.private.lab.test/team/lib/auth. go.sum pins the public modules only; the test adds the private
// hashes with `go mod tidy`, which asks the checksum database unless GONOSUMDB covers them.
package main

import (
	"fmt"

	"git.private.lab.test/team/lib/auth"
	lib "git.private.lab.test/team/lib/v2"
)

func main() {
	fmt.Println("privateapp ok:", lib.Hello(), "|", auth.Realm())
}
