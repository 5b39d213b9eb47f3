//! [`Entry`]: one tracked connection, read from a dump, a get or an
//! event, and written back to create, update or delete it.

use core::fmt;

use bitflags::bitflags;
use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use nl_wire::{Attrs, MsgBuilder};
use std::net::IpAddr;

use super::tuple::{Tuple, family_name, proto_name};
use super::{ctnl_request, nat_attrs};
use crate::uapi::r#in::{IPPROTO_DCCP, IPPROTO_SCTP, IPPROTO_TCP};
use crate::uapi::newer::CTA_TIMESTAMP_EVENT;
use crate::uapi::nf_conntrack_common::*;
use crate::uapi::nf_conntrack_tcp::*;
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, NfMsg, Result};

bitflags! {
    /// Status bits of an entry (`IPS_*`), named as `conntrack -u` names
    /// them. Bits this library does not know are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Status: u32 {
        /// An expected connection (of a helper's expectation).
        const EXPECTED = IPS_EXPECTED;
        /// Packets were seen both ways.
        const SEEN_REPLY = IPS_SEEN_REPLY;
        /// Will not be dropped early when the table is full.
        const ASSURED = IPS_ASSURED;
        /// In the table (every listed entry).
        const CONFIRMED = IPS_CONFIRMED;
        /// Source NAT applies.
        const SRC_NAT = IPS_SRC_NAT;
        /// Destination NAT applies.
        const DST_NAT = IPS_DST_NAT;
        /// TCP sequence numbers are adjusted (a helper changed lengths).
        const SEQ_ADJUST = IPS_SEQ_ADJUST;
        /// Source NAT is set up.
        const SRC_NAT_DONE = IPS_SRC_NAT_DONE;
        /// Destination NAT is set up.
        const DST_NAT_DONE = IPS_DST_NAT_DONE;
        /// Being removed.
        const DYING = IPS_DYING;
        /// The timeout does not change with the protocol's state.
        const FIXED_TIMEOUT = IPS_FIXED_TIMEOUT;
        /// A template (never listed).
        const TEMPLATE = IPS_TEMPLATE;
        /// Not tracked.
        const UNTRACKED = IPS_UNTRACKED;
        /// A helper was set explicitly.
        const HELPER = IPS_HELPER;
        /// Offloaded to a flow table.
        const OFFLOAD = IPS_OFFLOAD;
        /// Offloaded to hardware.
        const HW_OFFLOAD = IPS_HW_OFFLOAD;
        const _ = !0;
    }
}

impl Status {
    /// Parses `conntrack -u`'s comma-separated names (`ASSURED,SEEN_REPLY`).
    pub fn parse_names(s: &str) -> Option<Status> {
        let mut out = Status::empty();
        for w in s.split(',') {
            out |= Status::from_name(w.trim())?;
        }
        Some(out)
    }
}

/// A TCP connection state (`TCP_CONNTRACK_*`); any value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TcpState(pub u8);

impl TcpState {
    /// No state.
    pub const NONE: Self = Self(TCP_CONNTRACK_NONE);
    /// SYN sent.
    pub const SYN_SENT: Self = Self(TCP_CONNTRACK_SYN_SENT);
    /// SYN received.
    pub const SYN_RECV: Self = Self(TCP_CONNTRACK_SYN_RECV);
    /// Established.
    pub const ESTABLISHED: Self = Self(TCP_CONNTRACK_ESTABLISHED);
    /// FIN sent.
    pub const FIN_WAIT: Self = Self(TCP_CONNTRACK_FIN_WAIT);
    /// FIN received.
    pub const CLOSE_WAIT: Self = Self(TCP_CONNTRACK_CLOSE_WAIT);
    /// Last ACK awaited.
    pub const LAST_ACK: Self = Self(TCP_CONNTRACK_LAST_ACK);
    /// Time wait.
    pub const TIME_WAIT: Self = Self(TCP_CONNTRACK_TIME_WAIT);
    /// Closed.
    pub const CLOSE: Self = Self(TCP_CONNTRACK_CLOSE);
    /// Simultaneous open (`TCP_CONNTRACK_SYN_SENT2`, once `LISTEN`).
    pub const SYN_SENT2: Self = Self(TCP_CONNTRACK_LISTEN);

    const NAMES: [&'static str; 10] = [
        "NONE",
        "SYN_SENT",
        "SYN_RECV",
        "ESTABLISHED",
        "FIN_WAIT",
        "CLOSE_WAIT",
        "LAST_ACK",
        "TIME_WAIT",
        "CLOSE",
        "SYN_SENT2",
    ];

