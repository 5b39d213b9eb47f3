// Socket diagnostics (NETLINK_SOCK_DIAG, the Go library's SocketGet,
// SocketDestroy, SocketDiagTCP(Info), SocketDiagUDP(Info),
// UnixSocketDiag(Info), SocketDiagXDP, SocketXDPGetInfo): what `ss` lists.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use std::net::SocketAddr;

use nl_diag::{
    Extensions, InetDump, InetProto, InetSocket, Show, SockId, UnixDump, UnixSocket, XdpSocket,
    inet, is_diag, xdp,
};
use nl_wire::netlink::NETLINK_SOCK_DIAG;

use crate::ErrorKind;
use crate::error::{Error, Result};

const SOCK_DIAG: i32 = NETLINK_SOCK_DIAG;

/// `AF_INET` and `AF_INET6` for `AF_UNSPEC` (the kernel lists one family
/// per request), else the family itself (nl-diag refuses what is not inet).
fn families(family: u8) -> Vec<u8> {
    if family == 0 {
        vec![nl_diag::AF_INET, nl_diag::AF_INET6]
    } else {
        vec![family]
    }
}

/// The words errors use for a socket: `tcp 192.0.2.1:80 -> 192.0.2.2:4000`.
fn named(id: &SockId, proto: InetProto) -> String {
    format!("socket {} {} -> {}", proto.netid(), id.src, id.dst)
}

fn not_found_or(e: Error, what: impl FnOnce() -> String) -> Error {
    if e.kind() == ErrorKind::NotFound {
        let source = e.netlink().cloned();
        Error::not_found(what(), source)
    } else {
        e.about(what())
    }
}

impl H {
    call! {
        /// The inet sockets `dump` asks for (protocol, family, states,
        /// extensions, kernel filter): the general form of
        /// [`Handle::socket_diag_tcp`] and friends. An `AF_UNSPEC`
        /// family lists IPv4, then IPv6.
        pub fn inet_diag(&self, dump: &InetDump) -> Result<Vec<InetSocket>> {
            let mut out = Vec::new();
            for family in families(dump.family) {
                let d = InetDump { family, ..dump.clone() };
                let proto = d.protocol;
                let mut part = run!(self.do_dump_into(
                    SOCK_DIAG,
                    |b| Ok(d.write(b)?),
                    |m, out| {
                        if is_diag(&m) {
                            out.push(InetSocket::parse(&m, proto)?);
                        }
                        Ok(())
                    },
                ))
                .map_err(|e| e.about(format_args!("{} socket list", proto.netid())))?;
                // One family (the common case): the listing itself, not a copy.
                if out.is_empty() {
                    out = part;
                } else {
                    out.append(&mut part);
                }
            }
            Ok(out)
        }
    }

    call! {
        /// Streams the inet sockets `dump` asks for to `f` as they are
        /// read: memory stays that of one receive buffer however many
        /// sockets there are. An `AF_UNSPEC` family lists IPv4, then
        /// IPv6. `f` may make other calls on this handle.
        pub fn inet_diag_for_each(
            &self,
            dump: &InetDump,
            mut f: impl FnMut(InetSocket) -> Result<()>,
        ) -> Result<()> {
            for family in families(dump.family) {
                let d = InetDump { family, ..dump.clone() };
                let proto = d.protocol;
                run!(self.do_dump_each(
                    SOCK_DIAG,
                    |b| Ok(d.write(b)?),
                    |m| if is_diag(&m) { f(InetSocket::parse(&m, proto)?) } else { Ok(()) },
                ))?;
            }
            Ok(())
        }
    }

    call! {
        /// Every TCP socket of `family` (`AF_INET`, `AF_INET6`, or
        /// `AF_UNSPEC` for both), any state, without extensions: `ss -tan`,
        /// the Go library's `SocketDiagTCP`.
        pub fn socket_diag_tcp(&self, family: u8) -> Result<Vec<InetSocket>> {
            run!(self.inet_diag(&InetDump::new(family, InetProto::Tcp)))
        }
    }

