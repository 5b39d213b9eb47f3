//! TCP, UDP, raw, SCTP and MPTCP sockets (`inet_diag`): the dump and get
//! requests, `SOCK_DESTROY`, and the reply with its extensions.
//!
//! A reply is `struct inet_diag_msg` (72 bytes: state, timer, the socket
//! id, queues, uid, inode) then attributes, one per extension asked for
//! in `idiag_ext` ([`Extensions`]) plus some the kernel adds on its own
//! (mark and class id for privileged callers, cgroup id, v6only).
//!
//! ```text
//! +--------------------+------------------+---------------------------+
//! | nlmsghdr (16)      | inet_diag_msg(72)| INET_DIAG_* attributes    |
//! +--------------------+------------------+---------------------------+
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bitflags::bitflags;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder, read_tolerant};

use crate::bytecode::Filter;
use crate::error::{Error, Result, header, parse_msg};
use crate::tcp_info::TcpInfo;
use crate::uapi::inet_diag::*;
use crate::uapi::sock_diag::{SOCK_DESTROY, SOCK_DIAG_BY_FAMILY};
use crate::uapi::tcp;
use crate::{AF_INET, AF_INET6, SkMemInfo};

/// `IPPROTO_TCP`.
pub const IPPROTO_TCP: u8 = 6;
/// `IPPROTO_UDP`.
pub const IPPROTO_UDP: u8 = 17;
/// `IPPROTO_UDPLITE`.
pub const IPPROTO_UDPLITE: u8 = 136;
/// `IPPROTO_SCTP`.
pub const IPPROTO_SCTP: u8 = 132;
/// `IPPROTO_DCCP`.
pub const IPPROTO_DCCP: u8 = 33;
/// `IPPROTO_RAW`: raw sockets of every protocol (`sdiag_raw_protocol`).
pub const IPPROTO_RAW: u8 = 255;
/// `IPPROTO_MPTCP` (does not fit `sdiag_protocol`: sent in
/// `INET_DIAG_REQ_PROTOCOL`).
pub const IPPROTO_MPTCP: u32 = 262;

nl_wire::kernel_enum! {
    /// A socket's state (`idiag_state`, `udiag_state`): the kernel's TCP
    /// states, which UDP, raw and unix sockets reuse. The words are the
    /// ones `ss` prints; `ss`'s filter words (`established` ...) are
    /// accepted too.
    pub enum TcpState: u8, "state", Error {
        /// `TCP_ESTABLISHED` (also a connected UDP or unix socket).
        Established = tcp::TCP_ESTABLISHED => "ESTAB" | "established",
        /// `TCP_SYN_SENT`.
        SynSent = tcp::TCP_SYN_SENT => "SYN-SENT" | "syn-sent",
        /// `TCP_SYN_RECV`.
        SynRecv = tcp::TCP_SYN_RECV => "SYN-RECV" | "syn-recv",
        /// `TCP_FIN_WAIT1`.
        FinWait1 = tcp::TCP_FIN_WAIT1 => "FIN-WAIT-1" | "fin-wait-1",
        /// `TCP_FIN_WAIT2`.
        FinWait2 = tcp::TCP_FIN_WAIT2 => "FIN-WAIT-2" | "fin-wait-2",
        /// `TCP_TIME_WAIT`.
        TimeWait = tcp::TCP_TIME_WAIT => "TIME-WAIT" | "time-wait",
        /// `TCP_CLOSE`: an unconnected UDP, raw or unix socket.
        Close = tcp::TCP_CLOSE => "UNCONN" | "closed" | "unconnected",
        /// `TCP_CLOSE_WAIT`.
        CloseWait = tcp::TCP_CLOSE_WAIT => "CLOSE-WAIT" | "close-wait",
        /// `TCP_LAST_ACK`.
        LastAck = tcp::TCP_LAST_ACK => "LAST-ACK" | "last-ack",
        /// `TCP_LISTEN`.
        Listen = tcp::TCP_LISTEN => "LISTEN" | "listening",
        /// `TCP_CLOSING`.
        Closing = tcp::TCP_CLOSING => "CLOSING" | "closing",
        /// `TCP_NEW_SYN_RECV`: a request socket (ss shows it as SYN-RECV).
        NewSynRecv = tcp::TCP_NEW_SYN_RECV => "NEW-SYN-RECV",
        /// `TCP_BOUND_INACTIVE` (Linux 6.9): bound, neither listening nor
        /// connected.
        BoundInactive = tcp::TCP_BOUND_INACTIVE => "BOUND-INACTIVE" | "bound-inactive",
    }
}

