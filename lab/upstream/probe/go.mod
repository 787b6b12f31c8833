// The probe module: small, with a short real dependency chain (rsc.io/quote -> rsc.io/sampler ->
// golang.org/x/text). Roles and tests copy this directory to a lab host and `go build` it through the
// proxy under test to prove that module downloads work end to end; go.sum pins every hash.
module lab.test/probe

go 1.22

require (
	github.com/google/uuid v1.6.0
	rsc.io/quote v1.5.2
)

require (
	golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c // indirect
	rsc.io/sampler v1.3.0 // indirect
)
