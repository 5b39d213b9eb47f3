//! nftables sets and maps (`NFT_MSG_NEWSET`, `NFTA_SET_*`) and their
//! elements (`NFT_MSG_NEWSETELEM`, `NFTA_SET_ELEM_*`).

use nl_wire::Msg;
use nl_wire::netlink::NLA_F_NESTED;

use super::{Data, Family, nft_attrs, parse_object, write_dump};
use crate::Result;
use crate::uapi::nf_tables::*;

nft_attrs! {
    /// `NFTA_SET_DESC`: what the set was declared to hold.
    pub struct SetDesc {
        /// `NFTA_SET_DESC_SIZE`: the maximum number of elements.
        size: u32 = NFTA_SET_DESC_SIZE,
        /// `NFTA_SET_DESC_CONCAT`: the field lengths of a concatenated
        /// key, raw.
        concat: Vec<u8> = NFTA_SET_DESC_CONCAT,
    }
}

nft_attrs! {
    /// A set (or a map, with `data_type`).
    pub struct Set {
        [
            /// The family (from the nfgenmsg).
            family: Family
        ]
        [
            /// The elements, when listed with them (not an attribute of the
            /// set message: they come from `NFT_MSG_GETSETELEM`).
            elements: Vec<SetElem>
        ]
        /// `NFTA_SET_TABLE`.
        table: String = NFTA_SET_TABLE,
        /// `NFTA_SET_NAME`.
        name: String = NFTA_SET_NAME,
        /// `NFTA_SET_FLAGS` (`NFT_SET_CONSTANT`, `NFT_SET_INTERVAL`,
        /// `NFT_SET_MAP`, `NFT_SET_TIMEOUT`, `NFT_SET_EVAL`, `NFT_SET_CONCAT` ...).
        flags: u32 = NFTA_SET_FLAGS,
        /// `NFTA_SET_KEY_TYPE`: nft's datatype id (`ipv4_addr` is 7 ...),
        /// opaque to the kernel.
        key_type: u32 = NFTA_SET_KEY_TYPE,
        /// `NFTA_SET_KEY_LEN`: key bytes.
        key_len: u32 = NFTA_SET_KEY_LEN,
        /// `NFTA_SET_DATA_TYPE` (maps; `NFT_DATA_VERDICT` for verdict maps).
        data_type: u32 = NFTA_SET_DATA_TYPE,
        /// `NFTA_SET_DATA_LEN` (maps).
        data_len: u32 = NFTA_SET_DATA_LEN,
        /// `NFTA_SET_POLICY` (`NFT_SET_POL_PERFORMANCE`, `NFT_SET_POL_MEMORY`).
        policy: u32 = NFTA_SET_POLICY,
        /// `NFTA_SET_ID`: names the set inside one transaction.
        id: u32 = NFTA_SET_ID,
        /// `NFTA_SET_TIMEOUT`: default element timeout, milliseconds.
        timeout: u64 = NFTA_SET_TIMEOUT,
        /// `NFTA_SET_GC_INTERVAL`: milliseconds.
        gc_interval: u32 = NFTA_SET_GC_INTERVAL,
        /// `NFTA_SET_USERDATA`, opaque to the kernel.
        userdata: Vec<u8> = NFTA_SET_USERDATA,
        /// `NFTA_SET_HANDLE`.
        handle: u64 = NFTA_SET_HANDLE,
        /// `NFTA_SET_OBJ_TYPE` (object maps).
        obj_type: u32 = NFTA_SET_OBJ_TYPE,
        /// `NFTA_SET_DESC`.
        desc: SetDesc = NFTA_SET_DESC,
        /// `NFTA_SET_EXPR`: one expression of every element, raw.
        expr: Vec<u8> = NFTA_SET_EXPR,
        /// `NFTA_SET_EXPRESSIONS`: expressions of every element, raw.
        expressions: Vec<u8> = NFTA_SET_EXPRESSIONS,
    }
}