    call! {
        /// Every TCP socket of `family` with its `tcp_info`, congestion
        /// control name and Vegas/DCTCP/BBR info: `ss -tani`, the Go
        /// library's `SocketDiagTCPInfo` (its `TCPInfo` and `TCPBBRInfo`
        /// are [`InetSocket::tcp_info`] and [`InetSocket::cc_info`]).
        pub fn socket_diag_tcp_info(&self, family: u8) -> Result<Vec<InetSocket>> {
            run!(self.inet_diag(&InetDump::new(family, InetProto::Tcp).ext(Extensions::TCP_INFO)))
        }
    }

    call! {
        /// Every UDP socket of `family` (`ss -uan`; the Go library's
        /// `SocketDiagUDP`).
        pub fn socket_diag_udp(&self, family: u8) -> Result<Vec<InetSocket>> {
            run!(self.inet_diag(&InetDump::new(family, InetProto::Udp)))
        }
    }

    call! {
        /// Every UDP socket of `family` with its memory counters (`ss
        /// -uanm`; the Go library's `SocketDiagUDPInfo`, whose `Memory` is
        /// [`InetSocket::meminfo`]).
        pub fn socket_diag_udp_info(&self, family: u8) -> Result<Vec<InetSocket>> {
            let ext = Extensions::MEMINFO | Extensions::SKMEMINFO;
            run!(self.inet_diag(&InetDump::new(family, InetProto::Udp).ext(ext)))
        }
    }

