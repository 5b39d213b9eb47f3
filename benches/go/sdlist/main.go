// sdlist lists the IPv4 TCP sockets with their tcp_info using the Go
// library (vishvananda/netlink's SocketDiagTCPInfo), the peer of the
// sock_diag bench. It prints the number of sockets and the time the call
// took, in milliseconds, for each of ROUNDS calls.
//
// Built by benches/benches/sock_diag.rs against Debian's
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
			fmt.Fprintln(os.Stderr, "sdlist [ROUNDS]")
			os.Exit(2)
		}
		rounds = n
	}
	for i := 0; i < rounds; i++ {
		start := time.Now()
		socks, err := netlink.SocketDiagTCPInfo(unix.AF_INET)
		elapsed := time.Since(start)
		if err != nil {
			fmt.Fprintln(os.Stderr, "SocketDiagTCPInfo:", err)
			os.Exit(1)
		}
		withInfo := 0
		for _, s := range socks {
			if s.TCPInfo != nil {
				withInfo++
			}
		}
		fmt.Printf("%d %.3f %d\n", len(socks), float64(elapsed.Nanoseconds())/1e6, withInfo)
	}
}