    /// conntrack's name of the state (`NONE` for values it does not know).
    pub fn name(self) -> &'static str {
        Self::NAMES
            .get(usize::from(self.0))
            .copied()
            .unwrap_or("NONE")
    }

    /// The state of a name conntrack prints (`ESTABLISHED` ...).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(|i| u8::try_from(i).ok())
            .map(Self)
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `struct nf_ct_tcp_flags`: window scaling, SACK ... seen from one side
/// (`IP_CT_TCP_FLAG_*`), and on writes which of them to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TcpFlags {
    /// The flags.
    pub flags: u8,
    /// Which flags a write changes (dumps say 0).
    pub mask: u8,
}

/// TCP's protocol information (`CTA_PROTOINFO_TCP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TcpInfo {
    /// The connection's state.
    pub state: TcpState,
    /// Window scale of the original direction.
    pub wscale_orig: Option<u8>,
    /// Window scale of the reply direction.
    pub wscale_reply: Option<u8>,
    /// Flags of the original direction.
    pub flags_orig: Option<TcpFlags>,
    /// Flags of the reply direction.
    pub flags_reply: Option<TcpFlags>,
}

/// The state of another protocol that has one (SCTP, DCCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StateInfo {
    /// The protocol's state number.
    pub state: u8,
    /// SCTP: verification tag of the original direction.
    pub vtag_orig: Option<u32>,
    /// SCTP: verification tag of the reply direction.
    pub vtag_reply: Option<u32>,
}

/// Protocol information (`CTA_PROTOINFO`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProtoInfo {
    /// TCP: state, window scales, flags.
    Tcp(TcpInfo),
    /// SCTP: state and verification tags.
    Sctp(StateInfo),
    /// DCCP: state.
    Dccp(StateInfo),
    /// Another protocol's nest, by type (kept, not written back).
    Other(u16),
}

/// Packet and byte counters of one direction (with accounting on:
/// `net.netfilter.nf_conntrack_acct`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Counters {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// A TCP sequence adjustment of one direction (`CTA_SEQ_ADJ_*`, set by
/// NAT helpers that change payload lengths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeqAdj {
    /// Sequence number from which the adjustment applies.
    pub correction_pos: u32,
    /// Offset before that position.
    pub offset_before: i32,
    /// Offset after it.
    pub offset_after: i32,
}

/// Start and stop times (with `net.netfilter.nf_conntrack_timestamp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Timestamp {
    /// When the entry was confirmed (ns since the epoch).
    pub start: u64,
    /// When it was destroyed (destroy events only).
    pub stop: Option<u64>,
}

/// SYN proxy state (`CTA_SYNPROXY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Synproxy {
    /// Initial sequence number.
    pub isn: u32,
    /// Initial timestamp.
    pub its: u32,
    /// Timestamp offset.
    pub tsoff: u32,
}

/// A NAT binding to set up when creating an entry (`CTA_NAT_SRC`,
/// `CTA_NAT_DST`): an address range and optionally a port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nat {
    /// First address.
    pub min_ip: IpAddr,
    /// Last address (the first when `None`).
    pub max_ip: Option<IpAddr>,
    /// First port.
    pub min_port: Option<u16>,
    /// Last port.
    pub max_port: Option<u16>,
}

impl Nat {
    /// NAT to one address.
    pub fn to(ip: IpAddr) -> Self {
        Nat {
            min_ip: ip,
            max_ip: None,
            min_port: None,
            max_port: None,
        }
    }
}

/// Connection labels: a 128-bit set (`CTA_LABELS`), bit `i` of the
/// kernel's `unsigned long` bitmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Labels(pub [u8; 16]);

impl Labels {
    /// Label numbers (0 to 127).
    pub fn from_bits(bits: impl IntoIterator<Item = u8>) -> Self {
        let mut l = Labels::default();
        for b in bits {
            l.set(b);
        }
        l
    }

    fn words(&self) -> [u64; 2] {
        let lo = self.0.first_chunk::<8>().copied().unwrap_or_default();
        let hi = self.0.last_chunk::<8>().copied().unwrap_or_default();
        [u64::from_ne_bytes(lo), u64::from_ne_bytes(hi)]
    }

    fn from_words(w: [u64; 2]) -> Self {
        let [lo, hi] = w.map(u64::to_ne_bytes);
        let mut out = [0u8; 16];
        for (d, s) in out.iter_mut().zip(lo.iter().chain(hi.iter())) {
            *d = *s;
        }
        Labels(out)
    }

    /// Sets label `bit` (0 to 127; others are ignored).
    pub fn set(&mut self, bit: u8) {
        let mut w = self.words();
        if let Some(word) = w.get_mut(usize::from(bit / 64)) {
            *word |= 1 << (bit % 64);
        }
        *self = Labels::from_words(w);
    }

