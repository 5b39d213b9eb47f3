//! nftables stateful objects (`NFT_MSG_NEWOBJ`, `NFTA_OBJ_*`): named
//! counters, quotas, limits, connlimits, ct helpers, ct timeouts, ct
//! expectations and synproxies that rules share by name (`counter name
//! "http"`, `ct helper set "ftp"`).

use nl_wire::{Msg, MsgBuilder};

use super::{
    Connlimit, Counter, Family, Limit, NftAttr, Quota, nft_attrs, parse_object, write_dump,
};
use crate::uapi::nf_tables::*;
use crate::{Error, Result};

nft_attrs! {
    /// A stateful object of a table.
    pub struct Obj {
        [
            /// The family (from the nfgenmsg).
            family: Family
        ]
        /// `NFTA_OBJ_TABLE`.
        table: String = NFTA_OBJ_TABLE,
        /// `NFTA_OBJ_NAME`.
        name: String = NFTA_OBJ_NAME,
        /// `NFTA_OBJ_TYPE` (`NFT_OBJECT_COUNTER` ...).
        obj_type: u32 = NFTA_OBJ_TYPE,
        /// `NFTA_OBJ_DATA`: the type's attributes, raw (see [`Obj::data`]).
        data: Vec<u8> = NFTA_OBJ_DATA,
        /// `NFTA_OBJ_USE`: rules referring to it (read only).
        use_count: u32 = NFTA_OBJ_USE,
        /// `NFTA_OBJ_HANDLE`.
        handle: u64 = NFTA_OBJ_HANDLE,
        /// `NFTA_OBJ_USERDATA`, opaque to the kernel.
        userdata: Vec<u8> = NFTA_OBJ_USERDATA,
    }
}

nft_attrs! {
    /// `ct helper` (`NFT_OBJECT_CT_HELPER`): a conntrack helper that rules
    /// attach to connections with `ct helper set`.
    pub struct CtHelper {
        /// `NFTA_CT_HELPER_NAME`: the helper (`ftp`, `sip` ...).
        name: String = NFTA_CT_HELPER_NAME,
        /// `NFTA_CT_HELPER_L3PROTO`: `NFPROTO_IPV4`, `NFPROTO_IPV6` or
        /// `NFPROTO_INET` (the table's family if not sent).
        l3proto: u16 = NFTA_CT_HELPER_L3PROTO,
        /// `NFTA_CT_HELPER_L4PROTO`: `IPPROTO_TCP` or `IPPROTO_UDP`.
        l4proto: u8 = NFTA_CT_HELPER_L4PROTO,
    }
}

/// The timeouts of a [`CtTimeout`], per state: (`CTA_TIMEOUT_<PROTO>_<STATE>`
/// of `uapi::nfnetlink_cttimeout`, seconds), in attribute order. The
/// kernel lists every state of the protocol, set or default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtTimeoutPolicy(pub Vec<(u16, u32)>);

impl CtTimeoutPolicy {
    /// The timeout of `state`, seconds.
    pub fn get(&self, state: u16) -> Option<u32> {
        self.0.iter().find(|(s, _)| *s == state).map(|(_, t)| *t)
    }
}

/// A nest of `NLA_BE32` seconds, one per state.
impl NftAttr for CtTimeoutPolicy {
    fn read(attr: &nl_wire::Attr<'_>) -> nl_wire::Result<Self> {
        let mut out = Vec::new();
        for a in attr.nested() {
            let a = a?;
            out.push((a.ty(), a.be32()?));
        }
        Ok(CtTimeoutPolicy(out))
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.nest(kind, |m| {
            for (state, secs) in &self.0 {
                m.put_be32(*state, *secs);
            }
        });
    }
}

nft_attrs! {
    /// `ct timeout` (`NFT_OBJECT_CT_TIMEOUT`): per-state conntrack
    /// timeouts that rules attach with `ct timeout set`.
    pub struct CtTimeout {
        /// `NFTA_CT_TIMEOUT_L3PROTO`: `NFPROTO_IPV4` ... (the table's
        /// family if not sent).
        l3proto: u16 = NFTA_CT_TIMEOUT_L3PROTO,
        /// `NFTA_CT_TIMEOUT_L4PROTO`: `IPPROTO_TCP` ...
        l4proto: u8 = NFTA_CT_TIMEOUT_L4PROTO,
        /// `NFTA_CT_TIMEOUT_DATA`: the timeouts.
        policy: CtTimeoutPolicy = NFTA_CT_TIMEOUT_DATA,
    }
}

