// ctlist lists the IPv4 connection tracking table with the Go library
// (vishvananda/netlink's ConntrackTableList), the peer of the conntrack
// bench. It prints the number of entries and the time the call took, in
// milliseconds, for each of ROUNDS calls.
//
// Built by benches/benches/conntrack.rs against Debian's
// golang-github-vishvananda-netlink-dev (GOPATH mode, no network).
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	rounds := 1
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "ctlist [ROUNDS]")
			os.Exit(2)
		}
		rounds = n
	}
	for i := 0; i < rounds; i++ {
		start := time.Now()
		flows, err := netlink.ConntrackTableList(netlink.ConntrackTable, unix.AF_INET)
		elapsed := time.Since(start)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ConntrackTableList:", err)
			os.Exit(1)
		}
		fmt.Printf("%d %.3f\n", len(flows), float64(elapsed.Nanoseconds())/1e6)
	}
}
