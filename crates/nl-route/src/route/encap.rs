//! Lightweight tunnel encapsulations of a route or nexthop
//! (`RTA_ENCAP_TYPE` + `RTA_ENCAP`): MPLS labels, SRv6 (seg6 and
//! seg6local), eBPF programs, IP tunnel metadata.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::error::{Error, Result};
use crate::uapi::lwtunnel::*;
use crate::uapi::mpls_iptunnel::{MPLS_IPTUNNEL_DST, MPLS_IPTUNNEL_TTL};
use crate::uapi::rtnetlink::{RTA_ENCAP, RTA_ENCAP_TYPE};
use crate::uapi::seg6_iptunnel::*;
use crate::uapi::seg6_local::*;

/// One MPLS label stack entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MplsLabel {
    /// The 20-bit label.
    pub label: u32,
    /// Traffic class (3 bits).
    pub tc: u8,
    /// TTL.
    pub ttl: u8,
}

impl MplsLabel {
    /// A label with tc 0 and ttl 0 (as `ip route ... encap mpls 100/200` sends).
    pub fn new(label: u32) -> Self {
        MplsLabel {
            label,
            tc: 0,
            ttl: 0,
        }
    }

    fn decode(word: u32) -> Self {
        MplsLabel {
            label: word >> 12,
            tc: ((word >> 9) & 7) as u8,
            ttl: (word & 0xff) as u8,
        }
    }

    fn encode(&self, bottom: bool) -> u32 {
        ((self.label & 0xf_ffff) << 12)
            | (u32::from(self.tc & 7) << 9)
            | (u32::from(bottom) << 8)
            | u32::from(self.ttl)
    }
}

/// Reads an MPLS label stack (big-endian label stack entries).
pub(crate) fn read_labels(p: &[u8]) -> Vec<MplsLabel> {
    p.chunks_exact(4)
        .filter_map(|c| <[u8; 4]>::try_from(c).ok())
        .map(|b| MplsLabel::decode(u32::from_be_bytes(b)))
        .collect()
}

/// Writes an MPLS label stack, marking the bottom of stack.
pub(crate) fn label_bytes(labels: &[MplsLabel]) -> Vec<u8> {
    let n = labels.len();
    labels
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.encode(i + 1 == n).to_be_bytes())
        .collect()
}

nl_wire::kernel_enum! {
    /// `SEG6_IPTUN_MODE_*`, with the words `ip route ... encap seg6` uses.
    pub enum Seg6Mode: i32, "mode", crate::Error {
        /// Insert the SRH into the packet.
        Inline = SEG6_IPTUN_MODE_INLINE as i32 => "inline",
        /// Encapsulate in an outer IPv6 header with the SRH.
        Encap = SEG6_IPTUN_MODE_ENCAP as i32 => "encap",
        /// Encapsulate the L2 frame.
        L2Encap = SEG6_IPTUN_MODE_L2ENCAP as i32 => "l2encap",
        /// Encap, reduced SRH.
        EncapRed = SEG6_IPTUN_MODE_ENCAP_RED as i32 => "encap.red",
        /// L2 encap, reduced SRH.
        L2EncapRed = SEG6_IPTUN_MODE_L2ENCAP_RED as i32 => "l2encap.red",
    }
}

/// A segment routing header (`struct ipv6_sr_hdr`): the segments in the
/// order the packet visits them (the wire stores them last-first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Srh {
    /// Segments, first visited first.
    pub segments: Vec<Ipv6Addr>,
    /// Flags byte.
    pub flags: u8,
    /// Tag.
    pub tag: u16,
    /// TLV bytes after the segments, kept raw.
    pub tlvs: Vec<u8>,
}