/// `ct expectation` (`NFT_OBJECT_CT_EXPECT`): an expected connection
/// that rules create with `ct expectation set`. The kernel requires
/// `l4proto`, `dport`, `timeout` and `size`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtExpect {
    /// `NFTA_CT_EXPECT_L3PROTO`: `NFPROTO_IPV4` ... (the table's family
    /// if not sent).
    pub l3proto: Option<u16>,
    /// `NFTA_CT_EXPECT_L4PROTO`: `IPPROTO_TCP` ...
    pub l4proto: Option<u8>,
    /// `NFTA_CT_EXPECT_DPORT`: the expected destination port.
    pub dport: Option<u16>,
    /// `NFTA_CT_EXPECT_TIMEOUT`: milliseconds (host byte order, unlike
    /// most netfilter numbers).
    pub timeout: Option<u32>,
    /// `NFTA_CT_EXPECT_SIZE`: at most this many expectations per master.
    pub size: Option<u8>,
}

impl CtExpect {
    /// Reads the attributes it knows; others are skipped.
    pub fn parse_attrs(attrs: nl_wire::Attrs<'_>) -> nl_wire::Result<Self> {
        let mut out = CtExpect::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NFTA_CT_EXPECT_L3PROTO => out.l3proto = Some(a.be16()?),
                NFTA_CT_EXPECT_L4PROTO => out.l4proto = Some(a.u8()?),
                NFTA_CT_EXPECT_DPORT => out.dport = Some(a.be16()?),
                NFTA_CT_EXPECT_TIMEOUT => out.timeout = Some(a.u32()?),
                NFTA_CT_EXPECT_SIZE => out.size = Some(a.u8()?),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Writes the attributes that are set.
    pub fn write_attrs(&self, m: &mut MsgBuilder<'_>) {
        if let Some(v) = self.l3proto {
            m.put_be16(NFTA_CT_EXPECT_L3PROTO, v);
        }
        if let Some(v) = self.l4proto {
            m.put_u8(NFTA_CT_EXPECT_L4PROTO, v);
        }
        if let Some(v) = self.dport {
            m.put_be16(NFTA_CT_EXPECT_DPORT, v);
        }
        if let Some(v) = self.timeout {
            m.put_u32(NFTA_CT_EXPECT_TIMEOUT, v);
        }
        if let Some(v) = self.size {
            m.put_u8(NFTA_CT_EXPECT_SIZE, v);
        }
    }
}

nft_attrs! {
    /// `synproxy` (`NFT_OBJECT_SYNPROXY`): answers SYNs itself with these
    /// TCP options and hands the connection on once it is established.
    pub struct Synproxy {
        /// `NFTA_SYNPROXY_MSS`.
        mss: u16 = NFTA_SYNPROXY_MSS,
        /// `NFTA_SYNPROXY_WSCALE`.
        wscale: u8 = NFTA_SYNPROXY_WSCALE,
        /// `NFTA_SYNPROXY_FLAGS` (`NF_SYNPROXY_OPT_TIMESTAMP`,
        /// `NF_SYNPROXY_OPT_SACK_PERM` ... of `uapi::nf_synproxy`).
        flags: u32 = NFTA_SYNPROXY_FLAGS,
    }
}

/// The state of an object, typed where this library knows its type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjData {
    /// `NFT_OBJECT_COUNTER`.
    Counter(Counter),
    /// `NFT_OBJECT_QUOTA`.
    Quota(Quota),
    /// `NFT_OBJECT_LIMIT`.
    Limit(Limit),
    /// `NFT_OBJECT_CONNLIMIT`.
    Connlimit(Connlimit),
    /// `NFT_OBJECT_CT_HELPER`.
    CtHelper(CtHelper),
    /// `NFT_OBJECT_CT_TIMEOUT`.
    CtTimeout(CtTimeout),
    /// `NFT_OBJECT_CT_EXPECT`.
    CtExpect(CtExpect),
    /// `NFT_OBJECT_SYNPROXY`.
    Synproxy(Synproxy),
    /// Another type (tunnel, secmark ...): its type and attribute bytes.
    Raw(u32, Vec<u8>),
}

impl ObjData {
    /// The `NFT_OBJECT_*` type.
    pub fn obj_type(&self) -> u32 {
        match self {
            ObjData::Counter(_) => NFT_OBJECT_COUNTER,
            ObjData::Quota(_) => NFT_OBJECT_QUOTA,
            ObjData::Limit(_) => NFT_OBJECT_LIMIT,
            ObjData::Connlimit(_) => NFT_OBJECT_CONNLIMIT,
            ObjData::CtHelper(_) => NFT_OBJECT_CT_HELPER,
            ObjData::CtTimeout(_) => NFT_OBJECT_CT_TIMEOUT,
            ObjData::CtExpect(_) => NFT_OBJECT_CT_EXPECT,
            ObjData::Synproxy(_) => NFT_OBJECT_SYNPROXY,
            ObjData::Raw(t, _) => *t,
        }
    }

