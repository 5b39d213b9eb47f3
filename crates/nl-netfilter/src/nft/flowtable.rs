//! nftables flowtables (`NFT_MSG_NEWFLOWTABLE`, `NFTA_FLOWTABLE_*`): a
//! fast path for established flows between devices (`flow add @ft`).

use nl_wire::{Msg, MsgBuilder};

use super::{Family, nft_attrs, parse_object, write_dump};
use crate::Result;
use crate::uapi::nf_tables::*;

nft_attrs! {
    /// `NFTA_FLOWTABLE_HOOK`: where the flowtable sits.
    pub struct FlowtableHook {
        /// `NFTA_FLOWTABLE_HOOK_NUM` (`NF_NETDEV_INGRESS`).
        num: u32 = NFTA_FLOWTABLE_HOOK_NUM,
        /// `NFTA_FLOWTABLE_HOOK_PRIORITY`.
        priority: i32 = NFTA_FLOWTABLE_HOOK_PRIORITY,
        /// `NFTA_FLOWTABLE_HOOK_DEVS`: the devices.
        devices: Vec<String> = NFTA_FLOWTABLE_HOOK_DEVS,
    }
}

nft_attrs! {
    /// A flowtable of a table.
    pub struct Flowtable {
        [
            /// The family (from the nfgenmsg).
            family: Family
        ]
        /// `NFTA_FLOWTABLE_TABLE`.
        table: String = NFTA_FLOWTABLE_TABLE,
        /// `NFTA_FLOWTABLE_NAME`.
        name: String = NFTA_FLOWTABLE_NAME,
        /// `NFTA_FLOWTABLE_HOOK`.
        hook: FlowtableHook = NFTA_FLOWTABLE_HOOK,
        /// `NFTA_FLOWTABLE_USE` (read only).
        use_count: u32 = NFTA_FLOWTABLE_USE,
        /// `NFTA_FLOWTABLE_HANDLE`.
        handle: u64 = NFTA_FLOWTABLE_HANDLE,
        /// `NFTA_FLOWTABLE_FLAGS` (`NFT_FLOWTABLE_HW_OFFLOAD`, `NFT_FLOWTABLE_COUNTER`).
        flags: u32 = NFTA_FLOWTABLE_FLAGS,
    }
}

impl Flowtable {
    /// A flowtable `name` of `table` on the ingress hook of `devices` at
    /// `priority`.
    pub fn new(family: Family, table: &str, name: &str, priority: i32, devices: &[&str]) -> Self {
        Flowtable {
            family,
            table: Some(table.to_string()),
            name: Some(name.to_string()),
            hook: Some(FlowtableHook {
                num: Some(crate::uapi::netfilter::NF_NETDEV_INGRESS),
                priority: Some(priority),
                devices: Some(devices.iter().map(|d| d.to_string()).collect()),
            }),
            ..Default::default()
        }
    }

    /// Reads an `NFT_MSG_NEWFLOWTABLE` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut f, family) = parse_object(msg, NFT_MSG_NEWFLOWTABLE, Self::parse_attrs)?;
        f.family = family;
        Ok(f)
    }

    /// Writes a dump of the flowtables of `family`, of `table` if given.
    pub fn write_dump(buf: &mut Vec<u8>, family: Family, table: Option<&str>) -> Result<()> {
        write_dump(buf, NFT_MSG_GETFLOWTABLE, family, |m| {
            if let Some(t) = table {
                m.put_str(NFTA_FLOWTABLE_TABLE, t);
            }
        })
    }

    /// The attributes that name the flowtable (for deletes).
    pub(crate) fn write_key(&self, m: &mut MsgBuilder<'_>) {
        let key = Flowtable {
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

    /// Written attributes for an add: the read-only ones left out.
    pub(crate) fn write_new(&self, m: &mut MsgBuilder<'_>) {
        let f = Flowtable {
            use_count: None,
            handle: None,
            ..self.clone()
        };
        f.write_attrs(m);
    }
}
