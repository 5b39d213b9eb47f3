//! `u32`: matches on 32-bit words of the packet, and its hash tables.

use ipnet::{Ipv4Net, Ipv6Net};
use nl_wire::{Attrs, MsgBuilder};
use zerocopy::{FromBytes, IntoBytes};

use crate::error::{Error, Result};
use crate::tc::action::Action;
use crate::tc::filter::{Filter, FilterKind, FilterOptions, Protocol, put_classid, read_classid};
use crate::tc::{Op, TcHandle};
use crate::uapi::pkt_cls::*;
use crate::uapi::types::{TcU32Key, TcU32Mark, TcU32Sel};

/// One u32 key: `(packet word at off) & mask == val`, words in network
/// order read as big-endian numbers (`0xc0000200` is 192.0.2.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct U32Key {
    /// Value.
    pub val: u32,
    /// Mask.
    pub mask: u32,
    /// Offset of the word (a multiple of 4).
    pub off: i32,
    /// Mask applied to the variable offset (`offmask`).
    pub offmask: i32,
}

impl U32Key {
    /// `match u32 VAL MASK at OFF` (`off` rounded down to 4 bytes, as `tc`
    /// requires).
    pub fn u32(val: u32, mask: u32, off: i32) -> U32Key {
        U32Key {
            val: val & mask,
            mask,
            off,
            offmask: 0,
        }
    }

    /// `match u16 VAL MASK at OFF`.
    pub fn u16(val: u16, mask: u16, off: i32) -> U32Key {
        let shift = if off & 2 == 0 { 16 } else { 0 };
        U32Key::u32(u32::from(val) << shift, u32::from(mask) << shift, off & !3)
    }

    /// `match u8 VAL MASK at OFF`.
    pub fn u8(val: u8, mask: u8, off: i32) -> U32Key {
        let shift = 8 * (3 - (off & 3));
        U32Key::u32(u32::from(val) << shift, u32::from(mask) << shift, off & !3)
    }

    /// `match ip src NET`.
    pub fn ip_src(net: Ipv4Net) -> U32Key {
        U32Key::u32(u32::from(net.network()), u32::from(net.netmask()), 12)
    }

    /// `match ip dst NET`.
    pub fn ip_dst(net: Ipv4Net) -> U32Key {
        U32Key::u32(u32::from(net.network()), u32::from(net.netmask()), 16)
    }

    /// `match ip protocol P 0xff`.
    pub fn ip_proto(proto: u8) -> U32Key {
        U32Key::u8(proto, 0xff, 9)
    }

    /// `match ip sport P 0xffff` (a header without options).
    pub fn ip_sport(port: u16) -> U32Key {
        U32Key::u16(port, 0xffff, 20)
    }

    /// `match ip dport P 0xffff` (a header without options).
    pub fn ip_dport(port: u16) -> U32Key {
        U32Key::u16(port, 0xffff, 22)
    }

    /// `match ip6 src NET`: up to four keys.
    pub fn ip6_src(net: Ipv6Net) -> Vec<U32Key> {
        Self::ip6(net, 8)
    }

    /// `match ip6 dst NET`: up to four keys.
    pub fn ip6_dst(net: Ipv6Net) -> Vec<U32Key> {
        Self::ip6(net, 24)
    }

    fn ip6(net: Ipv6Net, base: i32) -> Vec<U32Key> {
        let addr = u128::from(net.network());
        let mask = u128::from(net.netmask());
        (0..4)
            .filter_map(|i| {
                let shift = 96 - 32 * i;
                let m = (mask >> shift) as u32;
                (m != 0).then(|| U32Key::u32((addr >> shift) as u32, m, base + 4 * i))
            })
            .collect()
    }
}

/// A u32 selector (`struct tc_u32_sel` and its keys).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct U32Sel {
    /// `TC_U32_TERMINAL`, `TC_U32_OFFSET`, `TC_U32_VAROFFSET`, `TC_U32_EAT`.
    pub flags: u8,
    /// Shift of the variable offset.
    pub offshift: u8,
    /// Mask of the variable offset (host order).
    pub offmask: u16,
    /// Fixed offset to the next header.
    pub off: u16,
    /// Where the variable offset is read.
    pub offoff: i16,
    /// Offset of the hash key.
    pub hoff: i16,
    /// Mask of the hash key (host order, as a big-endian number).
    pub hmask: u32,
    /// The keys; all must match.
    pub keys: Vec<U32Key>,
}

impl U32Sel {
    /// A terminal selector of these keys (a match ends classification).
    pub fn matching(keys: Vec<U32Key>) -> U32Sel {
        U32Sel {
            flags: TC_U32_TERMINAL as u8,
            keys,
            ..U32Sel::default()
        }
    }