    /// Whether label `bit` is set.
    pub fn has(&self, bit: u8) -> bool {
        self.words()
            .get(usize::from(bit / 64))
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    /// The labels set, in order.
    pub fn bits(&self) -> impl Iterator<Item = u8> + '_ {
        (0..128u8).filter(|b| self.has(*b))
    }

    /// Whether no label is set.
    pub fn is_empty(&self) -> bool {
        self.0 == [0; 16]
    }

    /// Whether every label of `other` is set here.
    pub fn contains(&self, other: &Labels) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a & b == b)
    }

    /// Whether some label of `other` is set here.
    pub fn intersects(&self, other: &Labels) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }
}

/// One tracked connection (`conntrack -L`'s line; the Go library's
/// `ConntrackFlow`).
///
/// Everything is optional except the tuples: the kernel sends counters
/// only with accounting on, timestamps only with timestamping on, and
/// events carry fewer attributes than dumps. [`Entry::new`] starts an
/// entry to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Address family (`AF_INET`, `AF_INET6`).
    pub family: u8,
    /// The original direction.
    pub orig: Tuple,
    /// The reply direction (after NAT, what the answers look like).
    pub reply: Tuple,
    /// Status bits.
    pub status: Option<Status>,
    /// Seconds left before it expires.
    pub timeout: Option<u32>,
    /// The connection mark.
    pub mark: Option<u32>,
    /// The zone of both directions (`CTA_ZONE`).
    pub zone: Option<u16>,
    /// Connection labels.
    pub labels: Option<Labels>,
    /// Counters of the original direction.
    pub counters_orig: Option<Counters>,
    /// Counters of the reply direction.
    pub counters_reply: Option<Counters>,
    /// Protocol state (TCP's ...).
    pub protoinfo: Option<ProtoInfo>,
    /// Sequence adjustment of the original direction.
    pub seq_adj_orig: Option<SeqAdj>,
    /// Sequence adjustment of the reply direction.
    pub seq_adj_reply: Option<SeqAdj>,
    /// The security context (with an LSM that labels connections).
    pub secctx: Option<String>,
    /// The kernel's id of the entry.
    pub id: Option<u32>,
    /// Reference count (`use=` in conntrack's text).
    pub use_count: Option<u32>,
    /// The helper's name (`ftp` ...).
    pub helper: Option<String>,
    /// Start and stop times.
    pub timestamp: Option<Timestamp>,
    /// When the event happened (events, 6.2+, with timestamps on; ns).
    pub event_time: Option<u64>,
    /// The master connection of an expected one.
    pub master: Option<Tuple>,
    /// SYN proxy state.
    pub synproxy: Option<Synproxy>,
    /// Create only: source NAT to set up.
    pub nat_src: Option<Nat>,
    /// Create only: destination NAT to set up.
    pub nat_dst: Option<Nat>,
    /// Writes only: which mark bits to change (the kernel keeps the
    /// others); `None` changes them all.
    pub mark_mask: Option<u32>,
    /// Writes only: which labels to change.
    pub labels_mask: Option<Labels>,
    /// Attribute types this library does not read, in order.
    pub unknown: Vec<u16>,
}

impl Default for Entry {
    fn default() -> Self {
        Entry::new(Tuple::default())
    }
}

/// How an event notification changed an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A new connection (`[NEW]`).
    New,
    /// A change (`[UPDATE]`).
    Update,
    /// Gone (`[DESTROY]`).
    Destroy,
}

impl EventKind {
    /// The kind of a ctnetlink notification: `IPCTNL_MSG_CT_NEW` with
    /// `NLM_F_CREATE` is a new entry, without it a change;
    /// `IPCTNL_MSG_CT_DELETE` a destroyed one.
    pub fn of(nf: &NfMsg<'_>) -> Option<EventKind> {
        match nf.command() {
            IPCTNL_MSG_CT_NEW if nf.msg().flags() & NLM_F_CREATE != 0 => Some(EventKind::New),
            IPCTNL_MSG_CT_NEW => Some(EventKind::Update),
            IPCTNL_MSG_CT_DELETE => Some(EventKind::Destroy),
            _ => None,
        }
    }

    /// conntrack -E's tag (`[NEW]`, `[UPDATE]`, `[DESTROY]`).
    pub fn tag(self) -> &'static str {
        match self {
            EventKind::New => "[NEW]",
            EventKind::Update => "[UPDATE]",
            EventKind::Destroy => "[DESTROY]",
        }
    }
}

