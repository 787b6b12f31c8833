// The lab's upstream module set: every module this file requires (and everything in its module graph)
// is downloaded once from proxy.golang.org into a dedicated module cache, whose cache/download tree the
// `upstream` lab host serves as a GOPROXY. Pin exact versions: @v/list and @latest can answer 403 here.
module lab.test/upstream

go 1.22

require (
	github.com/BurntSushi/toml v1.4.0
	github.com/google/uuid v1.6.0
	github.com/pkg/errors v0.9.1
	github.com/spf13/pflag v1.0.6
	golang.org/x/text v0.21.0
	rsc.io/quote v1.5.2
	rsc.io/quote/v3 v3.1.0
)

require rsc.io/sampler v1.3.0 // indirect
