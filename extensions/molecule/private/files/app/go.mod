module lab.test/privateapp

go 1.22

require (
	git.private.lab.test/team/lib/auth v0.1.0
	git.private.lab.test/team/lib/v2 v2.1.0
)

require (
	golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c // indirect
	rsc.io/quote v1.5.2 // indirect
	rsc.io/sampler v1.3.0 // indirect
)