fn counters(attrs: Attrs<'_>) -> nl_wire::Result<Counters> {
    let mut c = Counters::default();
    for a in attrs {
        let a = a?;
        match a.ty() {
            CTA_COUNTERS_PACKETS => c.packets = a.be64()?,
            CTA_COUNTERS_BYTES => c.bytes = a.be64()?,
            CTA_COUNTERS32_PACKETS => c.packets = u64::from(a.be32()?),
            CTA_COUNTERS32_BYTES => c.bytes = u64::from(a.be32()?),
            _ => {}
        }
    }
    Ok(c)
}

/// The kernel's `s32` offsets travel as `__be32`.
fn signed(v: u32) -> i32 {
    i32::from_ne_bytes(v.to_ne_bytes())
}

fn unsigned(v: i32) -> u32 {
    u32::from_ne_bytes(v.to_ne_bytes())
}

fn seq_adj(attrs: Attrs<'_>) -> nl_wire::Result<SeqAdj> {
    let mut s = SeqAdj::default();
    for a in attrs {
        let a = a?;
        match a.ty() {
            CTA_SEQADJ_CORRECTION_POS => s.correction_pos = a.be32()?,
            // Offsets are the kernel's s32, sent as __be32.
            CTA_SEQADJ_OFFSET_BEFORE => s.offset_before = signed(a.be32()?),
            CTA_SEQADJ_OFFSET_AFTER => s.offset_after = signed(a.be32()?),
            _ => {}
        }
    }
    Ok(s)
}

fn tcp_flags(payload: &[u8]) -> Option<TcpFlags> {
    match payload {
        [flags, mask, ..] => Some(TcpFlags {
            flags: *flags,
            mask: *mask,
        }),
        _ => None,
    }
}

fn protoinfo(attrs: Attrs<'_>) -> nl_wire::Result<Option<ProtoInfo>> {
    let mut out = None;
    for a in attrs {
        let a = a?;
        out = Some(match a.ty() {
            CTA_PROTOINFO_TCP => {
                let mut t = TcpInfo::default();
                for f in a.nested() {
                    let f = f?;
                    match f.ty() {
                        CTA_PROTOINFO_TCP_STATE => t.state = TcpState(f.u8()?),
                        CTA_PROTOINFO_TCP_WSCALE_ORIGINAL => t.wscale_orig = Some(f.u8()?),
                        CTA_PROTOINFO_TCP_WSCALE_REPLY => t.wscale_reply = Some(f.u8()?),
                        CTA_PROTOINFO_TCP_FLAGS_ORIGINAL => t.flags_orig = tcp_flags(f.payload()),
                        CTA_PROTOINFO_TCP_FLAGS_REPLY => t.flags_reply = tcp_flags(f.payload()),
                        _ => {}
                    }
                }
                ProtoInfo::Tcp(t)
            }
            CTA_PROTOINFO_SCTP => {
                let mut s = StateInfo::default();
                for f in a.nested() {
                    let f = f?;
                    match f.ty() {
                        CTA_PROTOINFO_SCTP_STATE => s.state = f.u8()?,
                        CTA_PROTOINFO_SCTP_VTAG_ORIGINAL => s.vtag_orig = Some(f.be32()?),
                        CTA_PROTOINFO_SCTP_VTAG_REPLY => s.vtag_reply = Some(f.be32()?),
                        _ => {}
                    }
                }
                ProtoInfo::Sctp(s)
            }
            CTA_PROTOINFO_DCCP => {
                let mut s = StateInfo::default();
                for f in a.nested() {
                    let f = f?;
                    if f.ty() == CTA_PROTOINFO_DCCP_STATE {
                        s.state = f.u8()?;
                    }
                }
                ProtoInfo::Dccp(s)
            }
            other => ProtoInfo::Other(other),
        });
    }
    Ok(out)
}

fn cstr_in(attrs: Attrs<'_>, kind: u16) -> nl_wire::Result<Option<String>> {
    for a in attrs {
        let a = a?;
        if a.ty() == kind {
            return Ok(Some(a.str()?.to_string()));
        }
    }
    Ok(None)
}

impl Entry {
    /// An entry to create for `orig`, whose reply is `orig` reversed (no
    /// NAT); set a timeout before creating it (the kernel needs one).
    pub fn new(orig: Tuple) -> Self {
        Entry {
            family: orig.family(),
            reply: orig.reversed(),
            orig,
            status: None,
            timeout: None,
            mark: None,
            zone: None,
            labels: None,
            counters_orig: None,
            counters_reply: None,
            protoinfo: None,
            seq_adj_orig: None,
            seq_adj_reply: None,
            secctx: None,
            id: None,
            use_count: None,
            helper: None,
            timestamp: None,
            event_time: None,
            master: None,
            synproxy: None,
            nat_src: None,
            nat_dst: None,
            mark_mask: None,
            labels_mask: None,
            unknown: Vec::new(),
        }
    }