    /// The selector `tc` sends for `match u32 0 0` and the Go library
    /// sends for a u32 filter without one: a single key that matches
    /// every packet (the kernel refuses a u32 filter with no selector).
    /// `terminal`: a match ends classification (`tc` sets it when the
    /// filter has a class or actions; the Go library always does).
    pub fn match_all(terminal: bool) -> U32Sel {
        U32Sel {
            flags: if terminal { TC_U32_TERMINAL as u8 } else { 0 },
            keys: vec![U32Key::default()],
            ..U32Sel::default()
        }
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        let nkeys =
            u8::try_from(self.keys.len()).map_err(|_| Error::invalid("u32", "at most 128 keys"))?;
        if nkeys > 128 {
            return Err(Error::invalid("u32", "at most 128 keys"));
        }
        let mut out = TcU32Sel {
            flags: self.flags,
            offshift: self.offshift,
            nkeys,
            offmask: self.offmask.into(),
            off: self.off.into(),
            offoff: self.offoff.into(),
            hoff: self.hoff.into(),
            hmask: self.hmask.into(),
            ..TcU32Sel::default()
        }
        .as_bytes()
        .to_vec();
        for k in &self.keys {
            out.extend_from_slice(
                TcU32Key {
                    mask: k.mask.into(),
                    val: k.val.into(),
                    off: k.off.into(),
                    offmask: k.offmask.into(),
                }
                .as_bytes(),
            );
        }
        Ok(out)
    }

    fn parse(bytes: &[u8]) -> U32Sel {
        let s: TcU32Sel = nl_wire::read_tolerant(bytes);
        let keys = bytes
            .get(size_of::<TcU32Sel>()..)
            .unwrap_or(&[])
            .chunks_exact(size_of::<TcU32Key>())
            .take(usize::from(s.nkeys))
            .filter_map(|c| TcU32Key::read_from_bytes(c).ok())
            .map(|k| U32Key {
                val: k.val.get(),
                mask: k.mask.get(),
                off: k.off.get(),
                offmask: k.offmask.get(),
            })
            .collect();
        U32Sel {
            flags: s.flags,
            offshift: s.offshift,
            offmask: s.offmask.get(),
            off: s.off.get(),
            offoff: s.offoff.get(),
            hoff: s.hoff.get(),
            hmask: s.hmask.get(),
            keys,
        }
    }
}

/// u32 options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct U32 {
    /// Class a match goes to (`flowid`/`classid`).
    pub classid: Option<TcHandle>,
    /// The selector; `None` on add: [`U32Sel::match_all`] (what `tc`'s
    /// `match u32 0 0` and the Go library send), terminal when the filter
    /// has a class or actions. Not sent when creating a hash table.
    pub sel: Option<U32Sel>,
    /// Hash table (and bucket) to insert into (`ht 1:`), as a u32 handle.
    pub hash_table: Option<u32>,
    /// Hash table to continue in on a match (`link 1:`).
    pub link: Option<u32>,
    /// Creates a hash table of this many buckets (`divisor`).
    pub divisor: Option<u32>,
    /// Only packets from this device (`indev`).
    pub indev: Option<String>,
    /// `mark VAL MASK`: firewall mark match.
    pub mark: Option<(u32, u32)>,
    /// `TCA_CLS_FLAGS_*` (`skip_hw`, `skip_sw`).
    pub flags: Option<u32>,
    /// Actions on a match.
    pub actions: Vec<Action>,
}

impl FilterOptions for U32 {
    fn parse(options: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut u = U32::default();
        for a in options {
            let a = a?;
            match a.ty() {
                TCA_U32_CLASSID => u.classid = read_classid(&a)?,
                TCA_U32_SEL => u.sel = Some(U32Sel::parse(a.payload())),
                TCA_U32_HASH => u.hash_table = Some(a.u32()?),
                TCA_U32_LINK => u.link = Some(a.u32()?),
                TCA_U32_DIVISOR => u.divisor = Some(a.u32()?),
                TCA_U32_INDEV => u.indev = Some(a.str()?.to_string()),
                TCA_U32_MARK => {
                    let m: TcU32Mark = a.read();
                    u.mark = Some((m.val.get(), m.mask.get()));
                }
                TCA_U32_FLAGS => u.flags = Some(a.u32()?),
                TCA_U32_ACT => u.actions = Action::parse_list(&a)?,
                _ => {}
            }
        }
        Ok(u)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _protocol: Protocol) -> Result<()> {
        put_classid(m, TCA_U32_CLASSID, self.classid);
        if let Some(v) = self.divisor {
            m.put_u32(TCA_U32_DIVISOR, v);
        }
        if let Some(v) = self.hash_table {
            m.put_u32(TCA_U32_HASH, v);
        }
        if let Some(v) = self.link {
            m.put_u32(TCA_U32_LINK, v);
        }
        match &self.sel {
            Some(s) => {
                m.put_bytes(TCA_U32_SEL, &s.to_bytes()?);
            }
            // A filter needs a selector ("Selector not specified");
            // a new hash table (`divisor`) takes none.
            None if self.divisor.is_none() => {
                let terminal = self.classid.is_some() || !self.actions.is_empty();
                m.put_bytes(TCA_U32_SEL, &U32Sel::match_all(terminal).to_bytes()?);
            }
            None => {}
        }
        if let Some(v) = &self.indev {
            m.put_str(TCA_U32_INDEV, v);
        }
        if let Some((val, mask)) = self.mark {
            m.put(
                TCA_U32_MARK,
                &TcU32Mark {
                    val: val.into(),
                    mask: mask.into(),
                    success: 0.into(),
                },
            );
        }
        if let Some(v) = self.flags {
            m.put_u32(TCA_U32_FLAGS, v);
        }
        Action::write_list(&self.actions, m, TCA_U32_ACT)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }
}