impl TcpState {
    /// This state's bit in a [`States`] mask.
    pub fn bit(self) -> States {
        let raw = u8::from(self);
        if raw < 32 {
            States::from_bits_retain(1 << raw)
        } else {
            States::empty()
        }
    }
}

bitflags! {
    /// Which states a dump returns (`idiag_states`, `udiag_states`): one
    /// bit per [`TcpState`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct States: u32 {
        /// `ESTAB`.
        const ESTABLISHED = 1 << tcp::TCP_ESTABLISHED;
        /// `SYN-SENT`.
        const SYN_SENT = 1 << tcp::TCP_SYN_SENT;
        /// `SYN-RECV`.
        const SYN_RECV = 1 << tcp::TCP_SYN_RECV;
        /// `FIN-WAIT-1`.
        const FIN_WAIT1 = 1 << tcp::TCP_FIN_WAIT1;
        /// `FIN-WAIT-2`.
        const FIN_WAIT2 = 1 << tcp::TCP_FIN_WAIT2;
        /// `TIME-WAIT`.
        const TIME_WAIT = 1 << tcp::TCP_TIME_WAIT;
        /// `UNCONN`.
        const CLOSE = 1 << tcp::TCP_CLOSE;
        /// `CLOSE-WAIT`.
        const CLOSE_WAIT = 1 << tcp::TCP_CLOSE_WAIT;
        /// `LAST-ACK`.
        const LAST_ACK = 1 << tcp::TCP_LAST_ACK;
        /// `LISTEN`.
        const LISTEN = 1 << tcp::TCP_LISTEN;
        /// `CLOSING`.
        const CLOSING = 1 << tcp::TCP_CLOSING;
        /// Request sockets (half-open connections of a listener).
        const NEW_SYN_RECV = 1 << tcp::TCP_NEW_SYN_RECV;
        /// Bound and inactive (Linux 6.9).
        const BOUND_INACTIVE = 1 << tcp::TCP_BOUND_INACTIVE;
    }
}

impl States {
    /// Every state (`ss -a`): all 32 bits, as `ss` and the Go library send.
    pub const ALL: States = States::from_bits_retain(u32::MAX);
    /// `ss`'s default: every state but listening, closed, time-wait and
    /// syn-recv (`SS_CONN`).
    pub const CONNECTED: States = States::from_bits_retain(
        !(States::LISTEN.bits()
            | States::CLOSE.bits()
            | States::TIME_WAIT.bits()
            | States::SYN_RECV.bits()),
    );
    /// `ss -l`: listening TCP sockets and unconnected UDP/raw/unix ones.
    pub const LISTENING: States =
        States::from_bits_retain(States::LISTEN.bits() | States::CLOSE.bits());

    /// `ss`'s state filter word: a state (`established`, `listening` ...)
    /// or one of its groups (`all`, `connected`, `synchronized`, `bucket`,
    /// `big`).
    pub fn from_word(word: &str) -> Result<States> {
        let w = word.to_ascii_lowercase();
        Ok(match w.as_str() {
            "all" => States::ALL,
            "connected" => States::CONNECTED,
            // Connected and past the handshake.
            "synchronized" => States::CONNECTED.difference(States::SYN_SENT),
            // Sockets that are only table entries.
            "bucket" => States::SYN_RECV.union(States::TIME_WAIT),
            "big" => States::ALL.difference(States::SYN_RECV.union(States::TIME_WAIT)),
            _ => w.parse::<TcpState>()?.bit(),
        })
    }
}

