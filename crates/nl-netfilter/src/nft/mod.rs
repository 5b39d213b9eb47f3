//! nftables (`NFNL_SUBSYS_NFTABLES`): tables, chains, rules with typed
//! expressions, sets and their elements, and transactions.
//!
//! Every object is an owned struct whose attributes are `Option`s, one per
//! kernel attribute (`NFTA_TABLE_NAME` is [`Table::name`]): a parse fills
//! what the kernel sent, a write sends what is set. nftables numbers are
//! big endian on the wire (`NLA_BE32`/`NLA_BE64`); the structs hold them in
//! host order.
//!
//! Changes go through a [`Transaction`]: the kernel applies nftables
//! changes only inside a batch, all or nothing. Elements and rules that
//! name a set added earlier in the same transaction carry its set id too
//! (an anonymous set, `__set%d`, has no name before the commit), and only
//! the last request asks for an ack: the kernel answers the others only
//! when it refuses them.
//!
//! ```
//! use nl_netfilter::nft::{Family, Table, Transaction};
//! let mut tx = Transaction::new();
//! tx.add_table(Table::new(Family::Inet, "filter"));
//! let mut buf = Vec::new();
//! assert_eq!(tx.write(&mut buf)?, 1);
//! # Ok::<(), nl_netfilter::Error>(())
//! ```

mod chain;
mod expr;
mod flowtable;
pub mod monitor;
mod obj;
mod rule;
mod set;
mod table;
mod transaction;

#[cfg(test)]
mod tests;

pub use chain::{Chain, ChainHook};
pub use expr::{
    Bitwise, Cmp, Connlimit, Counter, Ct, Dup, Dynset, Expr, Exthdr, Fib, FlowOffload, Fwd, Hash,
    Immediate, Limit, Log, Lookup, Masq, Meta, Nat, Numgen, Objref, Payload, Queue, Quota, Range,
    Redir, Reject, Rt, Socket, Tproxy, Xfrm,
};
pub use flowtable::{Flowtable, FlowtableHook};
pub use obj::{CtExpect, CtHelper, CtTimeout, CtTimeoutPolicy, Obj, ObjData, Synproxy};
pub use rule::Rule;
pub use set::{Set, SetDesc, SetElem, SetElems};
pub use table::Table;
pub use transaction::{Op, Transaction, TxFailure, TxReplies, TxReport};

use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use crate::uapi::netfilter::*;
use crate::uapi::nf_tables::*;
use crate::uapi::nfnetlink::NFNL_SUBSYS_NFTABLES;
use crate::{Error, NfMsg, Result};

/// The subsystem of every nftables message.
pub const SUBSYSTEM: u8 = NFNL_SUBSYS_NFTABLES;

/// The family of a table (`nfgenmsg.nfgen_family`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Family {
    /// Every family (dumps only).
    #[default]
    Unspec,
    /// `ip` (IPv4).
    Ip,
    /// `ip6`.
    Ip6,
    /// `inet` (IPv4 and IPv6).
    Inet,
    /// `arp`.
    Arp,
    /// `bridge`.
    Bridge,
    /// `netdev`.
    Netdev,
    /// A family this library does not know.
    Unknown(u8),
}

impl Family {
    /// The `NFPROTO_*` value.
    pub fn raw(self) -> u8 {
        match self {
            Family::Unspec => NFPROTO_UNSPEC,
            Family::Ip => NFPROTO_IPV4,
            Family::Ip6 => NFPROTO_IPV6,
            Family::Inet => NFPROTO_INET,
            Family::Arp => NFPROTO_ARP,
            Family::Bridge => NFPROTO_BRIDGE,
            Family::Netdev => NFPROTO_NETDEV,
            Family::Unknown(v) => v,
        }
    }

    /// The family of an `NFPROTO_*` value.
    pub fn from_raw(v: u8) -> Self {
        match v {
            NFPROTO_UNSPEC => Family::Unspec,
            NFPROTO_IPV4 => Family::Ip,
            NFPROTO_IPV6 => Family::Ip6,
            NFPROTO_INET => Family::Inet,
            NFPROTO_ARP => Family::Arp,
            NFPROTO_BRIDGE => Family::Bridge,
            NFPROTO_NETDEV => Family::Netdev,
            v => Family::Unknown(v),
        }
    }

