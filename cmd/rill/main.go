// Command rill runs, checks and formats trickle queries, tremor-script scripts and troy deployments.
//
// Usage: rill <command> [flags] [args]. Exit codes: 0 success, 1 a program or data error,
// 2 wrong usage. Errors go to stderr, data to stdout.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // full help text: synopsis, flags and examples
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprint(stdout, c.usage)
				return 0
			}
			fmt.Fprintf(stderr, "rill: unknown command %q\n", args[1])
			return 2
		}
		usage(stdout)
		return 0
	case "-v", "--version":
		args[0] = "version"
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rill: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if wantsHelp(args[1:]) {
		fmt.Fprint(stdout, c.usage)
		return 0
	}
	return c.run(args[1:], stdout, stderr)
}

// wantsHelp reports whether a command's arguments ask for its help (-h, -help or --help before
// a "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprint(w, "Rill: a scriptable stream-processing engine (trickle queries, tremor-script).\n\nUsage: rill <command> [flags] [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, "\nRun `rill help <command>` for details and examples.\n")
}

func init() {
	register(&command{
		name:    "version",
		summary: "print the version",
		usage:   "Usage: rill version\n\nPrints Rill's version (also: rill --version).\n\nExamples:\n  rill version\n",
		run: func(args []string, stdout, stderr io.Writer) int {
			fmt.Fprintf(stdout, "rill %s\n", version)
			return 0
		},
	})
}
