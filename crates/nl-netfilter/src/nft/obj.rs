//! nftables stateful objects (`NFT_MSG_NEWOBJ`, `NFTA_OBJ_*`): named
//! counters, quotas, limits, connlimits ... that rules share by name
//! (`counter name "http"`).

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
    /// Another type (ct helper, ct timeout, synproxy ...): its type and
    /// attribute bytes.
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