bitflags! {
    /// Extensions asked for in `idiag_ext`: bit `INET_DIAG_x - 1` asks
    /// for attribute `INET_DIAG_x`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Extensions: u8 {
        /// `INET_DIAG_MEMINFO`: queue memory (`struct inet_diag_meminfo`).
        const MEMINFO = 1 << (INET_DIAG_MEMINFO - 1);
        /// `INET_DIAG_INFO`: `struct tcp_info` for TCP.
        const INFO = 1 << (INET_DIAG_INFO - 1);
        /// `INET_DIAG_VEGASINFO`, also asks for DCTCP and BBR info.
        const VEGASINFO = 1 << (INET_DIAG_VEGASINFO - 1);
        /// `INET_DIAG_CONG`: the congestion control's name.
        const CONG = 1 << (INET_DIAG_CONG - 1);
        /// `INET_DIAG_TOS`.
        const TOS = 1 << (INET_DIAG_TOS - 1);
        /// `INET_DIAG_TCLASS`, also asks for the class id.
        const TCLASS = 1 << (INET_DIAG_TCLASS - 1);
        /// `INET_DIAG_SKMEMINFO`: the socket's memory counters.
        const SKMEMINFO = 1 << (INET_DIAG_SKMEMINFO - 1);
        /// `INET_DIAG_SHUTDOWN`.
        const SHUTDOWN = 1 << (INET_DIAG_SHUTDOWN - 1);
    }
}

impl Extensions {
    /// What `ss -i` asks for: tcp_info, congestion name and its info.
    pub const TCP_INFO: Extensions = Extensions::INFO
        .union(Extensions::VEGASINFO)
        .union(Extensions::CONG);
}

/// The protocol of an inet socket listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InetProto {
    /// TCP (`ss -t`).
    Tcp,
    /// UDP (`ss -u`).
    Udp,
    /// UDP-Lite.
    UdpLite,
    /// SCTP (`ss -S`; needs the `sctp_diag` module).
    Sctp,
    /// DCCP (`ss -d`; gone from Linux 6.16).
    Dccp,
    /// MPTCP (`ss -M`; needs `mptcp_diag`).
    Mptcp,
    /// Raw sockets (`ss -w`; needs `raw_diag`). The protocol is
    /// `sdiag_raw_protocol`, which finds the socket of a get or destroy
    /// ([`IPPROTO_RAW`]: any); a dump lists every raw socket whatever it
    /// says, and in every state (raw_diag reads neither).
    Raw(u8),
}

impl InetProto {
    /// `sdiag_protocol`, the pad byte (`sdiag_raw_protocol`), and
    /// `INET_DIAG_REQ_PROTOCOL` when the protocol does not fit a byte.
    fn request(self) -> (u8, u8, Option<u32>) {
        match self {
            InetProto::Tcp => (IPPROTO_TCP, 0, None),
            InetProto::Udp => (IPPROTO_UDP, 0, None),
            InetProto::UdpLite => (IPPROTO_UDPLITE, 0, None),
            InetProto::Sctp => (IPPROTO_SCTP, 0, None),
            InetProto::Dccp => (IPPROTO_DCCP, 0, None),
            // The kernel picks the handler from the attribute (as ss sends it).
            InetProto::Mptcp => (IPPROTO_TCP, 0, Some(IPPROTO_MPTCP)),
            InetProto::Raw(p) => (IPPROTO_RAW, p, None),
        }
    }

    /// Whether `INET_DIAG_INFO` holds a `struct tcp_info` (TCP only; SCTP
    /// and MPTCP send their own structs).
    fn info_is_tcp(self) -> bool {
        self == InetProto::Tcp
    }

    /// The name `ss` prints in its `Netid` column.
    pub fn netid(self) -> &'static str {
        match self {
            InetProto::Tcp => "tcp",
            InetProto::Udp => "udp",
            InetProto::UdpLite => "udplite",
            InetProto::Sctp => "sctp",
            InetProto::Dccp => "dccp",
            InetProto::Mptcp => "mptcp",
            InetProto::Raw(_) => "raw",
        }
    }
}

