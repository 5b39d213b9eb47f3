//! Actions: attached to filters (`... action mirred egress redirect dev
//! X`) or standalone in the kernel's action tables (RTM_NEWACTION /
//! DELACTION / GETACTION).

use std::net::IpAddr;

use nl_wire::netlink::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use super::qdisc::rate_of;
use super::units::{self, LinkLayer, Rate};
use super::{Stats, Verdict};
use crate::attrs::{attr_struct, parse_with};
use crate::error::{Error, Result, WireContext};
use crate::uapi::pkt_cls::*;
use crate::uapi::pkt_sched::TC_LINKLAYER_ETHERNET;
use crate::uapi::rtnetlink::{RTM_DELACTION, RTM_GETACTION, RTM_NEWACTION, TCA_ROOT_TAB};
use crate::uapi::tc_bpf::*;
use crate::uapi::tc_csum::TCA_CSUM_PARMS;
use crate::uapi::tc_gact::{TCA_GACT_PARMS, TCA_GACT_PROB};
use crate::uapi::tc_mirred::*;
use crate::uapi::tc_skbedit::*;
use crate::uapi::tc_tunnel_key::*;
use crate::uapi::tc_vlan::*;
use crate::uapi::types::{TcGactP, TcGen, TcGenPlus, TcMirred, TcPolice, TcRateSpec, TcaMsg};

/// One action.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Action {
    /// What it does.
    pub kind: ActionKind,
    /// What happens after it (`tc_gen.action`; for police, the verdict
    /// when the rate is exceeded).
    pub verdict: Verdict,
    /// Index in the kernel's table of this kind (0 on add: the kernel
    /// picks one; set it to share one action between filters).
    pub index: u32,
    /// `TCA_ACT_COOKIE`: opaque bytes kept with the action (at most 16).
    pub cookie: Option<Vec<u8>>,
    /// References (reported).
    pub refcnt: i32,
    /// Filters bound to it (reported).
    pub bindcnt: i32,
    /// Counters (reported).
    pub stats: Option<Stats>,
}

/// The kinds of action, with their options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ActionKind {
    /// `mirred`: redirect or mirror to a device.
    Mirred {
        /// Direction and mirror/redirect.
        action: MirredAction,
        /// Target interface index.
        ifindex: u32,
    },
    /// `gact`: a verdict, optionally random (`random determ|netrand`).
    Gact {
        /// `tc_gact_p`: `PGACT_NETRAND` or `PGACT_DETERM`, the value, and
        /// the other verdict.
        random: Option<(u16, u16, Verdict)>,
    },
    /// `police`: rate limit.
    Police(Police),
    /// `bpf`: an eBPF program (by fd on add; id and tag reported).
    Bpf {
        /// Program fd to attach (add only).
        fd: Option<u32>,
        /// Name shown by `tc`.
        name: Option<String>,
        /// Program id (reported).
        id: Option<u32>,
        /// Program tag (reported).
        tag: Option<[u8; 8]>,
    },
    /// `skbedit`: set priority, queue, mark or packet type.
    Skbedit(Skbedit),
    /// `vlan`: pop, push or modify a VLAN tag.
    Vlan {
        /// The operation.
        op: VlanOp,
        /// VLAN id to push or set.
        id: Option<u16>,
        /// Tag protocol (`ETH_P_8021Q` ...).
        protocol: Option<u16>,
        /// Priority (PCP).
        prio: Option<u8>,
    },
    /// `tunnel_key`: set or release tunnel metadata.
    TunnelKey(TunnelKey),
    /// `csum`: recompute checksums (`TCA_CSUM_UPDATE_FLAG_*`).
    Csum {
        /// Which headers.
        flags: u32,
    },
    /// A kind this library does not know, with its raw options.
    Other {
        /// `TCA_ACT_KIND`.
        kind: String,
        /// Payload of `TCA_ACT_OPTIONS`.
        options: Option<Vec<u8>>,
    },
}

impl Default for ActionKind {
    fn default() -> Self {
        ActionKind::Gact { random: None }
    }
}

