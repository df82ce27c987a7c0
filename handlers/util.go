package handlers

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
