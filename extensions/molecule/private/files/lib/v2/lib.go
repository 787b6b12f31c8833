// Package lib is the private lab module's v2 (major version subdirectory v2/): it needs the nested
// private module and a public one, so a build needs both the private git host and the public proxy.
package lib

import (
	"git.private.lab.test/team/lib/auth"
	"rsc.io/quote"
)

// Version is replaced by the scenario's prepare for each tag (v2.0.0, v2.1.0).
const Version = "VERSION"

// Hello names the module, its version, the nested module and a public one.
func Hello() string { return "private lib " + Version + " / " + auth.Realm() + " / " + quote.Hello() }
