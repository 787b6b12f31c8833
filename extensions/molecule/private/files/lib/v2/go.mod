module git.private.lab.test/team/lib/v2

go 1.22

require (
	git.private.lab.test/team/lib/auth v0.1.0
	rsc.io/quote v1.5.2
)

require (
	golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c // indirect
	rsc.io/sampler v1.3.0 // indirect
)