nl_wire::kernel_enum! {
    /// mirred's `eaction` (`TCA_*_REDIR`, `TCA_*_MIRROR`), with `tc`'s
    /// words ([`MirredAction::words`] splits them).
    pub enum MirredAction: i32, "mirred", Error {
        /// `egress redirect`.
        EgressRedirect = TCA_EGRESS_REDIR => "egress redirect",
        /// `egress mirror`.
        EgressMirror = TCA_EGRESS_MIRROR => "egress mirror",
        /// `ingress redirect`.
        IngressRedirect = TCA_INGRESS_REDIR => "ingress redirect",
        /// `ingress mirror`.
        IngressMirror = TCA_INGRESS_MIRROR => "ingress mirror",
    }
}

impl MirredAction {
    /// `tc`'s words: (`egress`|`ingress`, `redirect`|`mirror`).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            MirredAction::EgressRedirect => ("egress", "redirect"),
            MirredAction::EgressMirror => ("egress", "mirror"),
            MirredAction::IngressRedirect => ("ingress", "redirect"),
            MirredAction::IngressMirror => ("ingress", "mirror"),
            MirredAction::Other(_) => ("unknown", "unknown"),
        }
    }

    /// From `tc`'s words.
    pub fn from_words(direction: &str, what: &str) -> Result<Self> {
        Ok(match (direction, what) {
            ("egress", "redirect") => MirredAction::EgressRedirect,
            ("egress", "mirror") => MirredAction::EgressMirror,
            ("ingress", "redirect") => MirredAction::IngressRedirect,
            ("ingress", "mirror") => MirredAction::IngressMirror,
            _ => {
                return Err(Error::invalid(
                    "mirred",
                    "egress|ingress then redirect|mirror",
                ));
            }
        })
    }
}

nl_wire::kernel_enum! {
    /// The vlan action's operation (`TCA_VLAN_ACT_*`), with `tc`'s words.
    pub enum VlanOp: i32, "vlan", Error {
        /// `pop`.
        Pop = TCA_VLAN_ACT_POP => "pop",
        /// `push`.
        Push = TCA_VLAN_ACT_PUSH => "push",
        /// `modify`.
        Modify = TCA_VLAN_ACT_MODIFY => "modify",
        /// `pop_eth`.
        PopEth = TCA_VLAN_ACT_POP_ETH => "pop_eth",
        /// `push_eth`.
        PushEth = TCA_VLAN_ACT_PUSH_ETH => "push_eth",
    }
}

/// police options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Police {
    /// Rate (0 with `avrate` only).
    pub rate: Rate,
    /// Bucket size in bytes (`burst`).
    pub burst: u32,
    /// Largest packet that can conform (`mtu`; 0: no limit).
    pub mtu: u32,
    /// Peak rate (needs `mtu`).
    pub peakrate: Option<Rate>,
    /// Average rate from the estimator, bytes per second (`avrate`).
    pub avrate: Option<u32>,
    /// Verdict for conforming packets (`conform-exceed X/THIS`).
    pub conform: Option<Verdict>,
}

attr_struct! {
    /// skbedit options.
    pub struct Skbedit {
        /// Packet priority (a class id such as `1:10`, as a number).
        priority: u32 = TCA_SKBEDIT_PRIORITY,
        /// Transmit queue.
        queue_mapping: u16 = TCA_SKBEDIT_QUEUE_MAPPING,
        /// Firewall mark.
        mark: u32 = TCA_SKBEDIT_MARK,
        /// Mask of the mark.
        mask: u32 = TCA_SKBEDIT_MASK,
        /// Packet type (`PACKET_HOST` ...).
        ptype: u16 = TCA_SKBEDIT_PTYPE,
    }
}

attr_struct! {
    /// tunnel_key options (`set`; an empty one with `release: true` is
    /// `tunnel_key unset`).
    pub struct TunnelKey {
        /// Outer source address.
        src: IpAddr = TCA_TUNNEL_KEY_ENC_IPV4_SRC,
        /// Outer destination address.
        dst: IpAddr = TCA_TUNNEL_KEY_ENC_IPV4_DST,
        /// Tunnel key (VNI).
        key_id: u32 = TCA_TUNNEL_KEY_ENC_KEY_ID => Be32,
        /// Outer UDP destination port.
        dst_port: u16 = TCA_TUNNEL_KEY_ENC_DST_PORT => Be16,
        /// Outer TOS.
        tos: u8 = TCA_TUNNEL_KEY_ENC_TOS,
        /// Outer TTL.
        ttl: u8 = TCA_TUNNEL_KEY_ENC_TTL,
        /// Leave the outer UDP checksum zero (1) or compute it (0).
        no_csum: u8 = TCA_TUNNEL_KEY_NO_CSUM,
    }
    extra {
        /// `unset`: release the metadata instead of setting it.
        pub release: bool,
    }
}

