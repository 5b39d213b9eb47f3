//! Classes of classful qdiscs (RTM_NEWTCLASS / DELTCLASS / GETTCLASS).
//!
//! Class kinds register like qdisc kinds: a file under `class/` whose
//! options implement [`TcOptions`], and one line in the [`ClassKind`]
//! table. Classes of kinds without options (prio, mq, fq_codel ...) are
//! [`ClassKind::Other`].

use nl_wire::{Attr, Msg, MsgBuilder};

use super::qdisc::Xstats;
use super::{Common, Op, Stats, TcHandle, TcOptions, start};
use crate::error::{Error, Result, parse_msg};
use crate::registry::kind_table;
use crate::uapi::rtnetlink::{RTM_DELTCLASS, RTM_NEWTCLASS, TCA_OPTIONS};

mod drr;
mod hfsc;
mod htb;
mod qfq;

pub use drr::DrrClass;
pub use hfsc::{HfscClass, ServiceCurve};
pub use htb::HtbClass;
pub use qfq::QfqClass;

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

kind_table! {
    /// A class's kind and options.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum ClassKind: TcOptions(options: Option<&Attr<'_>>) {
        /// An htb class.
        Htb(HtbClass) = "htb",
        /// An hfsc class.
        Hfsc(HfscClass) = "hfsc",
        /// A drr class.
        Drr(DrrClass) = "drr",
        /// A qfq class.
        Qfq(QfqClass) = "qfq",
    }
    other {
        /// Another kind (classes of prio, mq, fq_codel ... carry no options),
        /// with its raw `TCA_OPTIONS`.
        Other {
            /// `TCA_KIND`.
            kind: String,
            /// Payload of `TCA_OPTIONS`.
            options: Option<Vec<u8>>,
        },
    }
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

impl ClassKind {
    /// The kind string (`TCA_KIND`).
    pub fn name(&self) -> &str {
        match self {
            ClassKind::Other { kind, .. } => kind,
            known => known.table_name(),
        }
    }

    /// A class without options is kept as `Other` whatever its kind.
    fn parse(kind: &str, options: Option<&Attr<'_>>) -> nl_wire::Result<ClassKind> {
        let known = match options {
            Some(_) => ClassKind::parse_table(kind, options)?,
            None => None,
        };
        Ok(known.unwrap_or_else(|| ClassKind::Other {
            kind: kind.to_string(),
            options: options.map(|a| a.payload().to_vec()),
        }))
    }

    fn validate(&self) -> Result<()> {
        self.table_settings().map_or(Ok(()), |o| o.validate())
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let raw = match self {
            ClassKind::Other { options, .. } => options.as_deref(),
            _ => None,
        };
        super::write_kind(m, self.name(), raw, self.table_settings());
    }
}

impl Class {
    /// A class of `kind` under `parent` on device `index`; set its id with
    /// [`Class::classid`].
    pub fn new(index: u32, parent: TcHandle, kind: ClassKind) -> Class {
        Class {
            index,
            parent,
            kind,
            ..Class::default()
        }
    }

    /// `classid C`: sets the class id.
    #[must_use]
    pub fn classid(mut self, classid: TcHandle) -> Class {
        self.handle = classid;
        self
    }

    /// The former name of [`Class::classid`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take tc's word: use `classid()`"
    )]
    #[must_use]
    pub fn with_handle(self, handle: TcHandle) -> Class {
        self.classid(handle)
    }

    /// Parses an RTM_NEWTCLASS / RTM_DELTCLASS message.
    pub fn parse(msg: &Msg<'_>) -> Result<Class> {
        parse_msg(msg, || {
            let c = Common::parse(msg)?;
            let kind =
                ClassKind::parse(c.kind, c.options.as_ref()).map_err(|e| e.in_attr(TCA_OPTIONS))?;
            Ok(Class {
                index: c.index(),
                handle: TcHandle(c.hdr.tcm_handle.get()),
                parent: TcHandle(c.hdr.tcm_parent.get()),
                stats: c.stats,
                xstats: c.xstats.map(|x| Xstats::parse(c.kind, x, true)),
                kind,
            })
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
        self.kind.validate()
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
            self.kind.write(&mut m);
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
    #[test]
    fn drr_and_qfq_classes_are_what_tc_sends() {
        // tc class add dev v0 parent 1: classid 1:1 drr quantum 1500;
        //     ... qfq weight 10 maxpkt 2000 (after the netlink header)
        for (kind, tc) in [
            (
                ClassKind::Drr(DrrClass {
                    quantum: Some(1500),
                }),
                "000000000300000001000100000001000000000008000100647272000c00020008000100dc050000",
            ),
            (
                ClassKind::Qfq(QfqClass {
                    weight: Some(10),
                    lmax: Some(2000),
                }),
                "0000000003000000010001000000010000000000080001007166710014000200080001000a00000008000200d0070000",
            ),
        ] {
            let c = Class::new(3, TcHandle::new(1, 0), kind).classid(TcHandle::new(1, 1));
            let mut buf = Vec::new();
            c.write_add(&mut buf).unwrap();
            let hex: String = buf[16..].iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, tc);
            assert_eq!(Class::parse(&Msg::parse(&buf).unwrap().0).unwrap(), c);
        }
    }

    use std::time::Duration;

    use super::*;
    use crate::tc::units::Rate;

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
            .classid(TcHandle::new(1, 0x10));
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
        .classid(TcHandle::new(1, 1));
        assert_eq!(round_trip(&c), c);
    }

    #[test]
    fn bad_classes_are_refused() {
        let mut buf = Vec::new();
        let zero = Class::new(2, TcHandle::new(1, 0), HtbClass::default().into())
            .classid(TcHandle::new(1, 1));
        assert!(zero.write_add(&mut buf).is_err());
        let bad_id = Class::new(2, TcHandle::new(1, 0), HtbClass::new(Rate::mbit(1)).into())
            .classid(TcHandle::new(1, 0));
        assert!(bad_id.write_add(&mut buf).is_err());
        let ceil = Class::new(
            2,
            TcHandle::new(1, 0),
            HtbClass::new(Rate::mbit(2)).ceil(Rate::mbit(1)).into(),
        )
        .classid(TcHandle::new(1, 1));
        assert!(ceil.write_add(&mut buf).is_err());
        assert!(buf.is_empty());
    }
}