    /// The attribute bytes of `NFTA_OBJ_DATA`.
    fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::attrs_only(&mut buf);
        match self {
            ObjData::Counter(c) => c.write_attrs(&mut m),
            ObjData::Quota(q) => q.write_attrs(&mut m),
            ObjData::Limit(l) => l.write_attrs(&mut m),
            ObjData::Connlimit(c) => c.write_attrs(&mut m),
            ObjData::CtHelper(c) => c.write_attrs(&mut m),
            ObjData::CtTimeout(c) => c.write_attrs(&mut m),
            ObjData::CtExpect(c) => c.write_attrs(&mut m),
            ObjData::Synproxy(s) => s.write_attrs(&mut m),
            ObjData::Raw(_, bytes) => return Ok(bytes.clone()),
        }
        m.finish().map_err(Error::Build)?;
        Ok(buf)
    }
}

impl Obj {
    /// An object `name` of `table` holding `data`.
    pub fn new(family: Family, table: &str, name: &str, data: &ObjData) -> Result<Self> {
        Ok(Obj {
            family,
            table: Some(table.to_string()),
            name: Some(name.to_string()),
            obj_type: Some(data.obj_type()),
            data: Some(data.to_bytes()?),
            ..Default::default()
        })
    }

    /// The state, typed where the type is known; a state that does not
    /// parse stays raw.
    pub fn state(&self) -> Option<ObjData> {
        let bytes = self.data.as_deref()?;
        let attrs = nl_wire::Attrs::new(bytes);
        let ty = self.obj_type.unwrap_or(0);
        let typed = match ty {
            NFT_OBJECT_COUNTER => Counter::parse_attrs(attrs).map(ObjData::Counter),
            NFT_OBJECT_QUOTA => Quota::parse_attrs(attrs).map(ObjData::Quota),
            NFT_OBJECT_LIMIT => Limit::parse_attrs(attrs).map(ObjData::Limit),
            NFT_OBJECT_CONNLIMIT => Connlimit::parse_attrs(attrs).map(ObjData::Connlimit),
            NFT_OBJECT_CT_HELPER => CtHelper::parse_attrs(attrs).map(ObjData::CtHelper),
            NFT_OBJECT_CT_TIMEOUT => CtTimeout::parse_attrs(attrs).map(ObjData::CtTimeout),
            NFT_OBJECT_CT_EXPECT => CtExpect::parse_attrs(attrs).map(ObjData::CtExpect),
            NFT_OBJECT_SYNPROXY => Synproxy::parse_attrs(attrs).map(ObjData::Synproxy),
            _ => return Some(ObjData::Raw(ty, bytes.to_vec())),
        };
        Some(typed.unwrap_or_else(|_| ObjData::Raw(ty, bytes.to_vec())))
    }

    /// Reads an `NFT_MSG_NEWOBJ` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut o, family) = parse_object(msg, NFT_MSG_NEWOBJ, Self::parse_attrs)?;
        o.family = family;
        Ok(o)
    }

    /// Writes a dump of the objects of `family`, of `table` if given.
    pub fn write_dump(buf: &mut Vec<u8>, family: Family, table: Option<&str>) -> Result<()> {
        write_dump(buf, NFT_MSG_GETOBJ, family, |m| {
            if let Some(t) = table {
                m.put_str(NFTA_OBJ_TABLE, t);
            }
        })
    }

    /// The attributes that name the object (for deletes): table, name
    /// and type.
    pub(crate) fn write_key(&self, m: &mut MsgBuilder<'_>) {
        let key = Obj {
            table: self.table.clone(),
            name: self.name.clone(),
            obj_type: self.obj_type,
            handle: if self.name.is_none() {
                self.handle
            } else {
                None
            },
            ..Default::default()
        };
        key.write_attrs(m);
    }

    /// Written attributes for an add: the read-only ones left out.
    pub(crate) fn write_new(&self, m: &mut MsgBuilder<'_>) {
        let o = Obj {
            use_count: None,
            handle: None,
            ..self.clone()
        };
        o.write_attrs(m);
    }
}

/// A list of device names (`NFTA_DEVICE_NAME` each), as flowtables and
/// netdev chains carry them.
impl NftAttr for Vec<String> {
    fn read(attr: &nl_wire::Attr<'_>) -> nl_wire::Result<Self> {
        let mut out = Vec::new();
        for a in attr.nested() {
            let a = a?;
            if a.ty() == NFTA_DEVICE_NAME {
                out.push(a.cstr()?.to_string());
            }
        }
        Ok(out)
    }
    fn write(&self, kind: u16, m: &mut MsgBuilder<'_>) {
        m.nest(kind, |m| {
            for d in self {
                m.put_str(NFTA_DEVICE_NAME, d);
            }
        });
    }
}
