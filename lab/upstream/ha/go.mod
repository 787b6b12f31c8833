// The lab's "fleet project": one package of each of 32 real modules (43 with their dependencies),
// for the HA suite (tests/ha) and bench/ha: several builders download it at once through the load
// balancer, and upstream must see each module version once. Served by upstream like ../go.mod's modules;
// versions pinned (@v/list and @latest can answer 403 here).
module lab.test/fleet

go 1.25

require (
	github.com/BurntSushi/toml v1.4.0
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/davecgh/go-spew v1.1.1
	github.com/dustin/go-humanize v1.0.1
	github.com/fatih/color v1.17.0
	github.com/go-logr/logr v1.4.2
	github.com/gofrs/flock v0.12.1
	github.com/google/go-cmp v0.6.0
	github.com/google/uuid v1.6.0
	github.com/gorilla/mux v1.8.1
	github.com/hashicorp/go-multierror v1.1.1
	github.com/hashicorp/go-version v1.7.0
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/json-iterator/go v1.1.12
	github.com/julienschmidt/httprouter v1.3.0
	github.com/kballard/go-shellquote v0.0.0-20180428030007-95032a82bc51
	github.com/mattn/go-runewidth v0.0.16
	github.com/mitchellh/mapstructure v1.5.0
	github.com/oklog/ulid/v2 v2.1.0
	github.com/pelletier/go-toml/v2 v2.2.3
	github.com/pkg/errors v0.9.1
	github.com/pmezard/go-difflib v1.0.0
	github.com/rs/xid v1.6.0
	github.com/sirupsen/logrus v1.9.3
	github.com/spf13/cobra v1.8.1
	github.com/spf13/pflag v1.0.6
	github.com/stretchr/testify v1.9.0
	golang.org/x/mod v0.21.0
	golang.org/x/sync v0.10.0
	golang.org/x/text v0.21.0
	gopkg.in/yaml.v3 v3.0.1
	rsc.io/quote v1.5.2
)

require (
	github.com/hashicorp/errwrap v1.0.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/kr/text v0.2.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/modern-go/concurrent v0.0.0-20180228061459-e0a39a4cb421 // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	golang.org/x/sys v0.26.0 // indirect
	rsc.io/sampler v1.3.0 // indirect
)
