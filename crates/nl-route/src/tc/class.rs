//! Classes of classful qdiscs (RTM_NEWTCLASS / DELTCLASS / GETTCLASS).

use std::time::Duration;

use nl_wire::{Attr, Msg, MsgBuilder};

use super::qdisc::{Xstats, rate_of, rate_spec};
use super::units::{self, Rate};
use super::{Common, Op, Stats, TcHandle, start};
use crate::attrs::parse_with;
use crate::error::{Error, Result, WireContext};
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::{RTM_DELTCLASS, RTM_NEWTCLASS, TCA_KIND, TCA_OPTIONS};
use crate::uapi::types::{TcHtbOpt, TcServiceCurve};

/// The MTU `tc` assumes when it computes a default htb burst.
const DEFAULT_MTU: u64 = 1600;

/// A class of a classful qdisc.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Class {
    /// Interface index.
    pub index: u32,
    /// Class id (`classid 1:10`).
    pub handle: TcHandle,
    /// Parent qdisc (`1:`) or class (`1:1`).
    pub parent: TcHandle,
    /// Kind and options.
    pub kind: ClassKind,
    /// Counters (reported).
    pub stats: Option<Stats>,
    /// Kind-specific counters (reported).
    pub xstats: Option<Xstats>,
}

/// A class's kind and options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClassKind {
    /// An htb class.
    Htb(HtbClass),
    /// An hfsc class.
    Hfsc(HfscClass),
    /// Another kind (classes of prio, mq, fq_codel ... carry no options),
    /// with its raw `TCA_OPTIONS`.
    Other {
        /// `TCA_KIND`.
        kind: String,
        /// Payload of `TCA_OPTIONS`.
        options: Option<Vec<u8>>,
    },
}

impl Default for ClassKind {
    fn default() -> Self {
        ClassKind::Htb(HtbClass::default())
    }
}

impl From<HtbClass> for ClassKind {
    fn from(c: HtbClass) -> Self {
        ClassKind::Htb(c)
    }
}

impl From<HfscClass> for ClassKind {
    fn from(c: HfscClass) -> Self {
        ClassKind::Hfsc(c)
    }
}

/// htb class options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtbClass {
    /// Guaranteed rate (`rate`).
    pub rate: Rate,
    /// Rate it may borrow up to (`ceil`; `tc` defaults it to `rate`).
    pub ceil: Rate,
    /// Bytes that may be sent at once above `rate` (`burst`; `None`:
    /// `tc`'s default, the MTU plus a tick's worth).
    pub burst: Option<u32>,
    /// Bytes that may be sent at once above `ceil` (`cburst`).
    pub cburst: Option<u32>,
    /// Priority for borrowing, 0 (first) to 7 (`prio`).
    pub prio: u32,
    /// Bytes per round of the deficit round robin (`quantum`; 0: the
    /// kernel derives it from the rate and the qdisc's r2q).
    pub quantum: u32,
    /// Depth in the class tree (reported; 0 for leaves).
    pub level: u32,
}

impl HtbClass {
    /// A class with `rate` and the same `ceil`.
    pub fn new(rate: Rate) -> HtbClass {
        HtbClass {
            rate,
            ceil: rate,
            ..HtbClass::default()
        }
    }

    /// Sets the ceil.
    #[must_use]
    pub fn ceil(mut self, ceil: Rate) -> HtbClass {
        self.ceil = ceil;
        self
    }