impl ActionKind {
    /// The kind string (`TCA_ACT_KIND`).
    pub fn name(&self) -> &str {
        match self {
            ActionKind::Mirred { .. } => "mirred",
            ActionKind::Gact { .. } => "gact",
            ActionKind::Police(_) => "police",
            ActionKind::Bpf { .. } => "bpf",
            ActionKind::Skbedit(_) => "skbedit",
            ActionKind::Vlan { .. } => "vlan",
            ActionKind::TunnelKey(_) => "tunnel_key",
            ActionKind::Csum { .. } => "csum",
            ActionKind::Other { kind, .. } => kind,
        }
    }
}

fn head(a: &Action) -> TcGen {
    TcGen {
        index: a.index.into(),
        action: i32::from(a.verdict).into(),
        ..TcGen::default()
    }
}

fn police_spec(rate: Rate, mtu: u32) -> (TcRateSpec, [u8; 1024]) {
    let table = units::rate_table(rate, mtu, 0, None, LinkLayer::Ethernet);
    let spec = TcRateSpec {
        cell_log: table.cell_log,
        linklayer: TC_LINKLAYER_ETHERNET,
        cell_align: (-1).into(),
        rate: u32::try_from(rate.bytes()).unwrap_or(u32::MAX).into(),
        ..TcRateSpec::default()
    };
    (spec, table.to_bytes())
}

impl Action {
    /// An action of `kind` with `verdict` after it.
    pub fn new(kind: ActionKind, verdict: Verdict) -> Action {
        Action {
            kind,
            verdict,
            ..Action::default()
        }
    }

    /// `mirred`, with `tc`'s verdict: `stolen` for a redirect, `pipe` for
    /// a mirror.
    pub fn mirred(action: MirredAction, ifindex: u32) -> Action {
        let verdict = match action {
            MirredAction::EgressMirror | MirredAction::IngressMirror => Verdict::Pipe,
            _ => Verdict::Stolen,
        };
        Action::new(ActionKind::Mirred { action, ifindex }, verdict)
    }

    /// `gact` with a plain verdict (`action drop`, `action pass` ...).
    pub fn gact(verdict: Verdict) -> Action {
        Action::new(ActionKind::Gact { random: None }, verdict)
    }

    /// `police`; packets over the rate get `exceed` (`conform-exceed
    /// EXCEED`).
    pub fn police(police: Police, exceed: Verdict) -> Action {
        Action::new(ActionKind::Police(police), exceed)
    }

    /// Writes one `TCA_ACT_*` entry (nest `order`, from 1).
    pub(crate) fn write_entry(&self, m: &mut MsgBuilder<'_>, order: u16) {
        m.nest(order, |m| {
            m.put_str(TCA_ACT_KIND, self.kind.name());
            if let Some(c) = &self.cookie {
                m.put_bytes(TCA_ACT_COOKIE, c);
            }
            m.nest(TCA_ACT_OPTIONS, |m| self.write_options(m));
        });
    }

