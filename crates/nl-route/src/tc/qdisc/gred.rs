//! `gred`: generalized RED, up to 16 virtual queues picked by
//! `skb->tc_index`. Set up first (`gred setup vqs N default D`), then
//! each virtual queue changed on its own (`gred DP n limit ... min ...`).

use nl_wire::{Attr, MsgBuilder};
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::{U16, U32};

use crate::tc::TcOptions;
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `MAX_DPs`: virtual queues at most; the kernel reports unused slots
/// with a DP of 16 and above.
pub const GRED_MAX_DPS: u32 = 16;

nl_wire::wire_struct! {
    /// `struct tc_gred_sopt`.
    pub(crate) struct TcGredSopt(12) {
        pub(crate) dps: U32,
        pub(crate) def_dp: U32,
        pub(crate) grio: u8,
        pub(crate) flags: u8,
        pub(crate) _pad: U16,
    }

    /// `struct tc_gred_qopt`.
    pub(crate) struct TcGredQopt(52) {
        pub(crate) limit: U32,
        pub(crate) qth_min: U32,
        pub(crate) qth_max: U32,
        pub(crate) dp: U32,
        pub(crate) backlog: U32,
        pub(crate) qave: U32,
        pub(crate) forced: U32,
        pub(crate) early: U32,
        pub(crate) other: U32,
        pub(crate) pdrop: U32,
        pub(crate) wlog: u8,
        pub(crate) plog: u8,
        pub(crate) scell_log: u8,
        pub(crate) prio: u8,
        pub(crate) packets: U32,
        pub(crate) bytesin: U32,
    }
}

/// The table's shape (`gred setup vqs N default D [grio]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GredSetup {
    /// Virtual queues (`vqs`).
    pub vqs: u32,
    /// The one packets with no valid tc_index go to (`default`).
    pub default: u32,
    /// RIO-like priority buffering (`grio`).
    pub grio: bool,
    /// `TC_RED_*` flags of the table (`ecn`, `harddrop`).
    pub flags: u8,
}

/// One virtual queue: red's parameters (see [`super::Red`]) and, when
/// reported, its counters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GredVq {
    /// Its number (`DP`).
    pub dp: u32,
    /// Hard limit, bytes (`limit`).
    pub limit: u32,
    /// Average queue where marking starts, bytes (`min`).
    pub min: u32,
    /// Where it is at its maximum (`max`).
    pub max: u32,
    /// log2 of the averaging weight.
    pub wlog: u8,
    /// log2 of the probability scale.
    pub plog: u8,
    /// Idle damping cell size log.
    pub scell_log: u8,
    /// Priority with `grio` (`prio`).
    pub prio: u8,
    /// Maximum probability, scaled to 2^32 (`TCA_GRED_MAX_P`).
    pub max_p: Option<u32>,
    /// The queue's own `TC_RED_*` flags (`TCA_GRED_VQ_FLAGS`: `ecn`,
    /// `harddrop`), where the kernel reports them or a change sets them.
    pub flags: Option<u32>,
    /// Counters (reported): backlog, average, forced, early, other and
    /// tail drops, packets, bytes.
    pub stats: [u32; 8],
}

/// `gred` options: a setup, or one virtual queue's change with its idle
/// damping table; a dump has the setup and every queue in use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gred {
    /// The table (`TCA_GRED_DPS`).
    pub setup: Option<GredSetup>,
    /// Packets in the whole qdisc (`TCA_GRED_LIMIT`).
    pub limit: Option<u32>,
    /// Virtual queues (a change writes the first).
    pub vqs: Vec<GredVq>,
    /// The 256-byte idle damping table sent with a queue's change.
    pub stab: Option<Vec<u8>>,
}

