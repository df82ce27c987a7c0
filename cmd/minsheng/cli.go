package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commands lists every command with one line on what it does, for "minsheng help" and for the
// head of "minsheng CMD -h". A new command adds its line here and parses its flags with
// newFlagSet; the refusal of stray arguments, the exit status 2 and -h then come with it.
var commands = []struct{ name, args, about string }{
	{"serve", "[flags]", "run the portal (the default: \"minsheng\" alone serves)"},
	{"user add", "-username NAME -role ROLE [-unit CODE | -units CODE,CODE]",
		"add a staff account; the password is the first line of standard input"},
	{"user unlock", "-username NAME", "forget an account's failed logins (no captcha or wait at its next login)"},
	{"backup", "-o FILE", "copy the database safely, even while the portal serves"},
	{"restore", "-i FILE", "put a backup in place of the database (stop the portal first)"},
	{"migrate", "-from FILE -to postgres://… [-verify]", "copy a SQLite database into an empty PostgreSQL one and check every table"},
	{"seed", "-n N", "add N made-up opinions, to see a full queue or to measure"},
	{"loadtest", "[-url URL] [-clients N] [-duration D]", "send opinions to a portal on this machine and check none is lost"},
	{"report", "-period 2026-12 [-unit CODE] [-kind summary] [-format html|docx|xlsx] -o FILE [-discipline on]",
		"write the drafted report of a period (2026-12, 2026-Q4, 2026-H2, 2026, 2026-11-01..2026-12-15); never overwrites a file"},
	{"suggest", "[-db FILE] [-retrain]", "tag suggestions for JSON lines {\"id\",\"text\"} on standard input; -retrain learns from the office's tags"},
	{"help", "[CMD]", "this list, or the flags of one command"},
}

// usageError is a command line that cannot be run as typed: an unknown command or flag, a
// stray argument, a missing or wrong value. main exits with status 2 for it, as flag does.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef makes a usageError; the message should say what to type instead.
func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// helpShown is returned when the person asked for help (-h, help): run prints text on standard
// output and ends with status 0.
type helpShown struct{ text string }

func (h helpShown) Error() string { return "help requested" }

// exitCode is the process status for what run returned: 0, 2 for a command line that cannot
// be run as typed, 1 for anything that failed while running.
func exitCode(err error) int {
	var u usageError
	var h helpShown
	switch {
	case err == nil, errors.As(err, &h):
		return 0
	case errors.As(err, &u):
		return 2
	default:
		return 1
	}
}

// flagSet is one command's flags. Its Parse is flag's, plus what every command needs: an
// on/off flag takes a following on/off word as its value (so "-captcha off" means off, instead
// of "on" and the end of the flags), an argument left over is refused, and -h lists the flags.
type flagSet struct {
	*flag.FlagSet
	name string
}

// newFlagSet starts a command's flags, with the shared -db and -key-file already on it. Its
// messages go nowhere: run reports the error once, and help goes to standard output. stderr
// is kept so that every command calls it the same way.
func newFlagSet(name string, getenv func(string) string, stderr io.Writer) (*flagSet, *commonFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	common := &commonFlags{}
	common.register(fs, getenv)
	return &flagSet{FlagSet: fs, name: name}, common
}

// Parse reads args into the flags. The errors it returns are usageError and helpShown.
func (fs *flagSet) Parse(args []string) error {
	err := fs.FlagSet.Parse(joinOnOffWords(fs.FlagSet, args))
	switch {
	case errors.Is(err, flag.ErrHelp):
		return helpShown{fs.help()}
	case err != nil:
		return usagef("%s: %v\nSee \"minsheng %s -h\" for its flags.", fs.name, err, fs.name)
	case fs.NArg() > 0:
		return usagef("%s: unexpected argument %q: every value belongs to a flag, as in -db FILE or -captcha=off.\nSee \"minsheng %s -h\" for its flags.",
			fs.name, fs.Arg(0), fs.name)
	}
	return nil
}

// help is "minsheng NAME -h": the synopsis, what the command does, its flags.
func (fs *flagSet) help() string {
	var b bytes.Buffer
	for _, c := range commands {
		if c.name == fs.name {
			fmt.Fprintf(&b, "usage: minsheng %s %s\n\n%s.\n\n", c.name, c.args, capitalise(c.about))
		}
	}
	if b.Len() == 0 {
		fmt.Fprintf(&b, "usage: minsheng %s [flags]\n\n", fs.name)
	}
	b.WriteString("Flags (write -flag value or -flag=value):\n")
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

// joinOnOffWords rewrites "-flag on" as "-flag=on" for the flags that may also stand alone
// (onOff): flag itself would take "-captcha off" as "-captcha" followed by the argument "off",
// and stop reading flags there. Values of other flags are skipped, so "-addr off" is untouched.
func joinOnOffWords(fs *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, args[i+1:]...) // flag stops here too
			break
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") || i+1 == len(args) {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // Parse reports it
		}
		if _, isOnOff := f.Value.(*onOff); isOnOff {
			var probe onOff
			if probe.Set(args[i+1]) == nil {
				out[len(out)-1] = a + "=" + args[i+1]
				i++
			}
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		i++ // the flag's value, whatever it looks like
		out = append(out, args[i])
	}
	return out
}

// commandList is "minsheng help": every command, or those under a prefix ("user ").
func commandList(prefix string) string {
	var b strings.Builder
	if prefix == "" {
		b.WriteString("民声 minsheng: the opinion portal and its administration commands.\n\nusage: minsheng [CMD] [flags]\n\nCommands:\n")
	} else {
		fmt.Fprintf(&b, "usage: minsheng %sCMD [flags]\n\nCommands:\n", prefix)
	}
	width := 0 // the longest name, so that every command's flags start in one column
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		if strings.HasPrefix(c.name, prefix) {
			fmt.Fprintf(&b, "  %-*s %s\n  %-*s   %s\n", width, c.name, c.args, width, "", c.about)
		}
	}
	b.WriteString("\nRun \"minsheng CMD -h\" (or \"minsheng help CMD\") for the flags of one command.\n")
	if prefix == "" {
		b.WriteString("Every command takes -db FILE (env MINSHENG_DB; default " + defaultDB + "): give the same one the portal runs with.\n")
	}
	return b.String()
}

// helpCommand handles "minsheng help [CMD]".
func helpCommand(args []string, run func(args []string) error) error {
	if len(args) == 0 || (len(args) == 1 && (args[0] == "help" || isHelpFlag(args[0]))) {
		return helpShown{commandList("")}
	}
	// "help user add" is "user add -h". Only command names are taken: "help backup -o"
	// would make -h the value of -o and run the backup.
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return usagef("help: %q: write \"minsheng help CMD\" or \"minsheng CMD -h\".", a)
		}
	}
	err := run(append(append([]string{}, args...), "-h"))
	var h helpShown
	if errors.As(err, &h) || exitCode(err) == 2 {
		return err
	}
	return usagef("help: %q is not a command. %s", strings.Join(args, " "), knownCommands())
}

// knownCommands is the sentence that ends an "unknown command" message.
func knownCommands() string {
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
	}
	return "The commands are: " + strings.Join(names, ", ") + ". \"minsheng help\" says what each does."
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
