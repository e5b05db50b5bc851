package stdlib

import (
	"embed"
	"io/fs"
)

// libFS holds the module sources: std.tremor, std/*.tremor, tremor.tremor, tremor/*.tremor and
// http/*.tremor, laid out like Tremor's tremor-script/lib.
//
//go:embed lib
var libFS embed.FS

// Lib returns the embedded module tree rooted at lib/, so that `use std::string;` opens
// "std/string.tremor" and `use std;` opens "std.tremor". The module loader mounts it as the
// first search path, as Tremor does with tremor-script/lib.
func Lib() fs.FS {
	sub, err := fs.Sub(libFS, "lib")
	if err != nil {
		panic(err) // "lib" is a valid path by construction
	}
	return sub
}