nft_attrs! {
    /// One element of a set.
    ///
    /// An interval set (`NFT_SET_INTERVAL`) holds a range as two elements:
    /// its start, and the first key past its end flagged
    /// `NFT_SET_ELEM_INTERVAL_END` ([`SetElem::range`] writes both).
    pub struct SetElem {
        /// `NFTA_SET_ELEM_KEY`.
        key: Data = NFTA_SET_ELEM_KEY,
        /// `NFTA_SET_ELEM_KEY_END`: the end of a range (concatenated
        /// interval sets).
        key_end: Data = NFTA_SET_ELEM_KEY_END,
        /// `NFTA_SET_ELEM_DATA`: the value of a map element (or a verdict).
        data: Data = NFTA_SET_ELEM_DATA,
        /// `NFTA_SET_ELEM_FLAGS` (`NFT_SET_ELEM_INTERVAL_END`, `NFT_SET_ELEM_CATCHALL`).
        flags: u32 = NFTA_SET_ELEM_FLAGS,
        /// `NFTA_SET_ELEM_TIMEOUT`: milliseconds.
        timeout: u64 = NFTA_SET_ELEM_TIMEOUT,
        /// `NFTA_SET_ELEM_EXPIRATION`: milliseconds left (read only).
        expiration: u64 = NFTA_SET_ELEM_EXPIRATION,
        /// `NFTA_SET_ELEM_USERDATA`.
        userdata: Vec<u8> = NFTA_SET_ELEM_USERDATA,
        /// `NFTA_SET_ELEM_OBJREF` (object maps).
        objref: String = NFTA_SET_ELEM_OBJREF,
    }
}

impl SetDesc {
    /// A description of a concatenated key of fields of `lengths` bytes
    /// each (unpadded: 4 for an IPv4 address, 2 for a port), as the
    /// kernel needs it for a concatenated interval set.
    pub fn concat(lengths: &[u32]) -> Self {
        let mut buf = Vec::new();
        let mut m = nl_wire::MsgBuilder::attrs_only(&mut buf);
        for len in lengths {
            m.nest(NFTA_LIST_ELEM | NLA_F_NESTED, |m| {
                m.put_be32(NFTA_SET_FIELD_LEN, *len);
            });
        }
        // Attributes only: finishing writes no header and cannot fail
        // for a few small nests.
        let _ = m.finish();
        SetDesc {
            concat: Some(buf),
            ..Default::default()
        }
    }

    /// The field lengths of a concatenated key (empty if not described).
    pub fn concat_lengths(&self) -> Vec<u32> {
        let Some(raw) = &self.concat else {
            return Vec::new();
        };
        nl_wire::Attrs::new(raw)
            .flatten()
            .filter_map(|e| {
                e.nested()
                    .flatten()
                    .find(|a| a.ty() == NFTA_SET_FIELD_LEN)
                    .and_then(|a| a.be32().ok())
            })
            .collect()
    }
}

impl SetElem {
    /// An element with `key` (bytes as the packet holds them).
    pub fn new(key: &[u8]) -> Self {
        SetElem {
            key: Some(Data::Value(key.to_vec())),
            ..Default::default()
        }
    }

    /// The two elements of the range `start..=end` of an interval set
    /// (the kernel stores the first key past the end).
    pub fn range(start: &[u8], end: &[u8]) -> [SetElem; 2] {
        let mut past = end.to_vec();
        // Big-endian increment; wrapping past all-ones gives the zero key
        // nft also sends for a range that ends at the top.
        for b in past.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        [
            SetElem::new(start),
            SetElem {
                key: Some(Data::Value(past)),
                flags: Some(NFT_SET_ELEM_INTERVAL_END),
                ..Default::default()
            },
        ]
    }

    /// The key bytes.
    pub fn key_bytes(&self) -> Option<&[u8]> {
        self.key.as_ref().and_then(Data::value)
    }

    /// Whether this element closes an interval.
    pub fn is_interval_end(&self) -> bool {
        self.flags.unwrap_or(0) & NFT_SET_ELEM_INTERVAL_END != 0
    }
}

/// Elements of one set, as `NFT_MSG_NEWSETELEM` carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetElems {
    /// The family of the table.
    pub family: Family,
    /// `NFTA_SET_ELEM_LIST_TABLE`.
    pub table: String,
    /// `NFTA_SET_ELEM_LIST_SET`.
    pub set: String,
    /// `NFTA_SET_ELEM_LIST_ELEMENTS`.
    pub elements: Vec<SetElem>,
}

impl SetElems {
    /// Elements `elements` of set `set` in `table`.
    pub fn new(family: Family, table: &str, set: &str, elements: Vec<SetElem>) -> Self {
        SetElems {
            family,
            table: table.to_string(),
            set: set.to_string(),
            elements,
        }
    }