    /// nft's name of the family (`inet`, `ip6` ...).
    pub fn name(self) -> &'static str {
        match self {
            Family::Unspec => "unspec",
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Inet => "inet",
            Family::Arp => "arp",
            Family::Bridge => "bridge",
            Family::Netdev => "netdev",
            Family::Unknown(_) => "unknown",
        }
    }
}

/// A verdict: what a rule or a chain's policy does with a packet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `accept`.
    Accept,
    /// `drop`.
    Drop,
    /// `continue`: the next expression.
    Continue,
    /// `break`: the next rule (the end of a failed match).
    Break,
    /// `return` from a jump.
    Return,
    /// `jump CHAIN`.
    Jump(String),
    /// `goto CHAIN`.
    Goto(String),
    /// Another code (`queue` with its number, `stolen` ...), kept.
    Other(i32),
}

impl Verdict {
    /// The kernel's code (`NF_ACCEPT`, `NFT_JUMP` ...).
    pub fn code(&self) -> i32 {
        match self {
            Verdict::Accept => NF_ACCEPT,
            Verdict::Drop => NF_DROP,
            Verdict::Continue => NFT_CONTINUE,
            Verdict::Break => NFT_BREAK,
            Verdict::Return => NFT_RETURN,
            Verdict::Jump(_) => NFT_JUMP,
            Verdict::Goto(_) => NFT_GOTO,
            Verdict::Other(c) => *c,
        }
    }

    /// The verdict of `code`, with `chain` for jumps and gotos.
    pub fn from_code(code: i32, chain: Option<&str>) -> Self {
        match (code, chain) {
            (NF_ACCEPT, _) => Verdict::Accept,
            (NF_DROP, _) => Verdict::Drop,
            (NFT_CONTINUE, _) => Verdict::Continue,
            (NFT_BREAK, _) => Verdict::Break,
            (NFT_RETURN, _) => Verdict::Return,
            (NFT_JUMP, Some(c)) => Verdict::Jump(c.to_string()),
            (NFT_GOTO, Some(c)) => Verdict::Goto(c.to_string()),
            (c, _) => Verdict::Other(c),
        }
    }

    /// nft's word for the verdict.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Drop => "drop",
            Verdict::Continue => "continue",
            Verdict::Break => "break",
            Verdict::Return => "return",
            Verdict::Jump(_) => "jump",
            Verdict::Goto(_) => "goto",
            Verdict::Other(_) => "other",
        }
    }
}

/// `NFTA_DATA_*`: a value (register contents, a set key) or a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Data {
    /// `NFTA_DATA_VALUE`: bytes as the packet holds them (network order
    /// for addresses and ports).
    Value(Vec<u8>),
    /// `NFTA_DATA_VERDICT`.
    Verdict(Verdict),
}

impl Data {
    /// The value bytes, if this is a value.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            Data::Value(v) => Some(v),
            Data::Verdict(_) => None,
        }
    }

    /// The verdict, if this is one.
    pub fn verdict(&self) -> Option<&Verdict> {
        match self {
            Data::Verdict(v) => Some(v),
            Data::Value(_) => None,
        }
    }
}

/// One attribute type of an nftables object: how it reads and writes.
pub trait NftAttr: Sized {
    /// Reads the attribute's payload.
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self>;
    /// Writes the attribute as type `kind`.
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>);
}

impl NftAttr for u8 {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.u8()
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_u8(kind, *self);
    }
}

/// `NLA_BE16`.
impl NftAttr for u16 {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.be16()
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_be16(kind, *self);
    }
}

/// `NLA_BE32`.
impl NftAttr for u32 {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.be32()
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_be32(kind, *self);
    }
}

/// `NLA_BE32` holding a signed number (chain priorities, verdict codes).
impl NftAttr for i32 {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.be32().map(|v| i32::from_ne_bytes(v.to_ne_bytes()))
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_be32(kind, u32::from_ne_bytes(self.to_ne_bytes()));
    }
}

/// `NLA_BE64`.
impl NftAttr for u64 {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.be64()
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_be64(kind, *self);
    }
}

/// `NLA_STRING` (NUL-terminated on the wire).
impl NftAttr for String {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        attr.cstr().map(str::to_string)
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_str(kind, self);
    }
}