impl Srh {
    /// Parses `struct ipv6_sr_hdr` and its segment list.
    pub(crate) fn parse(p: &[u8]) -> Option<Self> {
        let head = p.get(..8)?;
        let hdrlen = usize::from(*head.get(1)?);
        let first = usize::from(*head.get(4)?);
        let total = (hdrlen + 1) * 8;
        let body = p.get(8..total.min(p.len()))?;
        let mut segments: Vec<Ipv6Addr> = body
            .chunks_exact(16)
            .take(first + 1)
            .filter_map(|c| <[u8; 16]>::try_from(c).ok().map(Ipv6Addr::from))
            .collect();
        segments.reverse();
        let tlvs = body.get((first + 1) * 16..).unwrap_or_default().to_vec();
        Some(Srh {
            segments,
            flags: *head.get(5)?,
            tag: u16::from_be_bytes([*head.get(6)?, *head.get(7)?]),
            tlvs,
        })
    }

    /// Encodes the header as the kernel expects it from `ip route`.
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        let n = self.segments.len();
        if n == 0 || n > 128 {
            return Err(Error::invalid("segments", "between 1 and 128 segments"));
        }
        if self.tlvs.len() % 8 != 0 {
            return Err(Error::invalid("srh tlvs", "length not a multiple of 8"));
        }
        let len = 8 + n * 16 + self.tlvs.len();
        let hdrlen = u8::try_from(len / 8 - 1).map_err(|_| Error::invalid("srh", "too long"))?;
        let last = u8::try_from(n - 1).map_err(|_| Error::invalid("segments", "too many"))?;
        let mut out = vec![0u8, hdrlen, 4, last, last, self.flags];
        out.extend_from_slice(&self.tag.to_be_bytes());
        for s in self.segments.iter().rev() {
            out.extend_from_slice(&s.octets());
        }
        out.extend_from_slice(&self.tlvs);
        Ok(out)
    }
}

/// An eBPF program attached to a route (`LWT_BPF_PROG_*`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BpfProg {
    /// Program fd, when attaching.
    pub fd: Option<u32>,
    /// Program name (reported back by the kernel; sent when attaching).
    pub name: Option<String>,
}

impl BpfProg {
    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut p = BpfProg::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                LWT_BPF_PROG_FD => p.fd = Some(a.u32()?),
                LWT_BPF_PROG_NAME => p.name = Some(a.str()?.to_string()),
                _ => {}
            }
        }
        Ok(p)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, ty: u16) {
        m.nest(ty, |m| {
            if let Some(fd) = self.fd {
                m.put_u32(LWT_BPF_PROG_FD, fd);
            }
            if let Some(n) = &self.name {
                m.put_str(LWT_BPF_PROG_NAME, n);
            }
        });
    }
}

/// IP tunnel metadata (`LWTUNNEL_IP_*` / `LWTUNNEL_IP6_*`), for devices in
/// external (collect metadata) mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpTunnelEncap {
    /// Tunnel id (VNI ...).
    pub id: Option<u64>,
    /// Remote endpoint.
    pub dst: Option<IpAddr>,
    /// Local endpoint.
    pub src: Option<IpAddr>,
    /// TTL / hop limit.
    pub ttl: Option<u8>,
    /// TOS / traffic class.
    pub tos: Option<u8>,
    /// `TUNNEL_*` flags (network order on the wire).
    pub flags: Option<u16>,
}