    fn default_burst(rate: Rate) -> u32 {
        u32::try_from(rate.bytes() / 1_000_000_000 + DEFAULT_MTU).unwrap_or(u32::MAX)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let burst = self.burst.unwrap_or_else(|| Self::default_burst(self.rate));
        let cburst = self
            .cburst
            .unwrap_or_else(|| Self::default_burst(self.ceil));
        let opt = TcHtbOpt {
            rate: rate_spec(self.rate),
            ceil: rate_spec(self.ceil),
            buffer: units::xmit_time(self.rate, burst).into(),
            cbuffer: units::xmit_time(self.ceil, cburst).into(),
            quantum: self.quantum.into(),
            level: 0.into(),
            prio: self.prio.into(),
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_HTB_PARMS, &opt);
            if self.rate.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_HTB_RATE64, self.rate.bytes());
            }
            if self.ceil.bytes() > u64::from(u32::MAX) {
                m.put_u64(TCA_HTB_CEIL64, self.ceil.bytes());
            }
        });
    }

    fn parse(options: &Attr<'_>, ty: u16) -> Result<HtbClass> {
        let mut opt = None;
        let (mut rate64, mut ceil64) = (None, None);
        parse_with(
            options.nested(),
            ty,
            |_| Ok(false),
            |a| {
                match a.kind() {
                    TCA_HTB_PARMS => opt = Some(a.read::<TcHtbOpt>()),
                    TCA_HTB_RATE64 => rate64 = Some(a.u64().ctx(ty)?),
                    TCA_HTB_CEIL64 => ceil64 = Some(a.u64().ctx(ty)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        let o = opt.unwrap_or_default();
        let rate = rate_of(&o.rate, rate64);
        let ceil = rate_of(&o.ceil, ceil64);
        Ok(HtbClass {
            rate,
            ceil,
            burst: Some(units::xmit_size(rate, o.buffer.get())),
            cburst: Some(units::xmit_size(ceil, o.cbuffer.get())),
            prio: o.prio.get(),
            quantum: o.quantum.get(),
            level: o.level.get(),
        })
    }
}

/// An hfsc service curve: `m1` for the first `d`, then `m2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServiceCurve {
    /// Slope of the first segment.
    pub m1: Rate,
    /// Length of the first segment (microsecond resolution).
    pub d: Duration,
    /// Slope of the second segment.
    pub m2: Rate,
}

impl ServiceCurve {
    /// A linear curve (`rate R`).
    pub fn linear(rate: Rate) -> ServiceCurve {
        ServiceCurve {
            m2: rate,
            ..ServiceCurve::default()
        }
    }

    fn raw(&self) -> TcServiceCurve {
        let sat = |r: Rate| u32::try_from(r.bytes()).unwrap_or(u32::MAX);
        TcServiceCurve {
            m1: sat(self.m1).into(),
            d: u32::try_from(self.d.as_micros()).unwrap_or(u32::MAX).into(),
            m2: sat(self.m2).into(),
        }
    }

    fn from_raw(c: &TcServiceCurve) -> ServiceCurve {
        ServiceCurve {
            m1: Rate::bytes_per_sec(u64::from(c.m1.get())),
            d: Duration::from_micros(u64::from(c.d.get())),
            m2: Rate::bytes_per_sec(u64::from(c.m2.get())),
        }
    }
}

/// hfsc class options: real-time, link-sharing and upper-limit curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HfscClass {
    /// Real-time curve (`rt`).
    pub rsc: Option<ServiceCurve>,
    /// Link-sharing curve (`ls`).
    pub fsc: Option<ServiceCurve>,
    /// Upper-limit curve (`ul`).
    pub usc: Option<ServiceCurve>,
}

impl HfscClass {
    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_OPTIONS, |m| {
            for (kind, c) in [
                (TCA_HFSC_RSC, self.rsc),
                (TCA_HFSC_FSC, self.fsc),
                (TCA_HFSC_USC, self.usc),
            ] {
                if let Some(c) = c {
                    m.put(kind, &c.raw());
                }
            }
        });
    }

    fn parse(options: &Attr<'_>, ty: u16) -> Result<HfscClass> {
        let mut h = HfscClass::default();
        parse_with(
            options.nested(),
            ty,
            |_| Ok(false),
            |a| {
                let c = Some(ServiceCurve::from_raw(&a.read::<TcServiceCurve>()));
                match a.kind() {
                    TCA_HFSC_RSC => h.rsc = c,
                    TCA_HFSC_FSC => h.fsc = c,
                    TCA_HFSC_USC => h.usc = c,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(h)
    }
}

impl ClassKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            ClassKind::Htb(_) => "htb",
            ClassKind::Hfsc(_) => "hfsc",
            ClassKind::Other { kind, .. } => kind,
        }
    }
}

impl Class {
    /// A class of `kind` under `parent` on device `index`; set its id with
    /// [`Class::with_handle`].
    pub fn new(index: u32, parent: TcHandle, kind: ClassKind) -> Class {
        Class {
            index,
            parent,
            kind,
            ..Class::default()
        }
    }

    /// Sets the class id.
    #[must_use]
    pub fn with_handle(mut self, handle: TcHandle) -> Class {
        self.handle = handle;
        self
    }

    /// Parses an RTM_NEWTCLASS / RTM_DELTCLASS message.
    pub fn parse(msg: &Msg<'_>) -> Result<Class> {
        let ty = msg.ty();
        let c = Common::parse(msg)?;
        let kind = match (c.kind, &c.options) {
            ("htb", Some(o)) => ClassKind::Htb(HtbClass::parse(o, ty)?),
            ("hfsc", Some(o)) => ClassKind::Hfsc(HfscClass::parse(o, ty)?),
            (k, o) => ClassKind::Other {
                kind: k.to_string(),
                options: o.as_ref().map(|a| a.payload().to_vec()),
            },
        };
        Ok(Class {
            index: c.index(),
            handle: TcHandle(c.hdr.tcm_handle.get()),
            parent: TcHandle(c.hdr.tcm_parent.get()),
            stats: c.stats,
            xstats: c.xstats.map(|x| Xstats::parse(c.kind, x, true)),
            kind,
        })
    }

