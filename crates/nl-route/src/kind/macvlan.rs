//! macvlan and macvtap: MAC-based virtual devices on a lower device.

use nl_wire::{Attrs, HwAddr, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::{Error, Result};
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_link::*;
use crate::uapi::newer::IFLA_MACVLAN_BC_CUTOFF;

nl_wire::kernel_enum! {
    /// `MACVLAN_MODE_*`, with the words `ip link` uses.
    pub enum MacvlanMode: u32, "mode", Error {
        /// No traffic between macvlans on the same lower device.
        Private = MACVLAN_MODE_PRIVATE => "private",
        /// Traffic between macvlans goes through the external switch.
        Vepa = MACVLAN_MODE_VEPA => "vepa",
        /// Macvlans talk to each other directly.
        Bridge = MACVLAN_MODE_BRIDGE => "bridge",
        /// One macvlan takes over the lower device.
        Passthru = MACVLAN_MODE_PASSTHRU => "passthru",
        /// Only traffic from listed source MACs.
        Source = MACVLAN_MODE_SOURCE => "source",
    }
}

attr_struct! {
    /// macvlan / macvtap settings.
    pub struct Macvlan {
        /// Mode.
        mode: MacvlanMode = IFLA_MACVLAN_MODE => Enum,
        /// `MACVLAN_FLAG_*`: 1 no promisc (passthru), 2 no destination filter.
        flags: u16 = IFLA_MACVLAN_FLAGS,
        /// How `source_macs` applies (`MACVLAN_MACADDR_ADD/DEL/FLUSH/SET`).
        macaddr_mode: u32 = IFLA_MACVLAN_MACADDR_MODE,
        /// Broadcast queue length.
        bc_queue_len: u32 = IFLA_MACVLAN_BC_QUEUE_LEN,
        /// Broadcast cutoff.
        bc_cutoff: i32 = IFLA_MACVLAN_BC_CUTOFF,
    }
    extra {
        /// Source-mode MAC list (`IFLA_MACVLAN_MACADDR_DATA`).
        pub source_macs: Vec<HwAddr>,
        /// Request only: the one source MAC `macaddr_mode`
        /// `MACVLAN_MACADDR_ADD` or `_DEL` adds or removes
        /// (`IFLA_MACVLAN_MACADDR`; `ip link set X type macvlan macaddr
        /// add|del MAC`).
        pub macaddr: Option<HwAddr>,
        /// Read only: number of source MACs.
        pub macaddr_count: Option<u32>,
        /// Read only: broadcast queue length in use.
        pub bc_queue_len_used: Option<u32>,
    }
}

impl LinkData for Macvlan {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut v = Macvlan::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_MACVLAN_MACADDR_COUNT => v.macaddr_count = Some(a.u32()?),
                IFLA_MACVLAN_BC_QUEUE_LEN_USED => v.bc_queue_len_used = Some(a.u32()?),
                IFLA_MACVLAN_MACADDR_DATA => {
                    for mac in a.nested() {
                        let mac = mac?;
                        if mac.ty() == IFLA_MACVLAN_MACADDR {
                            v.source_macs.push(mac.hwaddr()?);
                        }
                    }
                }
                _ => {
                    v.parse_attr(&a)?;
                }
            }
        }
        Ok(v)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        if let Some(mac) = &self.macaddr {
            m.put_hwaddr(IFLA_MACVLAN_MACADDR, mac);
        }
        if !self.source_macs.is_empty() {
            m.nest(IFLA_MACVLAN_MACADDR_DATA, |m| {
                for mac in &self.source_macs {
                    m.put_hwaddr(IFLA_MACVLAN_MACADDR, mac);
                }
            });
        }
        Ok(())
    }
}