nl_wire::kernel_enum! {
    /// `SEG6_LOCAL_ACTION_*`: what an SRv6 local segment does, with the
    /// words `ip route ... encap seg6local action` uses.
    #[derive(Default)]
    pub enum Seg6Action: u32, "action", crate::Error {
        /// Not set.
        #[default]
        Unspec = SEG6_LOCAL_ACTION_UNSPEC as u32 => "unspec",
        /// Advance to the next segment.
        End = SEG6_LOCAL_ACTION_END as u32 => "End",
        /// End with a layer-3 cross-connect to a nexthop.
        EndX = SEG6_LOCAL_ACTION_END_X as u32 => "End.X",
        /// End with a lookup in a table.
        EndT = SEG6_LOCAL_ACTION_END_T as u32 => "End.T",
        /// Decapsulate and cross-connect the L2 frame.
        EndDx2 = SEG6_LOCAL_ACTION_END_DX2 as u32 => "End.DX2",
        /// Decapsulate and cross-connect to an IPv6 nexthop.
        EndDx6 = SEG6_LOCAL_ACTION_END_DX6 as u32 => "End.DX6",
        /// Decapsulate and cross-connect to an IPv4 nexthop.
        EndDx4 = SEG6_LOCAL_ACTION_END_DX4 as u32 => "End.DX4",
        /// Decapsulate and look up in an IPv6 table.
        EndDt6 = SEG6_LOCAL_ACTION_END_DT6 as u32 => "End.DT6",
        /// Decapsulate and look up in an IPv4 table.
        EndDt4 = SEG6_LOCAL_ACTION_END_DT4 as u32 => "End.DT4",
        /// Insert an SRH.
        EndB6 = SEG6_LOCAL_ACTION_END_B6 as u32 => "End.B6",
        /// Encapsulate with an outer IPv6 header and SRH.
        EndB6Encaps = SEG6_LOCAL_ACTION_END_B6_ENCAP as u32 => "End.B6.Encaps",
        /// Binding to an MPLS label stack.
        EndBm = SEG6_LOCAL_ACTION_END_BM as u32 => "End.BM",
        /// Look up in a table of SIDs.
        EndS = SEG6_LOCAL_ACTION_END_S as u32 => "End.S",
        /// Static proxy.
        EndAs = SEG6_LOCAL_ACTION_END_AS as u32 => "End.AS",
        /// Masquerading proxy.
        EndAm = SEG6_LOCAL_ACTION_END_AM as u32 => "End.AM",
        /// Run an eBPF program.
        EndBpf = SEG6_LOCAL_ACTION_END_BPF as u32 => "End.BPF",
        /// Decapsulate and look up in an IPv4 or IPv6 table.
        EndDt46 = SEG6_LOCAL_ACTION_END_DT46 as u32 => "End.DT46",
    }
}

/// An SRv6 local action (`seg6local`): what to do with packets whose
/// active segment is this route's destination.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seg6Local {
    /// What the segment does (`SEG6_LOCAL_ACTION_*`: 1 End, 2 End.X, 3 End.T, 5 End.DX6, 6 End.DX4,
    /// 7 End.DT6, 8 End.DT4, 9 End.B6, 10 End.B6.Encaps, 16 End.DT46 ...).
    pub action: Seg6Action,
    /// Table (End.T, End.DT6).
    pub table: Option<u32>,
    /// VRF table (End.DT4, End.DT6, End.DT46).
    pub vrf_table: Option<u32>,
    /// IPv4 nexthop (End.DX4).
    pub nh4: Option<Ipv4Addr>,
    /// IPv6 nexthop (End.X, End.DX6).
    pub nh6: Option<Ipv6Addr>,
    /// Incoming interface.
    pub iif: Option<u32>,
    /// Outgoing interface (End.DX2).
    pub oif: Option<u32>,
    /// SRH to push (End.B6, End.B6.Encaps).
    pub srh: Option<Srh>,
    /// eBPF program (End.BPF).
    pub bpf: Option<BpfProg>,
    /// Counters enabled / reported (`SEG6_LOCAL_COUNTERS`), raw.
    pub counters: Option<Vec<u8>>,
    /// Flavors (`SEG6_LOCAL_FLAVORS`), raw.
    pub flavors: Option<Vec<u8>>,
}

/// The two attributes an encapsulation arrives in (`RTA_ENCAP_TYPE` and
/// `RTA_ENCAP`, or a nexthop's `NHA_ENCAP_TYPE` and `NHA_ENCAP`), kept
/// until both are read, in whichever order they came.
#[derive(Debug, Default)]
pub(crate) struct EncapAttrs<'a> {
    encap_type: Option<u16>,
    nest: Option<Attrs<'a>>,
}

impl<'a> EncapAttrs<'a> {
    /// Keeps the type attribute's value.
    pub(crate) fn set_type(&mut self, a: &Attr<'a>) -> nl_wire::Result<()> {
        self.encap_type = Some(a.u16()?);
        Ok(())
    }

    /// Keeps the nest.
    pub(crate) fn set_nest(&mut self, a: &Attr<'a>) {
        self.nest = Some(a.nested());
    }

