//! nftables tables (`NFT_MSG_NEWTABLE`, `NFTA_TABLE_*`).

use nl_wire::Msg;

use super::{Family, nft_attrs, parse_object, write_dump};
use crate::Result;
use crate::uapi::nf_tables::*;

nft_attrs! {
    /// A table: the container of chains, sets and objects of one family.
    pub struct Table {
        [
            /// The family (from the nfgenmsg, not an attribute).
            family: Family
        ]
        /// `NFTA_TABLE_NAME`.
        name: String = NFTA_TABLE_NAME,
        /// `NFTA_TABLE_FLAGS` (`NFT_TABLE_F_DORMANT`, `NFT_TABLE_F_OWNER` ...).
        flags: u32 = NFTA_TABLE_FLAGS,
        /// `NFTA_TABLE_USE`: how many objects it holds (read only).
        use_count: u32 = NFTA_TABLE_USE,
        /// `NFTA_TABLE_HANDLE` (read only).
        handle: u64 = NFTA_TABLE_HANDLE,
        /// `NFTA_TABLE_USERDATA`, opaque to the kernel.
        userdata: Vec<u8> = NFTA_TABLE_USERDATA,
        /// `NFTA_TABLE_OWNER`: the port id of the owning socket (read only).
        owner: u32 = NFTA_TABLE_OWNER,
    }
}

impl Table {
    /// A table `name` of `family`, to add or delete.
    pub fn new(family: Family, name: &str) -> Self {
        Table {
            family,
            name: Some(name.to_string()),
            ..Default::default()
        }
    }

    /// Reads an `NFT_MSG_NEWTABLE` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut t, family) = parse_object(msg, NFT_MSG_NEWTABLE, Self::parse_attrs)?;
        t.family = family;
        Ok(t)
    }

    /// Writes a dump of every table of `family` (`Unspec`: all).
    pub fn write_dump(buf: &mut Vec<u8>, family: Family) -> Result<()> {
        write_dump(buf, NFT_MSG_GETTABLE, family, |_| {})
    }

    /// The attributes that name the table (for deletes).
    pub(crate) fn write_key(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        match (&self.name, self.handle) {
            (Some(n), _) => m.put_str(NFTA_TABLE_NAME, n),
            (None, Some(h)) => m.put_be64(NFTA_TABLE_HANDLE, h),
            (None, None) => m,
        };
    }

    /// Written attributes for an add: the read-only ones left out.
    pub(crate) fn write_new(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        let t = Table {
            use_count: None,
            handle: None,
            owner: None,
            ..self.clone()
        };
        t.write_attrs(m);
    }
}