    /// With a timeout in seconds.
    #[must_use]
    pub fn with_timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// With status bits (`CONFIRMED` is added when written: the kernel
    /// refuses to change it).
    #[must_use]
    pub fn with_status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// With a mark.
    #[must_use]
    pub fn with_mark(mut self, mark: u32) -> Self {
        self.mark = Some(mark);
        self
    }

    /// In a zone.
    #[must_use]
    pub fn with_zone(mut self, zone: u16) -> Self {
        self.zone = Some(zone);
        self
    }

    /// With a TCP state.
    #[must_use]
    pub fn with_tcp_state(mut self, state: TcpState) -> Self {
        self.protoinfo = Some(ProtoInfo::Tcp(TcpInfo {
            state,
            ..TcpInfo::default()
        }));
        self
    }

    /// With labels.
    #[must_use]
    pub fn with_labels(mut self, labels: Labels) -> Self {
        self.labels = Some(labels);
        self
    }

    /// The layer 4 protocol.
    pub fn proto(&self) -> u8 {
        self.orig.proto
    }

    /// The TCP state, for a TCP entry that has one.
    pub fn tcp_state(&self) -> Option<TcpState> {
        match self.protoinfo {
            Some(ProtoInfo::Tcp(t)) => Some(t.state),
            _ => None,
        }
    }

    /// The entry's zone: that of both directions, else that of one.
    pub fn zone_id(&self) -> u16 {
        self.zone
            .or(self.orig.zone)
            .or(self.reply.zone)
            .unwrap_or(0)
    }

    /// The status bits (none when the kernel did not say).
    pub fn status(&self) -> Status {
        self.status.unwrap_or_default()
    }

    /// Reads a ctnetlink entry message (a dump's, a get's or an event's).
    pub fn parse(nf: &NfMsg<'_>) -> Result<Entry> {
        let mut e = Entry::default();
        e.parse_from(nf)?;
        Ok(e)
    }

    /// Reads a ctnetlink entry message from its netlink view (checks it is
    /// one of ctnetlink's).
    pub fn parse_msg(msg: &nl_wire::Msg<'_>) -> Result<Entry> {
        let nf = NfMsg::parse(msg, crate::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK)?;
        Entry::parse(&nf)
    }

    /// [`Entry::parse`] into `self`, reusing its allocations (a listing
    /// fills its vector in place).
    pub fn parse_from(&mut self, nf: &NfMsg<'_>) -> Result<()> {
        self.fill(nf).map_err(|e| nf.wire_error(e))
    }

    fn fill(&mut self, nf: &NfMsg<'_>) -> nl_wire::Result<()> {
        let unknown = std::mem::take(&mut self.unknown);
        *self = Entry {
            unknown,
            ..Entry::default()
        };
        self.unknown.clear();
        self.family = nf.family();
        for a in nf.attrs() {
            let a = a?;
            match a.ty() {
                CTA_TUPLE_ORIG => self.orig = Tuple::parse(a.nested())?,
                CTA_TUPLE_REPLY => self.reply = Tuple::parse(a.nested())?,
                CTA_STATUS => self.status = Some(Status::from_bits_retain(a.be32()?)),
                CTA_PROTOINFO => self.protoinfo = protoinfo(a.nested())?,
                CTA_HELP => self.helper = cstr_in(a.nested(), CTA_HELP_NAME)?,
                CTA_TIMEOUT => self.timeout = Some(a.be32()?),
                CTA_MARK => self.mark = Some(a.be32()?),
                CTA_COUNTERS_ORIG => self.counters_orig = Some(counters(a.nested())?),
                CTA_COUNTERS_REPLY => self.counters_reply = Some(counters(a.nested())?),
                CTA_USE => self.use_count = Some(a.be32()?),
                CTA_ID => self.id = Some(a.be32()?),
                CTA_TUPLE_MASTER => self.master = Some(Tuple::parse(a.nested())?),
                CTA_SEQ_ADJ_ORIG => self.seq_adj_orig = Some(seq_adj(a.nested())?),
                CTA_SEQ_ADJ_REPLY => self.seq_adj_reply = Some(seq_adj(a.nested())?),
                CTA_ZONE => self.zone = Some(a.be16()?),
                CTA_SECCTX => self.secctx = cstr_in(a.nested(), CTA_SECCTX_NAME)?,
                CTA_TIMESTAMP => {
                    let mut t = Timestamp::default();
                    for f in a.nested() {
                        let f = f?;
                        match f.ty() {
                            CTA_TIMESTAMP_START => t.start = f.be64()?,
                            CTA_TIMESTAMP_STOP => t.stop = Some(f.be64()?),
                            _ => {}
                        }
                    }
                    self.timestamp = Some(t);
                }
                CTA_LABELS => {
                    // 16 bytes today; a shorter or longer bitmap keeps
                    // what fits.
                    let mut l = [0u8; 16];
                    for (d, s) in l.iter_mut().zip(a.payload()) {
                        *d = *s;
                    }
                    self.labels = Some(Labels(l));
                }
                CTA_SYNPROXY => {
                    let mut s = Synproxy::default();
                    for f in a.nested() {
                        let f = f?;
                        match f.ty() {
                            CTA_SYNPROXY_ISN => s.isn = f.be32()?,
                            CTA_SYNPROXY_ITS => s.its = f.be32()?,
                            CTA_SYNPROXY_TSOFF => s.tsoff = f.be32()?,
                            _ => {}
                        }
                    }
                    self.synproxy = Some(s);
                }
                CTA_TIMESTAMP_EVENT => self.event_time = Some(a.be64()?),
                other => self.unknown.push(other),
            }
        }
        Ok(())
    }