/// `NLA_BINARY` (userdata), kept as sent.
impl NftAttr for Vec<u8> {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        Ok(attr.payload().to_vec())
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.put_bytes(kind, self);
    }
}

/// A nest of `NFTA_DATA_VALUE` or `NFTA_DATA_VERDICT`.
impl NftAttr for Data {
    fn read(attr: &Attr<'_>) -> nl_wire::Result<Self> {
        let mut out = None;
        for a in attr.nested() {
            let a = a?;
            match a.ty() {
                NFTA_DATA_VALUE => out = Some(Data::Value(a.payload().to_vec())),
                NFTA_DATA_VERDICT => {
                    let (mut code, mut chain) = (None, None);
                    for v in a.nested() {
                        let v = v?;
                        match v.ty() {
                            NFTA_VERDICT_CODE => code = Some(<i32 as NftAttr>::read(&v)?),
                            NFTA_VERDICT_CHAIN => chain = Some(v.cstr()?),
                            _ => {}
                        }
                    }
                    out = Some(Data::Verdict(Verdict::from_code(code.unwrap_or(0), chain)));
                }
                _ => {}
            }
        }
        // An empty nest reads as an empty value, as the kernel would send none.
        Ok(out.unwrap_or(Data::Value(Vec::new())))
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.nest(kind, |m| match self {
            Data::Value(v) => {
                m.put_bytes(NFTA_DATA_VALUE, v);
            }
            Data::Verdict(v) => {
                m.nest(NFTA_DATA_VERDICT, |m| {
                    v.code().write(NFTA_VERDICT_CODE, m);
                    if let Verdict::Jump(c) | Verdict::Goto(c) = v {
                        m.put_str(NFTA_VERDICT_CHAIN, c);
                    }
                });
            }
        });
    }
}