    call! {
        /// The unix sockets `dump` asks for (states, what each carries,
        /// one inode).
        pub fn unix_diag(&self, dump: &UnixDump) -> Result<Vec<UnixSocket>> {
            run!(self.do_dump_into(
                SOCK_DIAG,
                |b| Ok(dump.write(b)?),
                |m, out| {
                    if is_diag(&m) {
                        out.push(UnixSocket::parse(&m)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about("unix socket list"))
        }
    }

    call! {
        /// Every unix socket with its name, peer, queues, vfs inode and
        /// pending connections: `ss -xa`, the Go library's
        /// `UnixSocketDiag`.
        pub fn unix_socket_diag(&self) -> Result<Vec<UnixSocket>> {
            run!(self.unix_diag(&UnixDump::default()))
        }
    }

    call! {
        /// [`Handle::unix_socket_diag`] plus memory counters and the
        /// owner's uid (`ss -xaem`; the Go library's
        /// `UnixSocketDiagInfo`).
        pub fn unix_socket_diag_info(&self) -> Result<Vec<UnixSocket>> {
            let dump = UnixDump { show: Show::all(), ..UnixDump::default() };
            run!(self.unix_diag(&dump))
        }
    }

    call! {
        /// Every AF_XDP socket with everything `xdp_diag` shows (`ss
        /// --xdp -e`; the Go library's `SocketDiagXDP`). Needs the
        /// `xsk_diag` module (`CONFIG_XDP_SOCKETS_DIAG`).
        pub fn socket_diag_xdp(&self) -> Result<Vec<XdpSocket>> {
            run!(self.do_dump_into(
                SOCK_DIAG,
                |b| Ok(xdp::write_dump(xdp::SHOW_ALL, b)?),
                |m, out| {
                    if is_diag(&m) {
                        out.push(XdpSocket::parse(&m)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about("xdp socket list"))
        }
    }

    call! {
        /// The AF_XDP socket of this inode and cookie (the Go library's
        /// `SocketXDPGetInfo`; the kernel cannot look one up, so this
        /// lists them all and picks it).
        pub fn socket_xdp_get_info(&self, inode: u32, cookie: u64) -> Result<XdpSocket> {
            let all = run!(self.socket_diag_xdp())?;
            all.into_iter()
                .find(|s| s.inode == inode && s.cookie == cookie)
                .ok_or_else(|| Error::not_found(format!("xdp socket inode {inode} cookie {cookie:#x}"), None))
        }
    }

    call! {
        /// One `SOCK_DIAG_BY_FAMILY` get of `id`: the socket the kernel
        /// found, if it answered one.
        fn inet_socket_lookup(
            &self,
            id: &SockId,
            protocol: InetProto,
            ext: Extensions,
        ) -> Result<Option<InetSocket>> {
            let mut found = None;
            run!(self.do_exchange(
                SOCK_DIAG,
                |b| Ok(inet::write_get(id, protocol, ext, b)?),
                |m| {
                    if found.is_none() && is_diag(&m) {
                        found = Some(InetSocket::parse(&m, protocol)?);
                    }
                    Ok(())
                },
            ))?;
            Ok(found)
        }
    }

    call! {
        /// The socket `id` of `protocol`, with the extensions `ext`; not
        /// found is [`ErrorKind::NotFound`]. `id.cookie` may be
        /// [`SockId::NO_COOKIE`]. Only the socket with exactly these ends
        /// is returned (the kernel's lookup also finds a TCP listener or
        /// an unconnected UDP socket for a remote end it does not know).
        pub fn inet_socket_get(
            &self,
            id: &SockId,
            protocol: InetProto,
            ext: Extensions,
        ) -> Result<InetSocket> {
            let udp = matches!(protocol, InetProto::Udp | InetProto::UdpLite);
            let found = match run!(self.inet_socket_lookup(id, protocol, ext)) {
                // udp_dump_one looks the ends up as those of a received
                // datagram (its source is the socket's peer): ask again
                // the other way round.
                Err(e) if udp && e.kind() == ErrorKind::NotFound => {
                    let turned = SockId { src: id.dst, dst: id.src, ..*id };
                    run!(self.inet_socket_lookup(&turned, protocol, ext))
                }
                other => other,
            }
            .map_err(|e| not_found_or(e, || named(id, protocol)))?;
            found
                .filter(|s| s.id.src == id.src && s.id.dst == id.dst)
                .ok_or_else(|| Error::not_found(named(id, protocol), None))
        }
    }

    call! {
        /// The TCP socket from `local` to `remote` with its `tcp_info`
        /// (the Go library's `SocketGet`); not found is
        /// [`ErrorKind::NotFound`].
        pub fn socket_get(&self, local: SocketAddr, remote: SocketAddr) -> Result<InetSocket> {
            let id = SockId::new(local, remote);
            run!(self.inet_socket_get(&id, InetProto::Tcp, Extensions::TCP_INFO))
        }
    }

    call! {
        /// Aborts the socket `id` of `protocol` (`ss -K`): its owner's
        /// next call fails with `ECONNABORTED` and a TCP peer gets a
        /// reset. Needs `CAP_NET_ADMIN` and `CONFIG_INET_DIAG_DESTROY`
        /// (else `EOPNOTSUPP`); not found is [`ErrorKind::NotFound`].
        ///
        /// Without a cookie (`SockId::NO_COOKIE`) the socket is first
        /// looked up and then destroyed by its cookie: the kernel's
        /// lookup by addresses falls back to the listener of the local
        /// address, which a plain request would kill instead of a
        /// connection that is already gone.
        pub fn inet_socket_destroy(&self, id: &SockId, protocol: InetProto) -> Result<()> {
            let exact = if id.cookie == SockId::NO_COOKIE {
                run!(self.inet_socket_get(id, protocol, Extensions::empty()))?.id
            } else {
                *id
            };
            run!(self.do_request(SOCK_DIAG, |b| Ok(inet::write_destroy(&exact, protocol, b)?)))
                .map(drop)
                .map_err(|e| not_found_or(e, || named(id, protocol)))
        }
    }

    call! {
        /// Aborts the TCP connection from `local` to `remote` (the Go
        /// library's `SocketDestroy`; see [`Handle::inet_socket_destroy`]).
        pub fn socket_destroy(&self, local: SocketAddr, remote: SocketAddr) -> Result<()> {
            run!(self.inet_socket_destroy(&SockId::new(local, remote), InetProto::Tcp))
        }
    }
}