/// A socket's identity (`struct inet_diag_sockid`): both ends, the bound
/// device and the kernel's cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SockId {
    /// The local address and port.
    pub src: SocketAddr,
    /// The remote address and port (unspecified for a listener).
    pub dst: SocketAddr,
    /// The device it is bound to, 0 for none.
    pub ifindex: u32,
    /// The kernel's socket cookie, [`SockId::NO_COOKIE`] in a request
    /// that finds the socket by its addresses alone.
    pub cookie: u64,
}

impl SockId {
    /// `INET_DIAG_NOCOOKIE` in both halves.
    pub const NO_COOKIE: u64 = u64::MAX;

    /// The id of the socket from `src` to `dst`, any device, any cookie.
    pub fn new(src: SocketAddr, dst: SocketAddr) -> Self {
        SockId {
            src,
            dst,
            ifindex: 0,
            cookie: SockId::NO_COOKIE,
        }
    }

    fn from_raw(raw: &InetDiagSockId, family: u8) -> Self {
        let ip = |b: &[u8; 16]| -> IpAddr {
            if family == AF_INET6 {
                IpAddr::V6(Ipv6Addr::from(*b))
            } else {
                IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
            }
        };
        let [lo, hi] = raw.idiag_cookie;
        SockId {
            src: SocketAddr::new(ip(&raw.idiag_src), raw.idiag_sport.get()),
            dst: SocketAddr::new(ip(&raw.idiag_dst), raw.idiag_dport.get()),
            ifindex: raw.idiag_if.get(),
            cookie: u64::from(lo.get()) | (u64::from(hi.get()) << 32),
        }
    }

    fn to_raw(self) -> InetDiagSockId {
        let bytes = |a: IpAddr| -> [u8; 16] {
            match a {
                IpAddr::V4(v4) => {
                    let [a, b, c, d] = v4.octets();
                    [a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
                }
                IpAddr::V6(v6) => v6.octets(),
            }
        };
        InetDiagSockId {
            idiag_sport: self.src.port().into(),
            idiag_dport: self.dst.port().into(),
            idiag_src: bytes(self.src.ip()),
            idiag_dst: bytes(self.dst.ip()),
            idiag_if: self.ifindex.into(),
            idiag_cookie: [
                (self.cookie as u32).into(),
                ((self.cookie >> 32) as u32).into(),
            ],
        }
    }

    /// The family of its addresses; an error when they mix families.
    fn family(&self) -> Result<u8> {
        match (self.src, self.dst) {
            (SocketAddr::V4(_), SocketAddr::V4(_)) => Ok(AF_INET),
            (SocketAddr::V6(_), SocketAddr::V6(_)) => Ok(AF_INET6),
            _ => Err(Error::invalid(
                "socket id",
                format!("{} and {} are not of one family", self.src, self.dst),
            )),
        }
    }
}

/// A dump request for inet sockets: `ss -t`, `ss -u` ... with a state
/// mask, extensions and an optional kernel-side [`Filter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InetDump {
    /// `AF_INET` or `AF_INET6` (one per request: the kernel has no
    /// "both"; the facade sends two).
    pub family: u8,
    /// The protocol.
    pub protocol: InetProto,
    /// The states to list.
    pub states: States,
    /// The extensions each reply carries.
    pub ext: Extensions,
    /// A filter the kernel runs on each socket (its bytecode).
    pub filter: Option<Filter>,
}

impl InetDump {
    /// Every socket of `protocol` in `family`, no extensions, no filter.
    pub fn new(family: u8, protocol: InetProto) -> Self {
        InetDump {
            family,
            protocol,
            states: States::ALL,
            ext: Extensions::empty(),
            filter: None,
        }
    }

    /// Only sockets in `states`.
    pub fn states(mut self, states: States) -> Self {
        self.states = states;
        self
    }

    /// With the extensions `ext`.
    pub fn ext(mut self, ext: Extensions) -> Self {
        self.ext = ext;
        self
    }

