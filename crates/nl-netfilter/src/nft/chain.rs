//! nftables chains (`NFT_MSG_NEWCHAIN`, `NFTA_CHAIN_*`): base chains
//! (with a hook) and regular chains (jump targets).

use nl_wire::Msg;

use super::{Counter, Family, Verdict, nft_attrs, parse_object, write_dump};
use crate::Result;
use crate::uapi::nf_tables::*;

nft_attrs! {
    /// `NFTA_CHAIN_HOOK`: where a base chain sees packets.
    pub struct ChainHook {
        /// `NFTA_HOOK_HOOKNUM` (`NF_INET_LOCAL_IN` ...).
        hooknum: u32 = NFTA_HOOK_HOOKNUM,
        /// `NFTA_HOOK_PRIORITY`: lower runs first.
        priority: i32 = NFTA_HOOK_PRIORITY,
        /// `NFTA_HOOK_DEV`: the device of a netdev/ingress chain.
        device: String = NFTA_HOOK_DEV,
        /// `NFTA_HOOK_DEVS`: the devices of a netdev/ingress chain on
        /// several (the kernel lists a single device here too).
        devices: Vec<String> = NFTA_HOOK_DEVS,
    }
}

nft_attrs! {
    /// A chain of a table: a base chain when `hook` is set.
    pub struct Chain {
        [
            /// The family (from the nfgenmsg).
            family: Family
        ]
        /// `NFTA_CHAIN_TABLE`.
        table: String = NFTA_CHAIN_TABLE,
        /// `NFTA_CHAIN_NAME`.
        name: String = NFTA_CHAIN_NAME,
        /// `NFTA_CHAIN_HANDLE`.
        handle: u64 = NFTA_CHAIN_HANDLE,
        /// `NFTA_CHAIN_HOOK`: set for base chains.
        hook: ChainHook = NFTA_CHAIN_HOOK,
        /// `NFTA_CHAIN_POLICY`: `NF_ACCEPT` or `NF_DROP` (base chains).
        policy: u32 = NFTA_CHAIN_POLICY,
        /// `NFTA_CHAIN_TYPE`: `filter`, `nat`, `route` (base chains).
        chain_type: String = NFTA_CHAIN_TYPE,
        /// `NFTA_CHAIN_FLAGS` (`NFT_CHAIN_BASE`, `NFT_CHAIN_HW_OFFLOAD`, `NFT_CHAIN_BINDING`).
        flags: u32 = NFTA_CHAIN_FLAGS,
        /// `NFTA_CHAIN_USE`: references to the chain (read only).
        use_count: u32 = NFTA_CHAIN_USE,
        /// `NFTA_CHAIN_COUNTERS`: packets and bytes of a base chain.
        counters: Counter = NFTA_CHAIN_COUNTERS,
        /// `NFTA_CHAIN_ID`: names the chain inside one transaction.
        id: u32 = NFTA_CHAIN_ID,
        /// `NFTA_CHAIN_USERDATA`, opaque to the kernel.
        userdata: Vec<u8> = NFTA_CHAIN_USERDATA,
    }
}

impl Chain {
    /// A regular chain `name` of `table` (a jump target).
    pub fn new(family: Family, table: &str, name: &str) -> Self {
        Chain {
            family,
            table: Some(table.to_string()),
            name: Some(name.to_string()),
            ..Default::default()
        }
    }

    /// A base chain of type `chain_type` (`filter`, `nat` ...) on hook
    /// `hooknum` at `priority`, with a default `policy`.
    pub fn base(
        family: Family,
        table: &str,
        name: &str,
        chain_type: &str,
        hooknum: u32,
        priority: i32,
        policy: Verdict,
    ) -> Self {
        Chain {
            hook: Some(ChainHook {
                hooknum: Some(hooknum),
                priority: Some(priority),
                ..Default::default()
            }),
            chain_type: Some(chain_type.to_string()),
            policy: Some(u32::from_ne_bytes(policy.code().to_ne_bytes())),
            ..Chain::new(family, table, name)
        }
    }

    /// The base chain on the ingress (or egress) hook of `devices`
    /// (`NFTA_HOOK_DEVS`; a netdev family chain, or an inet ingress one
    /// with one device).
    pub fn on_devices(mut self, devices: &[&str]) -> Self {
        let hook = self.hook.get_or_insert_with(ChainHook::default);
        hook.device = None;
        hook.devices = Some(devices.iter().map(|d| d.to_string()).collect());
        self
    }

    /// The devices of a netdev/ingress base chain, from either attribute.
    pub fn hook_devices(&self) -> Vec<&str> {
        let Some(h) = &self.hook else {
            return Vec::new();
        };
        match (&h.devices, &h.device) {
            (Some(ds), _) if !ds.is_empty() => ds.iter().map(String::as_str).collect(),
            (_, Some(d)) => vec![d.as_str()],
            _ => Vec::new(),
        }
    }

    /// The policy as a verdict.
    pub fn policy_verdict(&self) -> Option<Verdict> {
        self.policy
            .map(|p| Verdict::from_code(i32::from_ne_bytes(p.to_ne_bytes()), None))
    }

    /// Whether this is a base chain (it has a hook).
    pub fn is_base(&self) -> bool {
        self.hook.is_some()
    }

    /// Reads an `NFT_MSG_NEWCHAIN` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut c, family) = parse_object(msg, NFT_MSG_NEWCHAIN, Self::parse_attrs)?;
        c.family = family;
        Ok(c)
    }

    /// Writes a dump of the chains of `family`, of `table` if given.
    pub fn write_dump(buf: &mut Vec<u8>, family: Family, table: Option<&str>) -> Result<()> {
        write_dump(buf, NFT_MSG_GETCHAIN, family, |m| {
            if let Some(t) = table {
                m.put_str(NFTA_CHAIN_TABLE, t);
            }
        })
    }

    /// The attributes that name the chain (for deletes).
    pub(crate) fn write_key(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        if let Some(t) = &self.table {
            m.put_str(NFTA_CHAIN_TABLE, t);
        }
        match (&self.name, self.handle) {
            (Some(n), _) => m.put_str(NFTA_CHAIN_NAME, n),
            (None, Some(h)) => m.put_be64(NFTA_CHAIN_HANDLE, h),
            (None, None) => m,
        };
    }

    /// Written attributes for an add: the read-only ones left out.
    pub(crate) fn write_new(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        let c = Chain {
            use_count: None,
            handle: None,
            flags: self.flags.filter(|f| f & !NFT_CHAIN_BASE != 0),
            ..self.clone()
        };
        c.write_attrs(m);
    }
}
