// Command minsheng runs the 民声 opinion portal and its administration commands.
//
//	minsheng [serve] [-addr 127.0.0.1:8080] [-db ./data/minsheng.db] [-captcha on|off]
//	minsheng user add -username NAME -role ROLE [-unit CODE | -units CODE,CODE]   (password on standard input)
//	minsheng user unlock -username NAME
//	minsheng help   (every command; "minsheng CMD -h" lists a command's flags)
//
// Exit status: 0 done, 1 failed, 2 the command line cannot be run as typed.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "minsheng:", err)
		os.Exit(exitCode(err))
	}
}