    /// Only sockets that pass `filter` (run in the kernel).
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Appends the dump request (`SOCK_DIAG_BY_FAMILY`, `NLM_F_DUMP`).
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        check_family(self.family)?;
        let code = match &self.filter {
            Some(f) => Some(f.compile()?),
            None => None,
        };
        let (proto, raw, req_proto) = self.protocol.request();
        let hdr = InetDiagReqV2 {
            sdiag_family: self.family,
            sdiag_protocol: proto,
            idiag_ext: self.ext.bits(),
            pad: raw,
            idiag_states: self.states.bits().into(),
            id: InetDiagSockId::default(),
        };
        let mut m = MsgBuilder::new(buf, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&hdr);
        // An empty program passes everything; the kernel refuses it.
        if let Some(code) = code.as_ref().filter(|c| !c.is_empty()) {
            m.put_bytes(INET_DIAG_REQ_BYTECODE, code);
        }
        if let Some(p) = req_proto {
            m.put_u32(INET_DIAG_REQ_PROTOCOL, p);
        }
        m.finish()?;
        Ok(())
    }
}

fn check_family(family: u8) -> Result<()> {
    if family == AF_INET || family == AF_INET6 {
        Ok(())
    } else {
        Err(Error::invalid(
            "family",
            format!("{family} is neither AF_INET (2) nor AF_INET6 (10)"),
        ))
    }
}

/// Appends a request for the one socket `id` of `protocol` (the Go
/// library's `SocketGet`), with the extensions `ext`.
pub fn write_get(
    id: &SockId,
    protocol: InetProto,
    ext: Extensions,
    buf: &mut Vec<u8>,
) -> Result<()> {
    write_one(id, protocol, ext, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, buf)
}

/// Appends a `SOCK_DESTROY` request for the socket `id` (the Go
/// library's `SocketDestroy`, `ss -K`): the kernel aborts it as if by a
/// reset (the owner's calls fail with `ECONNABORTED`). Needs
/// `CONFIG_INET_DIAG_DESTROY` and `CAP_NET_ADMIN`.
pub fn write_destroy(id: &SockId, protocol: InetProto, buf: &mut Vec<u8>) -> Result<()> {
    write_one(
        id,
        protocol,
        Extensions::empty(),
        SOCK_DESTROY,
        NLM_F_REQUEST | NLM_F_ACK,
        buf,
    )
}

fn write_one(
    id: &SockId,
    protocol: InetProto,
    ext: Extensions,
    ty: u16,
    flags: u16,
    buf: &mut Vec<u8>,
) -> Result<()> {
    let family = id.family()?;
    let (proto, raw, req_proto) = protocol.request();
    let hdr = InetDiagReqV2 {
        sdiag_family: family,
        sdiag_protocol: proto,
        idiag_ext: ext.bits(),
        pad: raw,
        idiag_states: States::ALL.bits().into(),
        id: id.to_raw(),
    };
    let mut m = MsgBuilder::new(buf, ty, flags);
    m.header(&hdr);
    if let Some(p) = req_proto {
        m.put_u32(INET_DIAG_REQ_PROTOCOL, p);
    }
    m.finish()?;
    Ok(())
}

/// Queue memory (`struct inet_diag_meminfo`, `INET_DIAG_MEMINFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemInfo {
    /// Receive queue bytes.
    pub rmem: u32,
    /// Write queue bytes not yet sent.
    pub wmem: u32,
    /// Forward-allocated bytes.
    pub fmem: u32,
    /// Bytes queued for transmission.
    pub tmem: u32,
}

/// The congestion control's own info (`INET_DIAG_VEGASINFO`,
/// `INET_DIAG_DCTCPINFO`, `INET_DIAG_BBRINFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CcInfo {
    /// `struct tcpvegas_info`.
    Vegas {
        /// `tcpv_enabled`.
        enabled: u32,
        /// `tcpv_rttcnt`.
        rtt_count: u32,
        /// `tcpv_rtt`, microseconds.
        rtt: u32,
        /// `tcpv_minrtt`, microseconds.
        min_rtt: u32,
    },
    /// `struct tcp_dctcp_info`.
    Dctcp {
        /// `dctcp_enabled`.
        enabled: u16,
        /// `dctcp_ce_state`.
        ce_state: u16,
        /// `dctcp_alpha`.
        alpha: u32,
        /// `dctcp_ab_ecn`.
        ab_ecn: u32,
        /// `dctcp_ab_tot`.
        ab_tot: u32,
    },
    /// `struct tcp_bbr_info`.
    Bbr {
        /// Bottleneck bandwidth estimate, bytes per second.
        bw: u64,
        /// `bbr_min_rtt`, microseconds.
        min_rtt: u32,
        /// `bbr_pacing_gain`, shifted left 8 bits.
        pacing_gain: u32,
        /// `bbr_cwnd_gain`, shifted left 8 bits.
        cwnd_gain: u32,
    },
}