    /// Checks what the kernel would refuse with a bare `EINVAL`.
    fn check(&self, creating: bool) -> Result<()> {
        self.orig.check("original tuple")?;
        if creating {
            self.reply.check("reply tuple")?;
            if self.orig.proto != self.reply.proto {
                return Err(Error::invalid(
                    "reply tuple",
                    format!(
                        "protocol {} differs from the original's {}",
                        proto_name(self.reply.proto),
                        proto_name(self.orig.proto)
                    ),
                ));
            }
            if self.timeout.is_none() {
                return Err(Error::invalid(
                    "timeout",
                    "the kernel creates no entry without one",
                ));
            }
        }
        if self.orig.family() != self.family || self.reply.family() != self.orig.family() {
            return Err(Error::invalid(
                "family",
                format!(
                    "the entry is {} but its tuples are {} and {}",
                    family_name(self.family),
                    family_name(self.orig.family()),
                    family_name(self.reply.family())
                ),
            ));
        }
        Ok(())
    }

    /// The status the kernel accepts: it refuses to clear `CONFIRMED`
    /// (every entry in the table has it), so it is always sent set.
    fn status_to_send(&self) -> Option<u32> {
        self.status.map(|s| (s | Status::CONFIRMED).bits())
    }

    /// What a create or an update may set, in conntrack's order (status,
    /// timeout, mark, zone, protocol state, then the rest).
    fn write_changes(&self, m: &mut MsgBuilder<'_>) {
        if let Some(s) = self.status_to_send() {
            m.put_be32(CTA_STATUS, s);
        }
        if let Some(t) = self.timeout {
            m.put_be32(CTA_TIMEOUT, t);
        }
        if let Some(mark) = self.mark {
            m.put_be32(CTA_MARK, mark);
            if let Some(mask) = self.mark_mask {
                m.put_be32(CTA_MARK_MASK, mask);
            }
        }
        if let Some(z) = self.zone {
            m.put_be16(CTA_ZONE, z);
        }
        if let Some(p) = &self.protoinfo {
            write_protoinfo(m, p);
        }
        for (kind, adj) in [
            (CTA_SEQ_ADJ_ORIG, &self.seq_adj_orig),
            (CTA_SEQ_ADJ_REPLY, &self.seq_adj_reply),
        ] {
            if let Some(s) = adj {
                m.nest(kind | NLA_F_NESTED, |m| {
                    m.put_be32(CTA_SEQADJ_CORRECTION_POS, s.correction_pos);
                    m.put_be32(CTA_SEQADJ_OFFSET_BEFORE, unsigned(s.offset_before));
                    m.put_be32(CTA_SEQADJ_OFFSET_AFTER, unsigned(s.offset_after));
                });
            }
        }
        if let Some(s) = &self.synproxy {
            m.nest(CTA_SYNPROXY | NLA_F_NESTED, |m| {
                m.put_be32(CTA_SYNPROXY_ISN, s.isn);
                m.put_be32(CTA_SYNPROXY_ITS, s.its);
                m.put_be32(CTA_SYNPROXY_TSOFF, s.tsoff);
            });
        }
        if let Some(l) = &self.labels {
            m.put_bytes(CTA_LABELS, &l.0);
            if let Some(mask) = &self.labels_mask {
                m.put_bytes(CTA_LABELS_MASK, &mask.0);
            }
        }
    }

