//! macvlan and macvtap: MAC-based virtual devices on a lower device.

use std::fmt;

use nl_wire::{Attr, Attrs, HwAddr, MsgBuilder};

use crate::attrs::{Codec, Native, attr_struct, parse_with};
use crate::error::{Error, Result};
use crate::uapi::if_link::*;
use crate::uapi::newer::IFLA_MACVLAN_BC_CUTOFF;

/// `MACVLAN_MODE_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacvlanMode {
    /// No traffic between macvlans on the same lower device.
    Private,
    /// Traffic between macvlans goes through the external switch.
    Vepa,
    /// Macvlans talk to each other directly.
    Bridge,
    /// One macvlan takes over the lower device.
    Passthru,
    /// Only traffic from listed source MACs.
    Source,
    /// A value this library does not know.
    Other(u32),
}

impl From<u32> for MacvlanMode {
    fn from(v: u32) -> Self {
        match v {
            MACVLAN_MODE_PRIVATE => MacvlanMode::Private,
            MACVLAN_MODE_VEPA => MacvlanMode::Vepa,
            MACVLAN_MODE_BRIDGE => MacvlanMode::Bridge,
            MACVLAN_MODE_PASSTHRU => MacvlanMode::Passthru,
            MACVLAN_MODE_SOURCE => MacvlanMode::Source,
            o => MacvlanMode::Other(o),
        }
    }
}

impl From<MacvlanMode> for u32 {
    fn from(m: MacvlanMode) -> u32 {
        match m {
            MacvlanMode::Private => MACVLAN_MODE_PRIVATE,
            MacvlanMode::Vepa => MACVLAN_MODE_VEPA,
            MacvlanMode::Bridge => MACVLAN_MODE_BRIDGE,
            MacvlanMode::Passthru => MACVLAN_MODE_PASSTHRU,
            MacvlanMode::Source => MACVLAN_MODE_SOURCE,
            MacvlanMode::Other(o) => o,
        }
    }
}

impl fmt::Display for MacvlanMode {
    /// The words `ip link` uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MacvlanMode::Private => f.write_str("private"),
            MacvlanMode::Vepa => f.write_str("vepa"),
            MacvlanMode::Bridge => f.write_str("bridge"),
            MacvlanMode::Passthru => f.write_str("passthru"),
            MacvlanMode::Source => f.write_str("source"),
            MacvlanMode::Other(o) => write!(f, "{o}"),
        }
    }
}

impl std::str::FromStr for MacvlanMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "private" => MacvlanMode::Private,
            "vepa" => MacvlanMode::Vepa,
            "bridge" => MacvlanMode::Bridge,
            "passthru" => MacvlanMode::Passthru,
            "source" => MacvlanMode::Source,
            _ => {
                return Err(Error::invalid(
                    "mode",
                    "not private, vepa, bridge, passthru or source",
                ));
            }
        })
    }
}

impl Codec<MacvlanMode> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<MacvlanMode> {
        a.u32().map(MacvlanMode::from)
    }
    fn write(v: &MacvlanMode, m: &mut MsgBuilder<'_>, kind: u16) {
        m.put_u32(kind, (*v).into());
    }
}

attr_struct! {
    /// macvlan / macvtap settings.
    pub struct Macvlan {
        /// Mode.
        mode: MacvlanMode = IFLA_MACVLAN_MODE,
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
        /// Read only: number of source MACs.
        pub macaddr_count: Option<u32>,
        /// Read only: broadcast queue length in use.
        pub bc_queue_len_used: Option<u32>,
    }
}

impl Macvlan {
    pub(crate) fn parse(attrs: Attrs<'_>, ty: u16) -> Result<Self> {
        let mut v = Macvlan::default();
        let mut macs = Vec::new();
        let (mut count, mut used) = (None, None);
        parse_with(
            attrs,
            ty,
            |a| v.parse_attr(a),
            |a| {
                let with = |e| Error::Wire {
                    msg_type: ty,
                    attr: Some(a.kind()),
                    source: e,
                };
                match a.kind() {
                    IFLA_MACVLAN_MACADDR_COUNT => count = Some(a.u32().map_err(with)?),
                    IFLA_MACVLAN_BC_QUEUE_LEN_USED => used = Some(a.u32().map_err(with)?),
                    IFLA_MACVLAN_MACADDR_DATA => {
                        for mac in a.nested() {
                            let mac = mac.map_err(with)?;
                            if mac.kind() == IFLA_MACVLAN_MACADDR {
                                macs.push(mac.hwaddr().map_err(with)?);
                            }
                        }
                    }
                    _ => {}
                }
                Ok(())
            },
        )?;
        v.source_macs = macs;
        v.macaddr_count = count;
        v.bc_queue_len_used = used;
        Ok(v)
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) {
        self.write_attrs(m);
        if !self.source_macs.is_empty() {
            m.nest(IFLA_MACVLAN_MACADDR_DATA, |m| {
                for mac in &self.source_macs {
                    m.put_hwaddr(IFLA_MACVLAN_MACADDR, mac);
                }
            });
        }
    }
}