/// An inet socket as `sock_diag` reports it (the Go library's `Socket`
/// plus its `TCPInfo`/`TCPBBRInfo`, and the other extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InetSocket {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// The state.
    pub state: TcpState,
    /// Which timer runs (`idiag_timer`: 0 none, 1 retransmit, 2
    /// keepalive, 3 time-wait, 4 zero-window probe).
    pub timer: u8,
    /// Retransmissions (or keepalive probes) of that timer.
    pub retrans: u8,
    /// Both ends, device and cookie.
    pub id: SockId,
    /// Milliseconds until the timer fires.
    pub expires: u32,
    /// Receive queue: unread bytes, or the accept backlog of a listener.
    pub rqueue: u32,
    /// Send queue: unacknowledged bytes, or the backlog limit of a listener.
    pub wqueue: u32,
    /// Owner's uid.
    pub uid: u32,
    /// Inode of the socket (0 for request and time-wait sockets).
    pub inode: u32,
    /// `INET_DIAG_MEMINFO`.
    pub meminfo: Option<MemInfo>,
    /// `INET_DIAG_SKMEMINFO`.
    pub skmeminfo: Option<SkMemInfo>,
    /// `INET_DIAG_INFO` of a TCP socket.
    pub tcp_info: Option<TcpInfo>,
    /// `INET_DIAG_CONG`: the congestion control (`cubic` ...).
    pub congestion: Option<String>,
    /// Vegas, DCTCP or BBR state.
    pub cc_info: Option<CcInfo>,
    /// `INET_DIAG_TOS`.
    pub tos: Option<u8>,
    /// `INET_DIAG_TCLASS`.
    pub tclass: Option<u8>,
    /// `INET_DIAG_SHUTDOWN`: bit 0 receive side, bit 1 send side.
    pub shutdown: Option<u8>,
    /// `INET_DIAG_MARK` (the kernel sends it to `CAP_NET_ADMIN` only).
    pub mark: Option<u32>,
    /// `INET_DIAG_CLASS_ID` (net_cls class or priority).
    pub class_id: Option<u32>,
    /// `INET_DIAG_CGROUP_ID`: the cgroup v2 id.
    pub cgroup_id: Option<u64>,
    /// `INET_DIAG_PROTOCOL`.
    pub protocol: Option<u8>,
    /// `INET_DIAG_SKV6ONLY`: an IPv6 socket refusing IPv4.
    pub v6only: Option<bool>,
    /// `INET_DIAG_ULP_INFO`'s name (`tls`, `mptcp`).
    pub ulp: Option<String>,
}