    fn write_options(&self, m: &mut MsgBuilder<'_>) {
        let g = head(self);
        match &self.kind {
            ActionKind::Mirred { action, ifindex } => {
                m.put(
                    TCA_MIRRED_PARMS,
                    &TcMirred {
                        head: g,
                        eaction: i32::from(*action).into(),
                        ifindex: (*ifindex).into(),
                    },
                );
            }
            ActionKind::Gact { random } => {
                m.put(TCA_GACT_PARMS, &g);
                if let Some((ptype, pval, paction)) = random {
                    m.put(
                        TCA_GACT_PROB,
                        &TcGactP {
                            ptype: (*ptype).into(),
                            pval: (*pval).into(),
                            paction: i32::from(*paction).into(),
                        },
                    );
                }
            }
            ActionKind::Police(p) => {
                let (rate, rtab) = police_spec(p.rate, p.mtu);
                let parm = TcPolice {
                    index: self.index.into(),
                    action: i32::from(self.verdict).into(),
                    burst: units::xmit_time(p.rate, p.burst).into(),
                    mtu: p.mtu.into(),
                    rate: if p.rate.bytes() != 0 {
                        rate
                    } else {
                        TcRateSpec::default()
                    },
                    peakrate: p
                        .peakrate
                        .map(|r| police_spec(r, p.mtu).0)
                        .unwrap_or_default(),
                    ..TcPolice::default()
                };
                m.put(TCA_POLICE_TBF, &parm);
                if p.rate.bytes() != 0 {
                    m.put_bytes(TCA_POLICE_RATE, &rtab);
                }
                if let Some(r) = p.peakrate {
                    m.put_bytes(TCA_POLICE_PEAKRATE, &police_spec(r, p.mtu).1);
                    if r.bytes() > u64::from(u32::MAX) {
                        m.put_u64(TCA_POLICE_PEAKRATE64, r.bytes());
                    }
                }
                if p.rate.bytes() > u64::from(u32::MAX) {
                    m.put_u64(TCA_POLICE_RATE64, p.rate.bytes());
                }
                if let Some(a) = p.avrate {
                    m.put_u32(TCA_POLICE_AVRATE, a);
                }
                if let Some(c) = p.conform {
                    m.put_i32(TCA_POLICE_RESULT, c.into());
                }
            }
            ActionKind::Bpf { fd, name, .. } => {
                m.put(TCA_ACT_BPF_PARMS, &g);
                if let Some(fd) = fd {
                    m.put_u32(TCA_ACT_BPF_FD, *fd);
                }
                if let Some(n) = name {
                    m.put_str(TCA_ACT_BPF_NAME, n);
                }
            }
            ActionKind::Skbedit(s) => {
                m.put(TCA_SKBEDIT_PARMS, &g);
                s.write_attrs(m);
            }
            ActionKind::Vlan {
                op,
                id,
                protocol,
                prio,
            } => {
                m.put(
                    TCA_VLAN_PARMS,
                    &TcGenPlus {
                        head: g,
                        extra: i32::from(*op).into(),
                    },
                );
                if let Some(v) = id {
                    m.put_u16(TCA_VLAN_PUSH_VLAN_ID, *v);
                }
                if let Some(v) = protocol {
                    m.put_be16(TCA_VLAN_PUSH_VLAN_PROTOCOL, *v);
                }
                if let Some(v) = prio {
                    m.put_u8(TCA_VLAN_PUSH_VLAN_PRIORITY, *v);
                }
            }
            ActionKind::TunnelKey(t) => {
                let op = if t.release {
                    TCA_TUNNEL_KEY_ACT_RELEASE
                } else {
                    TCA_TUNNEL_KEY_ACT_SET
                };
                m.put(
                    TCA_TUNNEL_KEY_PARMS,
                    &TcGenPlus {
                        head: g,
                        extra: op.into(),
                    },
                );
                // The address attributes differ by family.
                let mut t = t.clone();
                let (src, dst) = (t.src.take(), t.dst.take());
                for (addr, v4, v6) in [
                    (
                        src,
                        TCA_TUNNEL_KEY_ENC_IPV4_SRC,
                        TCA_TUNNEL_KEY_ENC_IPV6_SRC,
                    ),
                    (
                        dst,
                        TCA_TUNNEL_KEY_ENC_IPV4_DST,
                        TCA_TUNNEL_KEY_ENC_IPV6_DST,
                    ),
                ] {
                    match addr {
                        Some(IpAddr::V4(a)) => {
                            m.put_ipv4(v4, a);
                        }
                        Some(IpAddr::V6(a)) => {
                            m.put_ipv6(v6, a);
                        }
                        None => {}
                    }
                }
                t.write_attrs(m);
            }
            ActionKind::Csum { flags } => {
                m.put(
                    TCA_CSUM_PARMS,
                    &TcGenPlus {
                        head: g,
                        extra: i32::from_ne_bytes(flags.to_ne_bytes()).into(),
                    },
                );
            }
            ActionKind::Other { options, .. } => {
                if let Some(o) = options {
                    m.header(o.as_slice());
                }
            }
        }
    }