    /// The encapsulation, when both attributes were there (inlined: most
    /// routes have none, and every route parse goes through here).
    #[inline]
    pub(crate) fn parse(self) -> nl_wire::Result<Option<Box<Encap>>> {
        match (self.encap_type, self.nest) {
            (Some(t), Some(attrs)) => Ok(Some(Box::new(Encap::parse(t, attrs)?))),
            _ => Ok(None),
        }
    }
}

/// A route's encapsulation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encap {
    /// Push MPLS labels (`encap mpls L1/L2 [ttl N]`).
    Mpls {
        /// Labels, outermost first.
        labels: Vec<MplsLabel>,
        /// TTL of the pushed labels.
        ttl: Option<u8>,
    },
    /// SRv6 encapsulation (`encap seg6 mode M segs A,B`).
    Seg6 {
        /// Mode.
        mode: Seg6Mode,
        /// The segment routing header.
        srh: Srh,
    },
    /// SRv6 local action (`encap seg6local action ...`).
    Seg6Local(Seg6Local),
    /// eBPF programs (`encap bpf in|out|xmit obj ...`).
    Bpf {
        /// Input hook.
        input: Option<BpfProg>,
        /// Output hook.
        output: Option<BpfProg>,
        /// Transmit hook.
        xmit: Option<BpfProg>,
        /// Headroom the xmit program needs.
        headroom: Option<u32>,
    },
    /// IPv4 tunnel metadata (`encap ip id N dst A`).
    Ip(IpTunnelEncap),
    /// IPv6 tunnel metadata (`encap ip6 id N dst A`).
    Ip6(IpTunnelEncap),
    /// Another type, kept raw.
    Other {
        /// `LWTUNNEL_ENCAP_*`.
        encap_type: u16,
        /// The `RTA_ENCAP` payload.
        data: Vec<u8>,
    },
}