impl InetSocket {
    /// Reads a reply to a request of `protocol` (which says what
    /// `INET_DIAG_INFO` holds). Unknown attributes are skipped.
    pub fn parse(msg: &Msg<'_>, protocol: InetProto) -> Result<InetSocket> {
        let hdr: &InetDiagMsg = header(msg, "struct inet_diag_msg")?;
        let family = hdr.idiag_family;
        let mut s = InetSocket {
            family,
            state: TcpState::from(hdr.idiag_state),
            timer: hdr.idiag_timer,
            retrans: hdr.idiag_retrans,
            id: SockId::from_raw(&hdr.id, family),
            expires: hdr.idiag_expires.get(),
            rqueue: hdr.idiag_rqueue.get(),
            wqueue: hdr.idiag_wqueue.get(),
            uid: hdr.idiag_uid.get(),
            inode: hdr.idiag_inode.get(),
            meminfo: None,
            skmeminfo: None,
            tcp_info: None,
            congestion: None,
            cc_info: None,
            tos: None,
            tclass: None,
            shutdown: None,
            mark: None,
            class_id: None,
            cgroup_id: None,
            protocol: None,
            v6only: None,
            ulp: None,
        };
        parse_msg(msg, || {
            msg.attrs::<InetDiagMsg>().decode(|a| {
                match a.ty() {
                    INET_DIAG_MEMINFO => {
                        let m: InetDiagMeminfo = a.read();
                        s.meminfo = Some(MemInfo {
                            rmem: m.idiag_rmem.get(),
                            wmem: m.idiag_wmem.get(),
                            fmem: m.idiag_fmem.get(),
                            tmem: m.idiag_tmem.get(),
                        });
                    }
                    INET_DIAG_INFO if protocol.info_is_tcp() => {
                        s.tcp_info = Some(TcpInfo::from_bytes(a.payload()));
                    }
                    INET_DIAG_CONG => s.congestion = Some(a.cstr()?.to_owned()),
                    INET_DIAG_TOS => s.tos = Some(a.u8()?),
                    INET_DIAG_TCLASS => s.tclass = Some(a.u8()?),
                    INET_DIAG_SKMEMINFO => s.skmeminfo = Some(SkMemInfo::from_bytes(a.payload())),
                    INET_DIAG_SHUTDOWN => s.shutdown = Some(a.u8()?),
                    INET_DIAG_VEGASINFO => {
                        let v: TcpvegasInfo = a.read();
                        s.cc_info = Some(CcInfo::Vegas {
                            enabled: v.tcpv_enabled.get(),
                            rtt_count: v.tcpv_rttcnt.get(),
                            rtt: v.tcpv_rtt.get(),
                            min_rtt: v.tcpv_minrtt.get(),
                        });
                    }
                    INET_DIAG_DCTCPINFO => {
                        let d: TcpDctcpInfo = a.read();
                        s.cc_info = Some(CcInfo::Dctcp {
                            enabled: d.dctcp_enabled.get(),
                            ce_state: d.dctcp_ce_state.get(),
                            alpha: d.dctcp_alpha.get(),
                            ab_ecn: d.dctcp_ab_ecn.get(),
                            ab_tot: d.dctcp_ab_tot.get(),
                        });
                    }
                    INET_DIAG_BBRINFO => {
                        let b: TcpBbrInfo = a.read();
                        s.cc_info = Some(CcInfo::Bbr {
                            bw: u64::from(b.bbr_bw_lo.get()) | (u64::from(b.bbr_bw_hi.get()) << 32),
                            min_rtt: b.bbr_min_rtt.get(),
                            pacing_gain: b.bbr_pacing_gain.get(),
                            cwnd_gain: b.bbr_cwnd_gain.get(),
                        });
                    }
                    INET_DIAG_PROTOCOL => s.protocol = Some(a.u8()?),
                    INET_DIAG_SKV6ONLY => s.v6only = Some(a.u8()? != 0),
                    INET_DIAG_MARK => s.mark = Some(a.u32()?),
                    INET_DIAG_CLASS_ID => s.class_id = Some(a.u32()?),
                    INET_DIAG_CGROUP_ID => s.cgroup_id = Some(a.u64()?),
                    INET_DIAG_ULP_INFO => {
                        if let Some(name) = a.nested().get(INET_ULP_INFO_NAME)? {
                            s.ulp = Some(name.cstr()?.to_owned());
                        }
                    }
                    _ => {}
                }
                Ok(())
            })
        })?;
        Ok(s)
    }

    /// The local address and port.
    pub fn local(&self) -> SocketAddr {
        self.id.src
    }

    /// The remote address and port.
    pub fn remote(&self) -> SocketAddr {
        self.id.dst
    }
}

/// A reply read in place: the fixed header by reference, attributes
/// looked up in the receive buffer when asked for. Nothing is copied or
/// allocated until an accessor returns a value; [`InetSocket::parse`]
/// reads everything at once instead.
#[derive(Debug, Clone)]
pub struct InetMsg<'a> {
    hdr: &'a InetDiagMsg,
    attrs: nl_wire::Attrs<'a>,
    msg_type: u16,
}