impl TcOptions for Gred {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut g = Gred::default();
        let mut max_p: Vec<u32> = Vec::new();
        let mut vq_flags: Vec<(u32, Option<u32>)> = Vec::new();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            match a.ty() {
                TCA_GRED_DPS => {
                    let s: TcGredSopt = a.read();
                    g.setup = Some(GredSetup {
                        vqs: s.dps.get(),
                        default: s.def_dp.get(),
                        grio: s.grio != 0,
                        flags: s.flags,
                    });
                }
                TCA_GRED_LIMIT => g.limit = Some(a.u32()?),
                TCA_GRED_VQ_LIST => {
                    for entry in a.nested() {
                        let entry = entry?;
                        if entry.ty() != TCA_GRED_VQ_ENTRY {
                            continue;
                        }
                        let (mut dp, mut flags) = (None, None);
                        for f in entry.nested() {
                            let f = f?;
                            match f.ty() {
                                TCA_GRED_VQ_DP => dp = Some(f.u32()?),
                                TCA_GRED_VQ_FLAGS => flags = Some(f.u32()?),
                                _ => {}
                            }
                        }
                        if let Some(dp) = dp {
                            vq_flags.push((dp, flags));
                        }
                    }
                }
                TCA_GRED_STAB => g.stab = Some(a.payload().to_vec()),
                TCA_GRED_MAX_P => {
                    max_p = a
                        .payload()
                        .chunks_exact(4)
                        .map(|c| u32::from_ne_bytes(nl_wire::read_tolerant(c)))
                        .collect();
                }
                TCA_GRED_PARMS => {
                    for c in a.payload().chunks_exact(52) {
                        let q: TcGredQopt = nl_wire::read_tolerant(c);
                        // Unused slots carry DP >= MAX_DPs.
                        if q.dp.get() >= GRED_MAX_DPS {
                            continue;
                        }
                        g.vqs.push(GredVq {
                            dp: q.dp.get(),
                            limit: q.limit.get(),
                            min: q.qth_min.get(),
                            max: q.qth_max.get(),
                            wlog: q.wlog,
                            plog: q.plog,
                            scell_log: q.scell_log,
                            prio: q.prio,
                            max_p: None,
                            flags: None,
                            stats: [
                                q.backlog.get(),
                                q.qave.get(),
                                q.forced.get(),
                                q.early.get(),
                                q.other.get(),
                                q.pdrop.get(),
                                q.packets.get(),
                                q.bytesin.get(),
                            ],
                        });
                    }
                }
                _ => {}
            }
        }
        // A dump's MAX_P has a slot per DP; a request's, its one queue's.
        for (i, vq) in g.vqs.iter_mut().enumerate() {
            let slot = if max_p.len() == 1 { i } else { vq.dp as usize };
            vq.max_p = max_p.get(slot).copied();
            vq.flags = vq_flags
                .iter()
                .find(|(dp, _)| *dp == vq.dp)
                .and_then(|(_, f)| *f);
        }
        Ok(g)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_OPTIONS, |m| {
            if let Some(s) = self.setup {
                let sopt = TcGredSopt {
                    dps: s.vqs.into(),
                    def_dp: s.default.into(),
                    grio: u8::from(s.grio),
                    flags: s.flags,
                    ..TcGredSopt::default()
                };
                m.put(TCA_GRED_DPS, &sopt);
            }
            if let Some(q) = self.vqs.first() {
                let qopt = TcGredQopt {
                    limit: q.limit.into(),
                    qth_min: q.min.into(),
                    qth_max: q.max.into(),
                    dp: q.dp.into(),
                    wlog: q.wlog,
                    plog: q.plog,
                    scell_log: q.scell_log,
                    prio: q.prio,
                    ..TcGredQopt::default()
                };
                m.put_bytes(TCA_GRED_PARMS, qopt.as_bytes());
                if let Some(stab) = &self.stab {
                    m.put_bytes(TCA_GRED_STAB, stab);
                }
                if let Some(p) = q.max_p {
                    m.put_u32(TCA_GRED_MAX_P, p);
                }
            }
            if let Some(l) = self.limit {
                m.put_u32(TCA_GRED_LIMIT, l);
            }
            // The changed queue's own flags, in the list tc sends them in.
            if let Some(q) = self.vqs.first()
                && let Some(flags) = q.flags
            {
                m.nest(TCA_GRED_VQ_LIST, |m| {
                    m.nest(TCA_GRED_VQ_ENTRY, |m| {
                        m.put_u32(TCA_GRED_VQ_DP, q.dp);
                        m.put_u32(TCA_GRED_VQ_FLAGS, flags);
                    });
                });
            }
        });
    }
}
