// Package auth is a nested module of the private repository (tags auth/vX.Y.Z).
package auth

// Realm names the nested module.
func Realm() string { return "private auth v0.1.0" }
