// Command fleet is the lab's "fleet project": a program that imports one package of each of 30+ real
// modules, so that `go mod download` of it fetches each of them (the HA tests and bench/ha count them).
package main

import (
	"fmt"

	"github.com/BurntSushi/toml"
	"github.com/cespare/xxhash/v2"
	"github.com/davecgh/go-spew/spew"
	"github.com/dustin/go-humanize"
	"github.com/fatih/color"
	"github.com/go-logr/logr"
	"github.com/gofrs/flock"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/gorilla/mux"
	"github.com/hashicorp/go-multierror"
	"github.com/hashicorp/go-version"
	lru "github.com/hashicorp/golang-lru/v2"
	jsoniter "github.com/json-iterator/go"
	"github.com/julienschmidt/httprouter"
	"github.com/kballard/go-shellquote"
	"github.com/mattn/go-runewidth"
	"github.com/mitchellh/mapstructure"
	"github.com/oklog/ulid/v2"
	toml2 "github.com/pelletier/go-toml/v2"
	"github.com/pkg/errors"
	"github.com/pmezard/go-difflib/difflib"
	"github.com/rs/xid"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"golang.org/x/mod/semver"
	"golang.org/x/sync/errgroup"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
	"rsc.io/quote"
)

func main() {
	var g errgroup.Group
	cache, _ := lru.New[string, int](8)
	cache.Add("a", 1)
	v, _ := version.NewVersion("1.2.3")
	words, _ := shellquote.Split("a 'b c'")
	var out map[string]any
	_ = mapstructure.Decode(map[string]any{"k": 1}, &out)
	_, _ = toml.Decode("a = 1", &out)
	_ = toml2.Unmarshal([]byte("b = 2"), &out)
	_ = yaml.Unmarshal([]byte("c: 3"), &out)
	_, _ = jsoniter.Marshal(out)
	diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: []string{"a"}, B: []string{"b"}})
	g.Go(func() error { return multierror.Append(nil, errors.New("x")).ErrorOrNil() })
	_ = g.Wait()
	fmt.Println("fleet ok", uuid.NewString() != "", xxhash.Sum64String("x"), spew.Sdump(1) != "", humanize.Bytes(1),
		color.New(color.Bold) != nil, logr.Discard().Enabled(), flock.New("/tmp/x") != nil, cmp.Equal(1, 1),
		mux.NewRouter() != nil, httprouter.New() != nil, len(words), runewidth.StringWidth("x"), ulid.Make() != ulid.ULID{},
		xid.New().String() != "", logrus.StandardLogger() != nil, (&cobra.Command{}).Name(), pflag.CommandLine != nil,
		assert.ObjectsAreEqual(1, 1), semver.IsValid("v1.0.0"), language.English, quote.Go(), cache.Len(), v, diff != "")
}