    fn validate(&self) -> Result<()> {
        if self
            .cookie
            .as_ref()
            .is_some_and(|c| c.is_empty() || c.len() > 16)
        {
            return Err(Error::invalid("cookie", "1..=16 bytes"));
        }
        match &self.kind {
            ActionKind::Mirred { ifindex: 0, .. } => {
                Err(Error::invalid("mirred", "needs a target device"))
            }
            ActionKind::Police(p) if p.rate.bytes() == 0 && p.avrate.is_none() => {
                Err(Error::invalid("police", "needs a rate or an avrate"))
            }
            ActionKind::Police(p) if p.rate.bytes() != 0 && p.burst == 0 => {
                Err(Error::invalid("police", "a rate needs a burst"))
            }
            ActionKind::Police(p) if p.peakrate.is_some() && p.mtu == 0 => {
                Err(Error::invalid("police", "a peakrate needs an mtu"))
            }
            ActionKind::Vlan {
                op: VlanOp::Push,
                id: None,
                ..
            } => Err(Error::invalid("vlan", "push needs an id")),
            ActionKind::Vlan { id: Some(id), .. } if *id >= 4095 => {
                Err(Error::invalid("vlan", "ids are 0..=4094"))
            }
            ActionKind::Bpf { fd: None, .. } if self.index == 0 => Err(Error::invalid(
                "bpf",
                "needs a program fd (or the index of an existing action)",
            )),
            ActionKind::Other { kind, .. } if kind.is_empty() => {
                Err(Error::invalid("action", "empty kind"))
            }
            _ => Ok(()),
        }
    }