    /// Writes the request that creates this entry (`conntrack -I`; the
    /// Go library's `ConntrackCreate`): both tuples, a timeout, and what
    /// else is set. An existing entry is an error (`EEXIST`).
    pub fn write_create(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.check(true)?;
        let mut m = ctnl_request(
            buf,
            IPCTNL_MSG_CT_NEW,
            self.family,
            NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        );
        self.orig.write(&mut m, CTA_TUPLE_ORIG);
        self.reply.write(&mut m, CTA_TUPLE_REPLY);
        if let Some(master) = &self.master {
            master.write(&mut m, CTA_TUPLE_MASTER);
        }
        self.write_changes(&mut m);
        if let Some(h) = &self.helper {
            m.nest(CTA_HELP | NLA_F_NESTED, |m| {
                m.put_str(CTA_HELP_NAME, h);
            });
        }
        for (kind, nat) in [(CTA_NAT_SRC, &self.nat_src), (CTA_NAT_DST, &self.nat_dst)] {
            if let Some(n) = nat {
                nat_attrs(&mut m, kind, n)?;
            }
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes the request that changes the existing entry of this
    /// original tuple (and zone) (`conntrack -U`; the Go library's
    /// `ConntrackUpdate`): timeout, status, mark (under `mark_mask`),
    /// labels, protocol state, sequence adjustments. The kernel refuses
    /// to change NAT, the master or the helper of an existing entry, so
    /// they are not sent.
    pub fn write_update(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.check(false)?;
        let mut m = ctnl_request(
            buf,
            IPCTNL_MSG_CT_NEW,
            self.family,
            NLM_F_ACK | NLM_F_REPLACE,
        );
        self.orig.write(&mut m, CTA_TUPLE_ORIG);
        self.write_changes(&mut m);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes the request that deletes this entry (`conntrack -D` of one
    /// tuple): found by its original tuple and zone, and, when the id is
    /// known, only if it is still the same entry.
    pub fn write_delete(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.orig.check("original tuple")?;
        let mut m = ctnl_request(buf, IPCTNL_MSG_CT_DELETE, self.family, NLM_F_ACK);
        self.orig.write(&mut m, CTA_TUPLE_ORIG);
        if let Some(z) = self.zone {
            m.put_be16(CTA_ZONE, z);
        }
        if let Some(id) = self.id {
            m.put_be32(CTA_ID, id);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes a get of the entry whose original tuple is `orig`, in
    /// `zone` (`conntrack -G`).
    pub fn write_get(orig: &Tuple, zone: Option<u16>, buf: &mut Vec<u8>) -> Result<()> {
        orig.check("original tuple")?;
        let mut m = ctnl_request(buf, IPCTNL_MSG_CT_GET, orig.family(), NLM_F_ACK);
        orig.write(&mut m, CTA_TUPLE_ORIG);
        if let Some(z) = zone {
            m.put_be16(CTA_ZONE, z);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Appends conntrack's text of the entry (`conntrack -L` with the
    /// options of `opts`), without a newline.
    pub fn write_text(&self, out: &mut String, opts: &TextOptions) {
        use fmt::Write;
        let start = out.len();
        if let Some(kind) = opts.event {
            let _ = write!(out, "{:>9} ", kind.tag());
        }
        if opts.layer3 {
            let _ = write!(out, "{:<8} {} ", family_name(self.family), self.family);
        }
        let _ = write!(
            out,
            "{:<8} {} ",
            proto_name(self.orig.proto),
            self.orig.proto
        );
        if let Some(t) = self.timeout {
            let _ = write!(out, "{t} ");
        }
        match &self.protoinfo {
            Some(ProtoInfo::Tcp(t)) if self.orig.proto == IPPROTO_TCP => {
                let _ = write!(out, "{} ", t.state.name());
            }
            Some(ProtoInfo::Sctp(s)) if self.orig.proto == IPPROTO_SCTP => {
                let _ = write!(out, "{} ", sctp_state_name(s.state));
            }
            Some(ProtoInfo::Dccp(s)) if self.orig.proto == IPPROTO_DCCP => {
                let _ = write!(out, "{} ", dccp_state_name(s.state));
            }
            _ => {}
        }
        self.orig.write_text(out);
        if let Some(z) = self.orig.zone {
            let _ = write!(out, "zone-orig={z} ");
        }
        if let Some(c) = self.counters_orig {
            let _ = write!(out, "packets={} bytes={} ", c.packets, c.bytes);
        }
        if self.status.is_some_and(|s| !s.contains(Status::SEEN_REPLY)) {
            out.push_str("[UNREPLIED] ");
        }
        self.reply.write_text(out);
        if let Some(z) = self.reply.zone {
            let _ = write!(out, "zone-reply={z} ");
        }
        if let Some(c) = self.counters_reply {
            let _ = write!(out, "packets={} bytes={} ", c.packets, c.bytes);
        }
        if let Some(s) = self.status {
            if s.contains(Status::HW_OFFLOAD) {
                out.push_str("[HW_OFFLOAD] ");
            } else if s.contains(Status::OFFLOAD) {
                out.push_str("[OFFLOAD] ");
            } else if s.contains(Status::ASSURED) {
                out.push_str("[ASSURED] ");
            }
        }
        if let Some(m) = self.mark {
            let _ = write!(out, "mark={m} ");
        }
        if let Some(s) = &self.secctx {
            let _ = write!(out, "secctx={s} ");
        }
        if let Some(z) = self.zone {
            let _ = write!(out, "zone={z} ");
        }
        if let (Some(t), Some(now)) = (self.timestamp, opts.now_ns) {
            let stop = t.stop.unwrap_or(now) / 1_000_000_000;
            let _ = write!(
                out,
                "delta-time={} ",
                stop.saturating_sub(t.start / 1_000_000_000)
            );
        }
        if let Some(h) = &self.helper {
            let _ = write!(out, "helper={h} ");
        }
        if let Some(u) = self.use_count {
            let _ = write!(out, "use={u} ");
        }
        if let Some(id) = self.id.filter(|_| opts.id) {
            let _ = write!(out, "id={id} ");
        }
        // conntrack deletes the last blank.
        if out.len() > start && out.ends_with(' ') {
            out.pop();
        }
    }
}

/// conntrack's name of an SCTP state.
pub fn sctp_state_name(state: u8) -> &'static str {
    const NAMES: [&str; 8] = [
        "NONE",
        "CLOSED",
        "COOKIE_WAIT",
        "COOKIE_ECHOED",
        "ESTABLISHED",
        "SHUTDOWN_SENT",
        "SHUTDOWN_RECD",
        "SHUTDOWN_ACK_SENT",
    ];
    NAMES.get(usize::from(state)).copied().unwrap_or("NONE")
}

/// conntrack's name of a DCCP state.
pub fn dccp_state_name(state: u8) -> &'static str {
    const NAMES: [&str; 10] = [
        "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT",
        "IGNORE", "INVALID",
    ];
    NAMES.get(usize::from(state)).copied().unwrap_or("NONE")
}

fn write_protoinfo(m: &mut MsgBuilder<'_>, p: &ProtoInfo) {
    match p {
        ProtoInfo::Tcp(t) => {
            m.nest(CTA_PROTOINFO | NLA_F_NESTED, |m| {
                m.nest(CTA_PROTOINFO_TCP | NLA_F_NESTED, |m| {
                    m.put_u8(CTA_PROTOINFO_TCP_STATE, t.state.0);
                    if let Some(w) = t.wscale_orig {
                        m.put_u8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, w);
                    }
                    if let Some(w) = t.wscale_reply {
                        m.put_u8(CTA_PROTOINFO_TCP_WSCALE_REPLY, w);
                    }
                    if let Some(f) = t.flags_orig {
                        m.put_bytes(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, &[f.flags, f.mask]);
                    }
                    if let Some(f) = t.flags_reply {
                        m.put_bytes(CTA_PROTOINFO_TCP_FLAGS_REPLY, &[f.flags, f.mask]);
                    }
                });
            });
        }
        ProtoInfo::Sctp(s) => {
            m.nest(CTA_PROTOINFO | NLA_F_NESTED, |m| {
                m.nest(CTA_PROTOINFO_SCTP | NLA_F_NESTED, |m| {
                    m.put_u8(CTA_PROTOINFO_SCTP_STATE, s.state);
                    if let Some(v) = s.vtag_orig {
                        m.put_be32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, v);
                    }
                    if let Some(v) = s.vtag_reply {
                        m.put_be32(CTA_PROTOINFO_SCTP_VTAG_REPLY, v);
                    }
                });
            });
        }
        ProtoInfo::Dccp(s) => {
            m.nest(CTA_PROTOINFO | NLA_F_NESTED, |m| {
                m.nest(CTA_PROTOINFO_DCCP | NLA_F_NESTED, |m| {
                    m.put_u8(CTA_PROTOINFO_DCCP_STATE, s.state);
                });
            });
        }
        // Nothing known to write back.
        ProtoInfo::Other(_) => {}
    }
}

/// What [`Entry::write_text`] prints besides conntrack's default line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// The layer 3 family first (`-o extended`).
    pub layer3: bool,
    /// The id last (`-o id`).
    pub id: bool,
    /// An event's tag first (`conntrack -E`).
    pub event: Option<EventKind>,
    /// The current time (ns since the epoch), for `delta-time=` of
    /// entries with timestamps; without it that field is left out.
    pub now_ns: Option<u64>,
}

/// `conntrack -L -o extended`'s line.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(192);
        self.write_text(
            &mut s,
            &TextOptions {
                layer3: true,
                ..TextOptions::default()
            },
        );
        f.write_str(&s)
    }
}
