// Package lib is the private lab module's v1: served only by git1 (git.private.lab.test).
package lib

// Hello names the module and its major version.
func Hello() string { return "private lib v1" }