impl<'a> InetMsg<'a> {
    /// The view of `msg`; [`Error::Truncated`] when it is shorter than
    /// `struct inet_diag_msg`.
    pub fn new(msg: &Msg<'a>) -> Result<Self> {
        Ok(InetMsg {
            hdr: header(msg, "struct inet_diag_msg")?,
            attrs: msg.attrs::<InetDiagMsg>(),
            msg_type: msg.ty(),
        })
    }

    /// `AF_INET` or `AF_INET6`.
    pub fn family(&self) -> u8 {
        self.hdr.idiag_family
    }

    /// The state.
    pub fn state(&self) -> TcpState {
        TcpState::from(self.hdr.idiag_state)
    }

    /// Both ends, device and cookie.
    pub fn id(&self) -> SockId {
        SockId::from_raw(&self.hdr.id, self.hdr.idiag_family)
    }

    /// Receive queue (a listener's accept backlog).
    pub fn rqueue(&self) -> u32 {
        self.hdr.idiag_rqueue.get()
    }

    /// Send queue (a listener's backlog limit).
    pub fn wqueue(&self) -> u32 {
        self.hdr.idiag_wqueue.get()
    }

    /// Owner's uid.
    pub fn uid(&self) -> u32 {
        self.hdr.idiag_uid.get()
    }

    /// Inode.
    pub fn inode(&self) -> u32 {
        self.hdr.idiag_inode.get()
    }

    /// The raw header (timer, retransmissions, expiry ...).
    pub fn header(&self) -> &'a InetDiagMsg {
        self.hdr
    }

    /// The first attribute of type `ty` (`INET_DIAG_*`), if any.
    pub fn attr(&self, ty: u16) -> Result<Option<nl_wire::Attr<'a>>> {
        self.attrs.get(ty).map_err(|source| Error::Wire {
            msg_type: self.msg_type,
            attr: None,
            source,
        })
    }

    /// `INET_DIAG_INFO` read as `struct tcp_info` (ask for it only of TCP
    /// sockets: SCTP and MPTCP send their own structs there).
    pub fn tcp_info(&self) -> Result<Option<TcpInfo>> {
        Ok(self
            .attr(INET_DIAG_INFO)?
            .map(|a| TcpInfo::from_bytes(a.payload())))
    }

    /// `INET_DIAG_CONG`, borrowed from the buffer.
    pub fn congestion(&self) -> Result<Option<&'a str>> {
        match self.attr(INET_DIAG_CONG)? {
            Some(a) => a.cstr().map(Some).map_err(|source| Error::Wire {
                msg_type: self.msg_type,
                attr: Some(INET_DIAG_CONG),
                source,
            }),
            None => Ok(None),
        }
    }
}

/// A reply's state and id, read without the attributes (for callers that
/// only sort or count sockets).
pub fn peek(msg: &Msg<'_>) -> Result<(TcpState, SockId)> {
    let hdr: &InetDiagMsg = header(msg, "struct inet_diag_msg")?;
    Ok((
        TcpState::from(hdr.idiag_state),
        SockId::from_raw(&hdr.id, hdr.idiag_family),
    ))
}

impl SkMemInfo {
    /// Reads `__u32[SK_MEMINFO_VARS]`, tolerant of fewer (older kernels)
    /// or more (newer) counters.
    pub fn from_bytes(bytes: &[u8]) -> SkMemInfo {
        let raw: crate::uapi::sock_diag::SkMemInfoRaw = read_tolerant(bytes);
        let [
            rmem_alloc,
            rcvbuf,
            wmem_alloc,
            sndbuf,
            fwd_alloc,
            wmem_queued,
            optmem,
            backlog,
            drops,
        ] = raw.vars.map(|v| v.get());
        SkMemInfo {
            rmem_alloc,
            rcvbuf,
            wmem_alloc,
            sndbuf,
            fwd_alloc,
            wmem_queued,
            optmem,
            backlog,
            drops,
        }
    }
}
