//! ipvlan and ipvtap: IP-address-based virtual devices on a lower device
//! (`IFLA_IPVLAN_*`).
//!
//! Mode and flags belong to the lower device's ipvlan "port", not to one
//! ipvlan: every ipvlan on the same lower device reports the same values,
//! and creating one with another mode changes them all.

use crate::attrs::attr_struct;
use crate::uapi::if_link::{
    IFLA_IPVLAN_FLAGS, IFLA_IPVLAN_MODE, IPVLAN_F_PRIVATE, IPVLAN_F_VEPA, IPVLAN_MODE_L2,
    IPVLAN_MODE_L3, IPVLAN_MODE_L3S,
};

nl_wire::kernel_enum! {
    /// `IPVLAN_MODE_*`: where packets are switched.
    pub enum IpvlanMode: u16, "mode", crate::Error {
        /// Layer 2: the lower device's neighbours are reached by MAC.
        L2 = IPVLAN_MODE_L2 => "l2",
        /// Layer 3: the lower device routes (the kernel's default).
        L3 = IPVLAN_MODE_L3 => "l3",
        /// Layer 3 through netfilter (conntrack sees the traffic).
        L3s = IPVLAN_MODE_L3S => "l3s",
    }
}

nl_wire::kernel_enum! {
    /// `IFLA_IPVLAN_FLAGS`: how ipvlans on one lower device reach each other
    /// (`IPVLAN_F_PRIVATE` and `IPVLAN_F_VEPA`; neither is "bridge").
    pub enum IpvlanFlags: u16, "flags", crate::Error {
        /// Switched between each other (no flag, the default).
        Bridge = 0 => "bridge",
        /// No traffic between ipvlans of the same lower device.
        Private = IPVLAN_F_PRIVATE => "private",
        /// Traffic between them goes out to the external switch.
        Vepa = IPVLAN_F_VEPA => "vepa",
    }
}

attr_struct! {
    /// ipvlan / ipvtap settings (the lower device goes in
    /// [`Link::parent`](crate::Link::parent)).
    pub struct Ipvlan {
        /// Mode (`u16`).
        mode: IpvlanMode = IFLA_IPVLAN_MODE => Enum,
        /// Isolation between ipvlans (`u16`).
        flags: IpvlanFlags = IFLA_IPVLAN_FLAGS => Enum,
    }
}

crate::kind::plain_link_data!(Ipvlan);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::round_trip;
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        for (mode, flags) in [
            (IpvlanMode::L2, IpvlanFlags::Bridge),
            (IpvlanMode::L3, IpvlanFlags::Private),
            (IpvlanMode::L3s, IpvlanFlags::Vepa),
            (IpvlanMode::Other(9), IpvlanFlags::Other(4)),
        ] {
            let v = Ipvlan {
                mode: Some(mode),
                flags: Some(flags),
            };
            let link = Link::new("ipv0").link(3).kind(LinkKind::Ipvlan(v.clone()));
            assert_eq!(round_trip(&link), link);
            let tap = Link::new("ipvt0").kind(LinkKind::Ipvtap(v));
            assert_eq!(round_trip(&tap), tap);
        }
    }

    #[test]
    fn words_are_ips() {
        assert_eq!(IpvlanMode::L3s.to_string(), "l3s");
        assert_eq!("L2".parse::<IpvlanMode>().ok(), Some(IpvlanMode::L2));
        assert_eq!("1".parse::<IpvlanMode>().ok(), Some(IpvlanMode::L3));
        assert_eq!("vepa".parse::<IpvlanFlags>().ok(), Some(IpvlanFlags::Vepa));
        assert!("l4".parse::<IpvlanMode>().is_err());
        assert_eq!(u16::from(IpvlanFlags::Private), 1);
    }
}
