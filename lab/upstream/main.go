// Command upstream uses one package of each module of the lab's upstream module set, so that
// `go mod tidy` keeps them all in go.mod and the lab's module cache holds what a build needs.
package main

import (
	"fmt"
	"os"

	"github.com/BurntSushi/toml" // upper-case path: the proxy must serve it as github.com/!burnt!sushi
	"github.com/google/uuid"
	"github.com/pkg/errors"
	"github.com/spf13/pflag"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"rsc.io/quote"
	quotev3 "rsc.io/quote/v3" // a /v3 major version next to v1 of the same repository
)

func main() {
	name := pflag.String("name", "lab", "who to greet")
	pflag.Parse()
	var cfg struct{ Greeting string }
	if _, err := toml.Decode(`Greeting = "hello"`, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, errors.Wrap(err, "decode"))
		os.Exit(1)
	}
	title := cases.Title(language.English).String(*name)
	fmt.Println(cfg.Greeting, title, uuid.NewSHA1(uuid.NameSpaceDNS, []byte(*name)), quote.Go(), quotev3.GoV3())
}
