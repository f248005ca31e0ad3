// Command gokeepalived is a pure-Go, drop-in replacement for keepalived.
package main

import (
	"os"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/daemon"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Daemon: daemon.Run}))
}