    fn validate(&self, op: Op) -> Result<()> {
        if self.index == 0 {
            return Err(Error::invalid("index", "a class needs a device"));
        }
        if self.handle.major() == 0 && op != Op::Add {
            return Err(Error::invalid("classid", "needs a class id (e.g. 1:10)"));
        }
        if self.handle.minor() == 0 && self.handle != TcHandle::NONE {
            return Err(Error::invalid(
                "classid",
                "a class id has a minor (e.g. 1:10)",
            ));
        }
        if op == Op::Del {
            return Ok(());
        }
        match &self.kind {
            ClassKind::Htb(h) if h.rate.bytes() == 0 => {
                Err(Error::invalid("rate", "an htb class needs a rate above 0"))
            }
            ClassKind::Htb(h) if h.ceil.bytes() != 0 && h.ceil < h.rate => {
                Err(Error::invalid("ceil", "below the rate"))
            }
            ClassKind::Htb(h) if h.prio > 7 => {
                Err(Error::invalid("prio", "htb priorities are 0..=7"))
            }
            ClassKind::Hfsc(h) if h.rsc.is_none() && h.fsc.is_none() => Err(Error::invalid(
                "hfsc",
                "a class needs a real-time or link-sharing curve",
            )),
            _ => Ok(()),
        }
    }

    fn write(&self, buf: &mut Vec<u8>, op: Op) -> Result<()> {
        self.validate(op)?;
        let mut m = start(
            buf,
            op.types(RTM_NEWTCLASS, RTM_DELTCLASS),
            op.flags(),
            self.index,
            self.handle,
            self.parent,
            0,
        )?;
        if op != Op::Del {
            m.put_str(TCA_KIND, self.kind.name());
            match &self.kind {
                ClassKind::Htb(h) => {
                    let mut h = *h;
                    if h.ceil.bytes() == 0 {
                        h.ceil = h.rate;
                    }
                    h.write(&mut m);
                }
                ClassKind::Hfsc(h) => h.write(&mut m),
                ClassKind::Other {
                    options: Some(o), ..
                } => {
                    m.put_bytes(TCA_OPTIONS, o);
                }
                ClassKind::Other { options: None, .. } => {}
            }
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc class add`.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Add)
    }

    /// Writes `tc class replace`.
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Replace)
    }

    /// Writes `tc class change`.
    pub fn write_change(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Change)
    }

    /// Writes `tc class del`.
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Del)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(c: &Class) -> Class {
        let mut buf = Vec::new();
        c.write_add(&mut buf).unwrap();
        Class::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn htb_classes_round_trip() {
        for rate in [Rate::kbit(64), Rate::mbit(10), Rate::gbit(40)] {
            let c = Class::new(
                2,
                TcHandle::new(1, 0),
                HtbClass {
                    burst: Some(15_000),
                    cburst: Some(3000),
                    prio: 3,
                    quantum: 1514,
                    ..HtbClass::new(rate).ceil(Rate(rate.bytes() * 2))
                }
                .into(),
            )
            .with_handle(TcHandle::new(1, 0x10));
            let back = round_trip(&c);
            let (ClassKind::Htb(a), ClassKind::Htb(b)) = (&c.kind, &back.kind) else {
                panic!("{back:?}")
            };
            assert_eq!(
                (a.rate, a.ceil, a.prio, a.quantum),
                (b.rate, b.ceil, b.prio, b.quantum)
            );
            // Bursts travel as 64 ns ticks: exact to one tick's bytes.
            let tick = |r: Rate| u32::try_from(r.bytes() * 64 / 1_000_000_000).unwrap() + 2;
            assert!(
                a.burst.unwrap().abs_diff(b.burst.unwrap()) <= tick(a.rate),
                "{a:?} {b:?}"
            );
            assert!(
                a.cburst.unwrap().abs_diff(b.cburst.unwrap()) <= tick(a.ceil),
                "{a:?} {b:?}"
            );
            assert_eq!(
                (back.handle, back.parent, back.index),
                (c.handle, c.parent, c.index)
            );
        }
    }

    #[test]
    fn hfsc_classes_round_trip() {
        let c = Class::new(
            2,
            TcHandle::new(1, 0),
            HfscClass {
                rsc: Some(ServiceCurve {
                    m1: Rate::mbit(2),
                    d: Duration::from_millis(10),
                    m2: Rate::mbit(1),
                }),
                fsc: Some(ServiceCurve::linear(Rate::mbit(5))),
                usc: None,
            }
            .into(),
        )
        .with_handle(TcHandle::new(1, 1));
        assert_eq!(round_trip(&c), c);
    }

    #[test]
    fn bad_classes_are_refused() {
        let mut buf = Vec::new();
        let zero = Class::new(2, TcHandle::new(1, 0), HtbClass::default().into())
            .with_handle(TcHandle::new(1, 1));
        assert!(zero.write_add(&mut buf).is_err());
        let bad_id = Class::new(2, TcHandle::new(1, 0), HtbClass::new(Rate::mbit(1)).into())
            .with_handle(TcHandle::new(1, 0));
        assert!(bad_id.write_add(&mut buf).is_err());
        let ceil = Class::new(
            2,
            TcHandle::new(1, 0),
            HtbClass::new(Rate::mbit(2)).ceil(Rate::mbit(1)).into(),
        )
        .with_handle(TcHandle::new(1, 1));
        assert!(ceil.write_add(&mut buf).is_err());
        assert!(buf.is_empty());
    }
}