    /// Parses one action entry (a nest holding `TCA_ACT_KIND` ...).
    pub(crate) fn parse_entry(entry: &Attr<'_>, ty: u16) -> Result<Action> {
        let mut kind = "";
        let mut options = None;
        let mut a = Action::default();
        for x in entry.nested() {
            let x = x.ctx(ty)?;
            match x.kind() {
                TCA_ACT_KIND => kind = x.str().ctx(ty)?,
                TCA_ACT_OPTIONS => options = Some(x),
                TCA_ACT_INDEX => a.index = x.u32().ctx(ty)?,
                TCA_ACT_STATS => a.stats = Some(Stats::parse_v2(&x, ty)?),
                TCA_ACT_COOKIE => a.cookie = Some(x.payload().to_vec()),
                _ => {}
            }
        }
        let attrs = options.as_ref().map_or_else(Attrs::empty, Attr::nested);
        let set_gen = |a: &mut Action, g: &TcGen| {
            a.index = g.index.get();
            a.verdict = Verdict::from(g.action.get());
            a.refcnt = g.refcnt.get();
            a.bindcnt = g.bindcnt.get();
        };
        a.kind = match kind {
            "mirred" => {
                let mut k = ActionKind::Mirred {
                    action: MirredAction::EgressRedirect,
                    ifindex: 0,
                };
                for x in attrs {
                    let x = x.ctx(ty)?;
                    if x.kind() == TCA_MIRRED_PARMS {
                        let p: TcMirred = x.read();
                        set_gen(&mut a, &p.head);
                        k = ActionKind::Mirred {
                            action: p.eaction.get().into(),
                            ifindex: p.ifindex.get(),
                        };
                    }
                }
                k
            }
            "gact" => {
                let mut random = None;
                for x in attrs {
                    let x = x.ctx(ty)?;
                    match x.kind() {
                        TCA_GACT_PARMS => set_gen(&mut a, &x.read()),
                        TCA_GACT_PROB => {
                            let p: TcGactP = x.read();
                            random = Some((p.ptype.get(), p.pval.get(), p.paction.get().into()));
                        }
                        _ => {}
                    }
                }
                ActionKind::Gact { random }
            }
            "police" => {
                let mut parm = TcPolice::default();
                let (mut rate64, mut peak64) = (None, None);
                let mut p = Police::default();
                for x in attrs {
                    let x = x.ctx(ty)?;
                    match x.kind() {
                        TCA_POLICE_TBF => parm = x.read(),
                        TCA_POLICE_RATE64 => rate64 = Some(x.u64().ctx(ty)?),
                        TCA_POLICE_PEAKRATE64 => peak64 = Some(x.u64().ctx(ty)?),
                        TCA_POLICE_AVRATE => p.avrate = Some(x.u32().ctx(ty)?),
                        TCA_POLICE_RESULT => p.conform = Some(x.i32().ctx(ty)?.into()),
                        _ => {}
                    }
                }
                a.index = parm.index.get();
                a.verdict = parm.action.get().into();
                a.refcnt = parm.refcnt.get();
                a.bindcnt = parm.bindcnt.get();
                p.rate = rate_of(&parm.rate, rate64);
                p.burst = units::xmit_size(p.rate, parm.burst.get());
                p.mtu = parm.mtu.get();
                let peak = rate_of(&parm.peakrate, peak64);
                p.peakrate = (peak.bytes() != 0).then_some(peak);
                ActionKind::Police(p)
            }
            "bpf" => {
                let (mut fd, mut name, mut id, mut tag) = (None, None, None, None);
                for x in attrs {
                    let x = x.ctx(ty)?;
                    match x.kind() {
                        TCA_ACT_BPF_PARMS => set_gen(&mut a, &x.read()),
                        TCA_ACT_BPF_FD => fd = Some(x.u32().ctx(ty)?),
                        TCA_ACT_BPF_NAME => name = Some(x.str().ctx(ty)?.to_string()),
                        TCA_ACT_BPF_ID => id = Some(x.u32().ctx(ty)?),
                        TCA_ACT_BPF_TAG => {
                            tag = Some(nl_wire::read_tolerant::<[u8; 8]>(x.payload()))
                        }
                        _ => {}
                    }
                }
                ActionKind::Bpf { fd, name, id, tag }
            }
            "skbedit" => {
                let mut s = Skbedit::default();
                let mut g = None;
                parse_with(
                    attrs,
                    ty,
                    |x| s.parse_attr(x),
                    |x| {
                        if x.kind() == TCA_SKBEDIT_PARMS {
                            g = Some(x.read::<TcGen>());
                        }
                        Ok(())
                    },
                )?;
                if let Some(g) = g {
                    set_gen(&mut a, &g);
                }
                ActionKind::Skbedit(s)
            }
            "vlan" => {
                let mut k = (VlanOp::Pop, None, None, None);
                for x in attrs {
                    let x = x.ctx(ty)?;
                    match x.kind() {
                        TCA_VLAN_PARMS => {
                            let p: TcGenPlus = x.read();
                            set_gen(&mut a, &p.head);
                            k.0 = p.extra.get().into();
                        }
                        TCA_VLAN_PUSH_VLAN_ID => k.1 = Some(x.u16().ctx(ty)?),
                        TCA_VLAN_PUSH_VLAN_PROTOCOL => k.2 = Some(x.be16().ctx(ty)?),
                        TCA_VLAN_PUSH_VLAN_PRIORITY => k.3 = Some(x.u8().ctx(ty)?),
                        _ => {}
                    }
                }
                ActionKind::Vlan {
                    op: k.0,
                    id: k.1,
                    protocol: k.2,
                    prio: k.3,
                }
            }
            "tunnel_key" => {
                let mut t = TunnelKey::default();
                let mut g = None;
                let (mut src6, mut dst6) = (None, None);
                parse_with(
                    attrs,
                    ty,
                    |x| t.parse_attr(x),
                    |x| {
                        match x.kind() {
                            TCA_TUNNEL_KEY_PARMS => g = Some(x.read::<TcGenPlus>()),
                            TCA_TUNNEL_KEY_ENC_IPV6_SRC => src6 = Some(x.ip().ctx(ty)?),
                            TCA_TUNNEL_KEY_ENC_IPV6_DST => dst6 = Some(x.ip().ctx(ty)?),
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                t.src = t.src.or(src6);
                t.dst = t.dst.or(dst6);
                if let Some(g) = g {
                    set_gen(&mut a, &g.head);
                    t.release = g.extra.get() == TCA_TUNNEL_KEY_ACT_RELEASE;
                }
                ActionKind::TunnelKey(t)
            }
            "csum" => {
                let mut flags = 0;
                for x in attrs {
                    let x = x.ctx(ty)?;
                    if x.kind() == TCA_CSUM_PARMS {
                        let p: TcGenPlus = x.read();
                        set_gen(&mut a, &p.head);
                        flags = u32::from_ne_bytes(p.extra.get().to_ne_bytes());
                    }
                }
                ActionKind::Csum { flags }
            }
            other => ActionKind::Other {
                kind: other.to_string(),
                options: options.map(|o| o.payload().to_vec()),
            },
        };
        Ok(a)
    }

    /// Writes a list of actions as a filter's action nest `kind`.
    pub(crate) fn write_list(actions: &[Action], m: &mut MsgBuilder<'_>, kind: u16) -> Result<()> {
        if actions.is_empty() {
            return Ok(());
        }
        if actions.len() > usize::from(TCA_ACT_MAX_PRIO) {
            return Err(Error::invalid("actions", "at most 32 per filter"));
        }
        for a in actions {
            a.validate()?;
        }
        m.nest(kind, |m| {
            for (order, a) in (1u16..).zip(actions) {
                a.write_entry(m, order);
            }
        });
        Ok(())
    }

    /// Parses a filter's action nest.
    pub(crate) fn parse_list(list: &Attr<'_>, ty: u16) -> Result<Vec<Action>> {
        let mut out = Vec::new();
        for e in list.nested() {
            out.push(Action::parse_entry(&e.ctx(ty)?, ty)?);
        }
        Ok(out)
    }

    fn write_standalone(actions: &[Action], buf: &mut Vec<u8>, flags: u16) -> Result<()> {
        if actions.is_empty() {
            return Err(Error::invalid("actions", "none given"));
        }
        let mut m = MsgBuilder::new(buf, RTM_NEWACTION, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&TcaMsg::default());
        Action::write_list(actions, &mut m, TCA_ROOT_TAB)?;
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc actions add` for these actions (they go into the
    /// kernel's tables, to be shared by filters through their index).
    pub fn write_add(actions: &[Action], buf: &mut Vec<u8>) -> Result<()> {
        Action::write_standalone(actions, buf, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Writes `tc actions replace`.
    pub fn write_replace(actions: &[Action], buf: &mut Vec<u8>) -> Result<()> {
        Action::write_standalone(actions, buf, NLM_F_CREATE | NLM_F_REPLACE)
    }

    fn write_by_index(
        ty: u16,
        flags: u16,
        kind: &str,
        index: u32,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if kind.is_empty() {
            return Err(Error::invalid("action", "empty kind"));
        }
        let mut m = MsgBuilder::new(buf, ty, flags);
        m.header(&TcaMsg::default());
        m.nest(TCA_ROOT_TAB, |m| {
            m.nest(1, |m| {
                m.put_str(TCA_ACT_KIND, kind);
                if index != 0 {
                    m.put_u32(TCA_ACT_INDEX, index);
                }
            });
        });
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc actions del action KIND index N`.
    pub fn write_del(kind: &str, index: u32, buf: &mut Vec<u8>) -> Result<()> {
        if index == 0 {
            return Err(Error::invalid(
                "index",
                "deleting an action needs its index",
            ));
        }
        Action::write_by_index(RTM_DELACTION, NLM_F_REQUEST | NLM_F_ACK, kind, index, buf)
    }

    /// Writes `tc actions get action KIND index N`.
    pub fn write_get(kind: &str, index: u32, buf: &mut Vec<u8>) -> Result<()> {
        Action::write_by_index(RTM_GETACTION, NLM_F_REQUEST, kind, index, buf)
    }

    /// Parses an RTM_NEWACTION / RTM_DELACTION message: its table of
    /// actions.
    pub fn parse_msg(msg: &Msg<'_>) -> Result<Vec<Action>> {
        let ty = msg.ty();
        let mut out = Vec::new();
        for a in msg.attrs::<TcaMsg>() {
            let a = a.ctx(ty)?;
            if a.kind() == TCA_ROOT_TAB {
                out.extend(Action::parse_list(&a, ty)?);
            }
        }
        Ok(out)
    }
}

/// `tc actions list action KIND`: every action of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDump {
    /// The kind (`gact`, `mirred` ...).
    pub kind: String,
}

impl ActionDump {
    /// Writes the dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        Action::write_by_index(
            RTM_GETACTION,
            NLM_F_REQUEST | NLM_F_DUMP,
            &self.kind,
            0,
            buf,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    pub(crate) fn every_action() -> Vec<Action> {
        vec![
            Action::mirred(MirredAction::EgressRedirect, 7),
            Action {
                index: 12,
                cookie: Some(vec![1, 2, 3]),
                ..Action::mirred(MirredAction::IngressMirror, 8)
            },
            Action::gact(Verdict::Drop),
            Action::new(
                ActionKind::Gact {
                    random: Some((1, 10, Verdict::Ok)),
                },
                Verdict::Drop,
            ),
            Action::gact(Verdict::GotoChain(3)),
            Action::police(
                Police {
                    rate: Rate::mbit(1),
                    burst: 10_000,
                    mtu: 2040,
                    peakrate: Some(Rate::mbit(2)),
                    avrate: None,
                    conform: Some(Verdict::Ok),
                },
                Verdict::Drop,
            ),
            Action::new(
                ActionKind::Bpf {
                    fd: Some(9),
                    name: Some("prog".into()),
                    id: None,
                    tag: None,
                },
                Verdict::Pipe,
            ),
            Action::new(
                ActionKind::Skbedit(Skbedit {
                    priority: Some(0x10010),
                    mark: Some(5),
                    mask: Some(0xff),
                    queue_mapping: Some(2),
                    ptype: Some(0),
                }),
                Verdict::Pipe,
            ),
            Action::new(
                ActionKind::Vlan {
                    op: VlanOp::Push,
                    id: Some(100),
                    protocol: Some(0x8100),
                    prio: Some(3),
                },
                Verdict::Pipe,
            ),
            Action::new(
                ActionKind::TunnelKey(TunnelKey {
                    src: Some("192.0.2.1".parse().unwrap()),
                    dst: Some("198.51.100.1".parse().unwrap()),
                    key_id: Some(42),
                    dst_port: Some(4789),
                    tos: Some(4),
                    ttl: Some(64),
                    no_csum: Some(1),
                    release: false,
                }),
                Verdict::Pipe,
            ),
            Action::new(
                ActionKind::TunnelKey(TunnelKey {
                    src: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                    dst: Some("2001:db8::1".parse().unwrap()),
                    ..TunnelKey::default()
                }),
                Verdict::Pipe,
            ),
            Action::new(
                ActionKind::TunnelKey(TunnelKey {
                    release: true,
                    ..TunnelKey::default()
                }),
                Verdict::Pipe,
            ),
            Action::new(ActionKind::Csum { flags: 0x19 }, Verdict::Ok),
            Action::new(
                ActionKind::Other {
                    kind: "simple".into(),
                    options: Some(vec![8, 0, 2, 0, 0, 0, 0, 0]),
                },
                Verdict::Ok,
            ),
        ]
    }

    #[test]
    fn standalone_actions_round_trip() {
        let actions = every_action();
        let mut buf = Vec::new();
        Action::write_add(&actions, &mut buf).unwrap();
        let back = Action::parse_msg(&Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(back.len(), actions.len());
        for (a, b) in actions.iter().zip(&back) {
            match (&a.kind, &b.kind) {
                (ActionKind::Police(x), ActionKind::Police(y)) => {
                    assert_eq!(
                        (x.rate, x.mtu, x.peakrate, x.conform),
                        (y.rate, y.mtu, y.peakrate, y.conform)
                    );
                    assert!(x.burst.abs_diff(y.burst) <= 2);
                    assert_eq!(a.verdict, b.verdict);
                }
                _ => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn bad_actions_are_refused() {
        let mut buf = Vec::new();
        assert!(
            Action::write_add(&[Action::mirred(MirredAction::EgressRedirect, 0)], &mut buf)
                .is_err()
        );
        assert!(Action::write_add(&[], &mut buf).is_err());
        let p = Action::police(Police::default(), Verdict::Drop);
        assert!(Action::write_add(&[p], &mut buf).is_err());
        let many = vec![Action::gact(Verdict::Ok); 33];
        assert!(Action::write_add(&many, &mut buf).is_err());
        assert!(Action::write_del("gact", 0, &mut buf).is_err());
        assert!(buf.is_empty());
    }
}
