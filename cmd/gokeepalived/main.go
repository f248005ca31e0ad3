// Command gokeepalived is a pure-Go, drop-in replacement for keepalived.
package main

import (
	"os"

	"github.com/gokeepalived/gokeepalived/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