/// Declares a struct of optional attributes with its parse and write:
/// one line per attribute, `field: Type = NFTA_CONSTANT`.
macro_rules! nft_attrs {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( [ $(#[$xm:meta])* $xfield:ident : $xty:ty ] )*
            $( $(#[$fm:meta])* $field:ident : $ty:ty = $kind:path, )*
        }
    ) => {
        $(#[$m])*
        // Not `non_exhaustive`: callers build these with
        // `..Default::default()`, which keeps working as fields are added.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$xm])* pub $xfield: $xty, )*
            $( $(#[$fm])* pub $field: Option<$ty>, )*
        }

        impl $name {
            /// Reads the attributes this struct knows; `other` sees the rest.
            pub(crate) fn parse_with(
                attrs: nl_wire::Attrs<'_>,
                mut other: impl FnMut(&mut Self, &nl_wire::Attr<'_>) -> nl_wire::Result<()>,
            ) -> nl_wire::Result<Self> {
                let mut out = Self::default();
                for a in attrs {
                    let a = a?;
                    match a.ty() {
                        $( $kind => out.$field = Some(<$ty as $crate::nft::NftAttr>::read(&a)?), )*
                        _ => other(&mut out, &a)?,
                    }
                }
                Ok(out)
            }

            /// Reads the attributes this struct knows; others are skipped.
            pub fn parse_attrs(attrs: nl_wire::Attrs<'_>) -> nl_wire::Result<Self> {
                Self::parse_with(attrs, |_, _| Ok(()))
            }

            /// Writes the attributes that are set.
            pub fn write_attrs(&self, m: &mut nl_wire::MsgBuilder<'_>) {
                $( if let Some(v) = &self.$field {
                    $crate::nft::NftAttr::write(v, $kind, m);
                } )*
            }
        }

        /// As a nest.
        impl $crate::nft::NftAttr for $name {
            fn read(attr: &nl_wire::Attr<'_>) -> nl_wire::Result<Self> {
                Self::parse_attrs(attr.nested())
            }
            fn write(&self, kind: u16, m: &mut nl_wire::MsgBuilder<'_>) {
                m.nest(kind, |m| self.write_attrs(m));
            }
        }
    };
}
pub(crate) use nft_attrs;

/// Reads `msg` as an nftables message of `command`.
pub(crate) fn nft_msg<'a>(msg: &Msg<'a>, command: u8) -> Result<NfMsg<'a>> {
    let nf = NfMsg::parse(msg, SUBSYSTEM)?;
    if nf.command() != command {
        return Err(Error::Unexpected {
            what: "another nftables message",
            msg_type: msg.ty(),
        });
    }
    Ok(nf)
}

/// Writes a dump request of `command` for `family`, with `attrs` (a
/// table name to narrow the dump, a set for its elements).
pub(crate) fn write_dump(
    buf: &mut Vec<u8>,
    command: u8,
    family: Family,
    attrs: impl FnOnce(&mut MsgBuilder<'_>),
) -> Result<()> {
    let mut m = crate::request(buf, SUBSYSTEM, command, family.raw(), NLM_F_DUMP);
    attrs(&mut m);
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// The ruleset's generation id (`NFT_MSG_NEWGEN`), which every committed
/// transaction increments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenId {
    /// `NFTA_GEN_ID`.
    pub id: u32,
}

impl GenId {
    /// Writes `NFT_MSG_GETGEN`.
    pub fn write_get(buf: &mut Vec<u8>) -> Result<()> {
        let m = crate::request(
            buf,
            SUBSYSTEM,
            NFT_MSG_GETGEN,
            NFPROTO_UNSPEC,
            NLM_F_REQUEST,
        );
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Reads an `NFT_MSG_NEWGEN` reply.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let nf = nft_msg(msg, NFT_MSG_NEWGEN)?;
        let id = nf
            .attrs()
            .get(NFTA_GEN_ID)
            .and_then(|a| a.map(|a| a.be32()).transpose())
            .map_err(|e| nf.wire_error(e))?;
        Ok(GenId {
            id: id.unwrap_or_else(|| u32::from(nf.res_id())),
        })
    }
}

/// One object of a streamed ruleset listing, in the order `nft list
/// ruleset` needs them: tables, chains, each set followed by its
/// elements (one message's worth per item), rules, objects, flowtables.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RulesetItem {
    /// A table.
    Table(Table),
    /// A chain.
    Chain(Chain),
    /// A set (without elements: [`RulesetItem::Elems`] follow it).
    Set(Set),
    /// Elements of the set just given.
    Elems(SetElems),
    /// A rule.
    Rule(Rule),
    /// A stateful object.
    Obj(Obj),
    /// A flowtable.
    Flowtable(Flowtable),
}

/// Everything a ruleset dump returns, in kernel order per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ruleset {
    /// The tables.
    pub tables: Vec<Table>,
    /// The chains.
    pub chains: Vec<Chain>,
    /// The sets (with their elements when listed with them).
    pub sets: Vec<Set>,
    /// The rules.
    pub rules: Vec<Rule>,
    /// The stateful objects.
    pub objs: Vec<Obj>,
    /// The flowtables.
    pub flowtables: Vec<Flowtable>,
}

impl Ruleset {
    /// The table `name` of `family`.
    pub fn table(&self, family: Family, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.family == family && t.name.as_deref() == Some(name))
    }

    /// The chain `name` of table `table` of `family`.
    pub fn chain(&self, family: Family, table: &str, name: &str) -> Option<&Chain> {
        self.chains.iter().find(|c| {
            c.family == family
                && c.table.as_deref() == Some(table)
                && c.name.as_deref() == Some(name)
        })
    }

    /// The set `name` of table `table` of `family`.
    pub fn set(&self, family: Family, table: &str, name: &str) -> Option<&Set> {
        self.sets.iter().find(|s| {
            s.family == family
                && s.table.as_deref() == Some(table)
                && s.name.as_deref() == Some(name)
        })
    }

    /// The rules of chain `chain` of table `table` of `family`, in order.
    pub fn rules_of<'r>(
        &'r self,
        family: Family,
        table: &'r str,
        chain: &'r str,
    ) -> impl Iterator<Item = &'r Rule> + 'r {
        self.rules.iter().filter(move |r| {
            r.family == family
                && r.table.as_deref() == Some(table)
                && r.chain.as_deref() == Some(chain)
        })
    }
}

/// Reads the attributes of an object message with `parse`, naming the
/// message in the error.
pub(crate) fn parse_object<T>(
    msg: &Msg<'_>,
    command: u8,
    parse: impl FnOnce(Attrs<'_>) -> nl_wire::Result<T>,
) -> Result<(T, Family)> {
    let nf = nft_msg(msg, command)?;
    let obj = parse(nf.attrs()).map_err(|e| nf.wire_error(e))?;
    Ok((obj, Family::from_raw(nf.family())))
}
