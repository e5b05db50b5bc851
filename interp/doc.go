// Package interp will compile the AST of package lang/ast into executable closures
// (func(*Frame) (Value, error)), with scopes, match/patch/for and runtime errors that carry positions
// (spec §2; DESIGN.md "Evaluator"). It is not written yet: the interpreter is the next issue. Only the
// front end (lang) exists so far.
package interp