    /// Reads an `NFT_MSG_NEWSETELEM` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (out, family) = parse_object(msg, NFT_MSG_NEWSETELEM, |attrs| {
            let mut out = SetElems::default();
            for a in attrs {
                let a = a?;
                match a.ty() {
                    NFTA_SET_ELEM_LIST_TABLE => out.table = a.cstr()?.to_string(),
                    NFTA_SET_ELEM_LIST_SET => out.set = a.cstr()?.to_string(),
                    NFTA_SET_ELEM_LIST_ELEMENTS => {
                        // Sized once: a dump message holds about a thousand.
                        out.elements.reserve(a.nested().count());
                        for e in a.nested() {
                            out.elements.push(SetElem::parse_attrs(e?.nested())?);
                        }
                    }
                    _ => {}
                }
            }
            Ok(out)
        })?;
        Ok(SetElems { family, ..out })
    }

    /// Writes a dump of the elements of set `set` in `table`.
    pub fn write_dump(buf: &mut Vec<u8>, family: Family, table: &str, set: &str) -> Result<()> {
        write_dump(buf, NFT_MSG_GETSETELEM, family, |m| {
            m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
            m.put_str(NFTA_SET_ELEM_LIST_SET, set);
        })
    }

    /// The attributes of one message with a group of `elements` (encoded
    /// by [`SetElems::encode`]); `set_id` names a set added in the same
    /// transaction (`NFTA_SET_ELEM_LIST_SET_ID`).
    pub(crate) fn write_attrs(
        &self,
        m: &mut nl_wire::MsgBuilder<'_>,
        elements: &[u8],
        set_id: Option<u32>,
    ) {
        m.put_str(NFTA_SET_ELEM_LIST_TABLE, &self.table);
        m.put_str(NFTA_SET_ELEM_LIST_SET, &self.set);
        if let Some(id) = set_id {
            m.put_be32(NFTA_SET_ELEM_LIST_SET_ID, id);
        }
        // The group is the list's content, its `NFTA_LIST_ELEM` nests.
        m.put_raw(NFTA_SET_ELEM_LIST_ELEMENTS, elements);
    }

    /// The elements encoded as `NFTA_LIST_ELEM` nests, in groups that each
    /// fit one message's element list (an attribute is at most 64 KiB
    /// long); one buffer per group, no allocation per element.
    pub(crate) fn encode(&self) -> Result<Vec<Vec<u8>>> {
        // Room for the list's own header and the nfgenmsg, with margin.
        const GROUP_BYTES: usize = 60_000;
        let mut groups: Vec<Vec<u8>> = Vec::new();
        let mut group = Vec::with_capacity(GROUP_BYTES + 512);
        for e in &self.elements {
            // The expiration is the kernel's to say, never sent.
            let stripped;
            let e = if e.expiration.is_some() {
                stripped = SetElem {
                    expiration: None,
                    ..e.clone()
                };
                &stripped
            } else {
                e
            };
            let mark = group.len();
            let mut m = nl_wire::MsgBuilder::attrs_only(&mut group);
            m.nest(NFTA_LIST_ELEM | NLA_F_NESTED, |m| e.write_attrs(m));
            m.finish().map_err(crate::Error::Build)?;
            if group.len() > GROUP_BYTES && mark > 0 {
                // This element starts the next group.
                let next = group.split_off(mark);
                groups.push(std::mem::replace(&mut group, next));
                group.reserve(GROUP_BYTES + 512);
            }
        }
        groups.push(group);
        Ok(groups)
    }
}

impl Set {
    /// A set `name` in `table` with keys of `key_len` bytes of nft type
    /// `key_type` (nft's datatype ids: 7 `ipv4_addr`, 8 `ipv6_addr`,
    /// 13 `inet_service` ...).
    pub fn new(family: Family, table: &str, name: &str, key_type: u32, key_len: u32) -> Self {
        Set {
            family,
            table: Some(table.to_string()),
            name: Some(name.to_string()),
            key_type: Some(key_type),
            key_len: Some(key_len),
            ..Default::default()
        }
    }

    /// Reads an `NFT_MSG_NEWSET` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut s, family) = parse_object(msg, NFT_MSG_NEWSET, Self::parse_attrs)?;
        s.family = family;
        Ok(s)
    }

    /// Writes a dump of the sets of `family`, of `table` if given.
    pub fn write_dump(buf: &mut Vec<u8>, family: Family, table: Option<&str>) -> Result<()> {
        write_dump(buf, NFT_MSG_GETSET, family, |m| {
            if let Some(t) = table {
                m.put_str(NFTA_SET_TABLE, t);
            }
        })
    }

    /// The attributes that name the set (for deletes).
    pub(crate) fn write_key(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        let key = Set {
            table: self.table.clone(),
            name: self.name.clone(),
            handle: if self.name.is_none() {
                self.handle
            } else {
                None
            },
            ..Default::default()
        };
        key.write_attrs(m);
    }

    /// Written attributes for an add: the handle left out, `id` as the
    /// set id unless one is set (the kernel requires `NFTA_SET_ID`).
    pub(crate) fn write_new(&self, m: &mut nl_wire::MsgBuilder<'_>, id: u32) {
        let s = Set {
            handle: None,
            elements: Vec::new(),
            id: self.id.or(Some(id)),
            ..self.clone()
        };
        s.write_attrs(m);
    }
}
