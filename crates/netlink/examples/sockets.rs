//! Socket diagnostics, the way a service agent uses them: list TCP
//! connections with their tcp_info (`ss -tni`), pick some with a filter
//! the kernel runs (`ss 'sport = :PORT'`), count unix sockets (`ss -x`),
//! and kill one connection (`ss -K`): its peer sees a reset.
//!
//! ```text
//! cargo run -p netlink --features diag --example sockets
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root) and opens the sockets it
//! lists there, so it touches nothing on the host.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;

use anyhow::{Context, Result, ensure};
use netlink::nl_diag::{Extensions, Filter, InetDump, InetProto, States};
use netlink::{AF_INET, Handle};

fn main() -> Result<()> {
    private_netns()?;
    let h = Handle::new()?;
    let lo = h.link_by_name("lo")?;
    h.link_set_up(&lo)?;
    h.addr_add(&lo, &"192.0.2.1/24".parse()?)?;
    let listener = TcpListener::bind("192.0.2.1:8080")?;
    let mut client = TcpStream::connect("192.0.2.1:8080")?;
    let (server, peer) = listener.accept()?;
    let _pair = UnixStream::pair()?;

    // ss -tni: every TCP socket, with tcp_info (the Go library's SocketDiagTCPInfo)
    for s in h.socket_diag_tcp_info(AF_INET)? {
        let info = s.tcp_info.context("tcp_info")?;
        println!(
            "{} {} -> {} rtt {}us cwnd {} {}",
            s.state,
            s.local(),
            s.remote(),
            info.rtt,
            info.snd_cwnd,
            s.congestion.as_deref().unwrap_or("-")
        );
    }
    // ss -tn state established 'sport = :8080': the kernel filters
    let dump = InetDump::new(AF_INET, InetProto::Tcp)
        .states(States::ESTABLISHED)
        .ext(Extensions::MEMINFO)
        .filter(Filter::sport_eq(8080));
    let served = h.inet_diag(&dump)?;
    println!("connections served on 8080: {}", served.len());
    // ss -x: unix sockets (the Go library's UnixSocketDiag)
    println!("unix sockets: {}", h.unix_socket_diag()?.len());
    // ss -K dst CLIENT: the Go library's SocketDestroy
    h.socket_destroy(server.local_addr()?, peer)?;
    let mut buf = [0u8; 16];
    let err = client
        .read(&mut buf)
        .err()
        .context("the client was not reset")?;
    ensure!(err.kind() == std::io::ErrorKind::ConnectionReset, "{err}");
    println!(
        "destroyed {} -> {}: the client got {err}",
        server.local_addr()?,
        peer
    );
    Ok(())
}

fn private_netns() -> Result<()> {
    if std::env::args().any(|a| a == "--here") {
        return Ok(());
    }
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .context("unshare(CLONE_NEWNET) needs root; --here runs in this namespace instead")
}
