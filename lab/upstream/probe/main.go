// Command probe prints one line built from its dependencies; "probe ok" means every module was fetched.
package main

import (
	"fmt"

	"github.com/google/uuid"
	"rsc.io/quote"
)

func main() {
	fmt.Println("probe ok", uuid.NewSHA1(uuid.NameSpaceURL, []byte("lab.test/probe")), quote.Hello())
}