/// `TC_U32_KEY(h)`: the node id of a u32 handle (`htid:hash:node`).
const U32_NODE_MASK: u32 = 0xfff;

/// Whether a u32 handle names a hash table (node id 0) rather than a
/// filter; the kernel's own test (`TC_U32_KEY(handle) == 0`).
pub(crate) fn is_u32_table(handle: u32) -> bool {
    handle != 0 && handle & U32_NODE_MASK == 0
}

/// A u32 hash table: the root table each u32 priority has (`800:`,
/// `801:` ..., made by the kernel), or one made with `divisor`
/// (`tc filter add dev X parent 1: prio 5 handle 2: protocol ip u32
/// divisor 256`). Filters go into a table with `ht`, and reach it from
/// another one with `link`.
///
/// Not a filter: deleting a table deletes every filter in it; the kernel
/// refuses to delete a priority's root table ("Not allowed to delete root
/// node") and a table a filter links to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct U32Table {
    /// Interface index.
    pub index: u32,
    /// The qdisc or class its priority is attached to.
    pub parent: TcHandle,
    /// Priority (`pref`) of the u32 instance the table belongs to.
    pub priority: u16,
    /// Ethertype.
    pub protocol: Protocol,
    /// Chain (`None`: chain 0).
    pub chain: Option<u32>,
    /// The table's handle: its id in the top 12 bits, the rest 0 (`2:` is
    /// `0x0020_0000`, `800:` is `0x8000_0000`); 0 on add: the kernel picks.
    pub handle: u32,
    /// Number of buckets (1 to 256; reported as the kernel keeps it).
    pub divisor: u32,
}

impl U32Table {
    /// A table of `divisor` buckets on device `index` under `parent`.
    pub fn new(index: u32, parent: TcHandle, protocol: Protocol, divisor: u32) -> U32Table {
        U32Table {
            index,
            parent,
            protocol,
            divisor,
            ..U32Table::default()
        }
    }

    /// Sets the priority (`pref`) of the u32 instance it goes into.
    #[must_use]
    pub fn priority(mut self, priority: u16) -> U32Table {
        self.priority = priority;
        self
    }

    /// `handle H`: sets the handle (`handle 2:` is `0x0020_0000`).
    #[must_use]
    pub fn handle(mut self, handle: u32) -> U32Table {
        self.handle = handle;
        self
    }

    /// The former name of [`U32Table::handle`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take tc's word: use `handle()`"
    )]
    #[must_use]
    pub fn with_handle(self, handle: u32) -> U32Table {
        self.handle(handle)
    }

    fn filter(&self) -> Result<Filter> {
        if self.handle & !0xfff0_0000 != 0 {
            return Err(Error::invalid(
                "handle",
                "a u32 table's handle has only a table id (e.g. 2:)",
            ));
        }
        Ok(Filter {
            index: self.index,
            parent: self.parent,
            handle: self.handle,
            priority: self.priority,
            protocol: self.protocol,
            chain: self.chain,
            kind: FilterKind::U32(U32 {
                divisor: Some(self.divisor),
                ..U32::default()
            }),
            hw_offload: false,
        })
    }

    /// Writes `tc filter add ... u32 divisor N`.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.filter()?.write(buf, Op::Add)
    }

    /// Writes `tc filter del ... handle ID: u32`: deletes the table and
    /// every filter in it. Needs the priority and the handle (without
    /// them the kernel would delete the whole priority, or every filter
    /// under the parent).
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        if self.priority == 0 || self.handle == 0 {
            return Err(Error::invalid(
                "u32 table",
                "deleting a table needs its priority and handle",
            ));
        }
        self.filter()?.write(buf, Op::Del)
    }
}
