//! vrf: an L3 master device bound to a routing table (`IFLA_VRF_*`), and
//! the table its ports report (`IFLA_VRF_PORT_*`).

use crate::attrs::attr_struct;
use crate::uapi::if_link::{IFLA_VRF_PORT_TABLE, IFLA_VRF_TABLE};

attr_struct! {
    /// VRF settings.
    pub struct Vrf {
        /// Routing table id (`u32`). Required when creating; fixed after.
        table: u32 = IFLA_VRF_TABLE,
    }
}

attr_struct! {
    /// What a VRF's port reports (`IFLA_INFO_SLAVE_KIND` "vrf"): its
    /// master's table. Read only.
    pub struct VrfSlave {
        /// Routing table id of the VRF (`u32`).
        table: u32 = IFLA_VRF_PORT_TABLE,
    }
}

crate::kind::plain_link_data!(Vrf, VrfSlave);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, SlaveInfo};

    #[test]
    fn table_round_trips() {
        let link = Link::new("vrf-blue").kind(LinkKind::vrf(1001));
        assert_eq!(round_trip(&link), link);
        let data = data_of(&link);
        assert_eq!(&data[2..4], &1u16.to_ne_bytes());
        assert_eq!(&data[4..], &1001u32.to_ne_bytes());
    }

    #[test]
    fn port_table_round_trips() {
        let link = Link {
            slave: Some(SlaveInfo::Vrf(VrfSlave { table: Some(1001) })),
            ..Link::new("dummy0")
        };
        assert_eq!(round_trip(&link), link);
    }
}