impl Encap {
    /// The former name of [`Encap::encap_type`].
    #[deprecated(
        since = "0.1.0",
        note = "an encapsulation's `LWTUNNEL_ENCAP_*` is its `encap_type()`"
    )]
    pub fn kind(&self) -> u16 {
        self.encap_type()
    }

    /// `LWTUNNEL_ENCAP_*` of this encapsulation (`RTA_ENCAP_TYPE`).
    pub fn encap_type(&self) -> u16 {
        match self {
            Encap::Mpls { .. } => LWTUNNEL_ENCAP_MPLS,
            Encap::Seg6 { .. } => LWTUNNEL_ENCAP_SEG6,
            Encap::Seg6Local(_) => LWTUNNEL_ENCAP_SEG6_LOCAL,
            Encap::Bpf { .. } => LWTUNNEL_ENCAP_BPF,
            Encap::Ip(_) => LWTUNNEL_ENCAP_IP,
            Encap::Ip6(_) => LWTUNNEL_ENCAP_IP6,
            Encap::Other { encap_type, .. } => *encap_type,
        }
    }

    /// The name `ip route` uses (`mpls`, `seg6`, `seg6local`, `bpf`, `ip`, `ip6`).
    pub fn name(&self) -> String {
        match self.encap_type() {
            LWTUNNEL_ENCAP_MPLS => "mpls".into(),
            LWTUNNEL_ENCAP_IP => "ip".into(),
            LWTUNNEL_ENCAP_ILA => "ila".into(),
            LWTUNNEL_ENCAP_IP6 => "ip6".into(),
            LWTUNNEL_ENCAP_SEG6 => "seg6".into(),
            LWTUNNEL_ENCAP_BPF => "bpf".into(),
            LWTUNNEL_ENCAP_SEG6_LOCAL => "seg6local".into(),
            LWTUNNEL_ENCAP_RPL => "rpl".into(),
            LWTUNNEL_ENCAP_IOAM6 => "ioam6".into(),
            LWTUNNEL_ENCAP_XFRM => "xfrm".into(),
            t => t.to_string(),
        }
    }

    /// Parses `RTA_ENCAP` given `RTA_ENCAP_TYPE`.
    pub(crate) fn parse(encap_type: u16, attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        Ok(match encap_type {
            LWTUNNEL_ENCAP_MPLS => {
                let (mut labels, mut ttl) = (Vec::new(), None);
                for a in attrs {
                    let a = a?;
                    match a.ty() {
                        MPLS_IPTUNNEL_DST => labels = read_labels(a.payload()),
                        MPLS_IPTUNNEL_TTL => ttl = Some(a.u8()?),
                        _ => {}
                    }
                }
                Encap::Mpls { labels, ttl }
            }
            LWTUNNEL_ENCAP_SEG6 => {
                let mut out = None;
                for a in attrs {
                    let a = a?;
                    if a.ty() == SEG6_IPTUNNEL_SRH {
                        let p = a.payload();
                        let mode = p
                            .get(..4)
                            .and_then(|b| <[u8; 4]>::try_from(b).ok())
                            .map_or(0, i32::from_ne_bytes);
                        let srh = Srh::parse(p.get(4..).unwrap_or_default()).unwrap_or_default();
                        out = Some(Encap::Seg6 {
                            mode: mode.into(),
                            srh,
                        });
                    }
                }
                out.unwrap_or(Encap::Seg6 {
                    mode: Seg6Mode::Inline,
                    srh: Srh::default(),
                })
            }
            LWTUNNEL_ENCAP_SEG6_LOCAL => {
                let mut s = Seg6Local::default();
                for a in attrs {
                    let a = a?;
                    match a.ty() {
                        SEG6_LOCAL_ACTION => s.action = a.u32()?.into(),
                        SEG6_LOCAL_TABLE => s.table = Some(a.u32()?),
                        SEG6_LOCAL_VRFTABLE => s.vrf_table = Some(a.u32()?),
                        SEG6_LOCAL_NH4 => s.nh4 = Some(a.ipv4()?),
                        SEG6_LOCAL_NH6 => s.nh6 = Some(a.ipv6()?),
                        SEG6_LOCAL_IIF => s.iif = Some(a.u32()?),
                        SEG6_LOCAL_OIF => s.oif = Some(a.u32()?),
                        SEG6_LOCAL_SRH => s.srh = Srh::parse(a.payload()),
                        SEG6_LOCAL_BPF => s.bpf = Some(BpfProg::parse(a.nested())?),
                        SEG6_LOCAL_COUNTERS => s.counters = Some(a.payload().to_vec()),
                        SEG6_LOCAL_FLAVORS => s.flavors = Some(a.payload().to_vec()),
                        _ => {}
                    }
                }
                Encap::Seg6Local(s)
            }
            LWTUNNEL_ENCAP_BPF => {
                let (mut input, mut output, mut xmit, mut headroom) = (None, None, None, None);
                for a in attrs {
                    let a = a?;
                    match a.ty() {
                        LWT_BPF_IN => input = Some(BpfProg::parse(a.nested())?),
                        LWT_BPF_OUT => output = Some(BpfProg::parse(a.nested())?),
                        LWT_BPF_XMIT => xmit = Some(BpfProg::parse(a.nested())?),
                        LWT_BPF_XMIT_HEADROOM => headroom = Some(a.u32()?),
                        _ => {}
                    }
                }
                Encap::Bpf {
                    input,
                    output,
                    xmit,
                    headroom,
                }
            }
            LWTUNNEL_ENCAP_IP | LWTUNNEL_ENCAP_IP6 => {
                let v6 = encap_type == LWTUNNEL_ENCAP_IP6;
                let mut t = IpTunnelEncap::default();
                for a in attrs {
                    let a = a?;
                    // LWTUNNEL_IP_* and LWTUNNEL_IP6_* share numbers.
                    match a.ty() {
                        LWTUNNEL_IP_ID => t.id = Some(a.be64()?),
                        LWTUNNEL_IP_DST => t.dst = Some(a.ip()?),
                        LWTUNNEL_IP_SRC => t.src = Some(a.ip()?),
                        LWTUNNEL_IP_TTL => t.ttl = Some(a.u8()?),
                        LWTUNNEL_IP_TOS => t.tos = Some(a.u8()?),
                        LWTUNNEL_IP_FLAGS => t.flags = Some(a.be16()?),
                        _ => {}
                    }
                }
                if v6 { Encap::Ip6(t) } else { Encap::Ip(t) }
            }
            other => Encap::Other {
                encap_type: other,
                data: attrs.bytes().to_vec(),
            },
        })
    }

    /// Writes `RTA_ENCAP_TYPE` and `RTA_ENCAP`.
    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        self.write_as(m, RTA_ENCAP_TYPE, RTA_ENCAP)
    }

    /// Writes the type as `type_attr` and the nest as `nest_attr`
    /// (nexthop objects use `NHA_ENCAP_TYPE` / `NHA_ENCAP`).
    pub(crate) fn write_as(
        &self,
        m: &mut MsgBuilder<'_>,
        type_attr: u16,
        nest_attr: u16,
    ) -> Result<()> {
        m.put_u16(type_attr, self.encap_type());
        match self {
            Encap::Mpls { labels, ttl } => {
                if labels.is_empty() {
                    return Err(Error::invalid("mpls labels", "empty label stack"));
                }
                if labels.iter().any(|l| l.label > 0xf_ffff) {
                    return Err(Error::invalid("mpls label", "above 2^20 - 1"));
                }
                let bytes = label_bytes(labels);
                m.nest(nest_attr, |m| {
                    m.put_bytes(MPLS_IPTUNNEL_DST, &bytes);
                    if let Some(t) = ttl {
                        m.put_u8(MPLS_IPTUNNEL_TTL, *t);
                    }
                });
            }
            Encap::Seg6 { mode, srh } => {
                let mut payload = i32::from(*mode).to_ne_bytes().to_vec();
                payload.extend(srh.encode()?);
                m.nest(nest_attr, |m| {
                    m.put_bytes(SEG6_IPTUNNEL_SRH, &payload);
                });
            }
            Encap::Seg6Local(s) => {
                let srh = s.srh.as_ref().map(Srh::encode).transpose()?;
                m.nest(nest_attr, |m| {
                    m.put_u32(SEG6_LOCAL_ACTION, s.action.into());
                    if let Some(v) = s.table {
                        m.put_u32(SEG6_LOCAL_TABLE, v);
                    }
                    if let Some(v) = s.vrf_table {
                        m.put_u32(SEG6_LOCAL_VRFTABLE, v);
                    }
                    if let Some(v) = s.nh4 {
                        m.put_ipv4(SEG6_LOCAL_NH4, v);
                    }
                    if let Some(v) = s.nh6 {
                        m.put_ipv6(SEG6_LOCAL_NH6, v);
                    }
                    if let Some(v) = s.iif {
                        m.put_u32(SEG6_LOCAL_IIF, v);
                    }
                    if let Some(v) = s.oif {
                        m.put_u32(SEG6_LOCAL_OIF, v);
                    }
                    if let Some(b) = &srh {
                        m.put_bytes(SEG6_LOCAL_SRH, b);
                    }
                    if let Some(p) = &s.bpf {
                        p.write(m, SEG6_LOCAL_BPF);
                    }
                    if let Some(c) = &s.counters {
                        m.put_bytes(SEG6_LOCAL_COUNTERS, c);
                    }
                    if let Some(f) = &s.flavors {
                        m.put_bytes(SEG6_LOCAL_FLAVORS, f);
                    }
                });
            }
            Encap::Bpf {
                input,
                output,
                xmit,
                headroom,
            } => {
                m.nest(nest_attr, |m| {
                    if let Some(p) = input {
                        p.write(m, LWT_BPF_IN);
                    }
                    if let Some(p) = output {
                        p.write(m, LWT_BPF_OUT);
                    }
                    if let Some(p) = xmit {
                        p.write(m, LWT_BPF_XMIT);
                    }
                    if let Some(h) = headroom {
                        m.put_u32(LWT_BPF_XMIT_HEADROOM, *h);
                    }
                });
            }
            Encap::Ip(t) | Encap::Ip6(t) => {
                m.nest(nest_attr, |m| {
                    if let Some(v) = t.id {
                        m.put_be64(LWTUNNEL_IP_ID, v);
                    }
                    if let Some(v) = t.dst {
                        m.put_ip(LWTUNNEL_IP_DST, v);
                    }
                    if let Some(v) = t.src {
                        m.put_ip(LWTUNNEL_IP_SRC, v);
                    }
                    if let Some(v) = t.ttl {
                        m.put_u8(LWTUNNEL_IP_TTL, v);
                    }
                    if let Some(v) = t.tos {
                        m.put_u8(LWTUNNEL_IP_TOS, v);
                    }
                    if let Some(v) = t.flags {
                        m.put_be16(LWTUNNEL_IP_FLAGS, v);
                    }
                });
            }
            Encap::Other { data, .. } => {
                m.nest(nest_attr, |m| {
                    m.header(&data[..]);
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(e: &Encap) -> Encap {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::attrs_only(&mut buf);
        e.write(&mut m).unwrap();
        m.finish().unwrap();
        let tb: nl_wire::AttrTable<'_, 32> = Attrs::new(&buf).table().unwrap();
        let encap_type = tb.u16(RTA_ENCAP_TYPE).unwrap().unwrap();
        Encap::parse(encap_type, tb.nested(RTA_ENCAP).unwrap()).unwrap()
    }

    #[test]
    fn mpls_labels() {
        let e = Encap::Mpls {
            labels: vec![
                MplsLabel::new(100),
                MplsLabel {
                    label: 200,
                    tc: 3,
                    ttl: 0,
                },
            ],
            ttl: Some(64),
        };
        assert_eq!(round_trip(&e), e);
        // bottom of stack on the last label only
        let bytes = label_bytes(&[MplsLabel::new(100), MplsLabel::new(200)]);
        assert_eq!(bytes[2] & 1, 0);
        assert_eq!(bytes[6] & 1, 1);
        assert!(
            Encap::Mpls {
                labels: vec![],
                ttl: None
            }
            .write(&mut MsgBuilder::attrs_only(&mut Vec::new()))
            .is_err()
        );
    }

    #[test]
    fn seg6_segments_keep_their_order() {
        let srh = Srh {
            segments: vec![
                "2001:db8::1".parse().unwrap(),
                "2001:db8::2".parse().unwrap(),
            ],
            ..Srh::default()
        };
        let e = Encap::Seg6 {
            mode: Seg6Mode::Encap,
            srh: srh.clone(),
        };
        assert_eq!(round_trip(&e), e);
        let bytes = srh.encode().unwrap();
        assert_eq!(bytes[1], 4, "hdrlen: (8 + 32) / 8 - 1");
        assert_eq!(bytes[3], 1, "segments_left");
        assert_eq!(
            &bytes[8..24],
            &"2001:db8::2".parse::<Ipv6Addr>().unwrap().octets(),
            "last segment first"
        );
    }

    #[test]
    fn seg6local_bpf_and_tunnels() {
        let e = Encap::Seg6Local(Seg6Local {
            action: Seg6Action::EndDt6,
            table: Some(100),
            nh6: Some("2001:db8::9".parse().unwrap()),
            ..Seg6Local::default()
        });
        assert_eq!(round_trip(&e), e);
        let e = Encap::Bpf {
            input: None,
            output: Some(BpfProg {
                fd: Some(3),
                name: Some("prog".into()),
            }),
            xmit: None,
            headroom: Some(14),
        };
        assert_eq!(round_trip(&e), e);
        let t = IpTunnelEncap {
            id: Some(42),
            dst: Some("192.0.2.7".parse().unwrap()),
            ttl: Some(9),
            flags: Some(0),
            ..IpTunnelEncap::default()
        };
        assert_eq!(round_trip(&Encap::Ip(t)), Encap::Ip(t));
        let t6 = IpTunnelEncap {
            dst: Some("2001:db8::7".parse().unwrap()),
            ..t
        };
        assert_eq!(round_trip(&Encap::Ip6(t6)), Encap::Ip6(t6));
        let o = Encap::Other {
            encap_type: 99,
            data: vec![4, 0, 1, 0],
        };
        assert_eq!(round_trip(&o), o);
    }
}
