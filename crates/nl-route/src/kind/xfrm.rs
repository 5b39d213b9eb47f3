//! xfrm: XFRM (IPsec) interfaces (`IFLA_XFRM_*`). Policies and states
//! whose `if_id` matches route traffic through the interface.

use crate::attrs::attr_struct;
use crate::uapi::if_link::{IFLA_XFRM_COLLECT_METADATA, IFLA_XFRM_IF_ID, IFLA_XFRM_LINK};

attr_struct! {
    /// XFRM interface settings.
    pub struct Xfrm {
        /// Underlying device index, 0 for none (`u32`).
        link: u32 = IFLA_XFRM_LINK,
        /// Interface id matched against policies and states (`u32`); not 0
        /// unless `collect_metadata`.
        if_id: u32 = IFLA_XFRM_IF_ID,
        /// External mode: the id comes from packet metadata (flag; one
        /// per namespace, with `link` and `if_id` unset).
        collect_metadata: bool = IFLA_XFRM_COLLECT_METADATA => Flag,
    }
}

crate::kind::plain_link_data!(Xfrm);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let link = Link::new("xfrm7").kind(LinkKind::Xfrm(Xfrm {
            link: Some(2),
            if_id: Some(7),
            collect_metadata: None,
        }));
        assert_eq!(round_trip(&link), link);
        let external = Link::new("xfrm0").kind(LinkKind::Xfrm(Xfrm {
            collect_metadata: Some(true),
            ..Xfrm::default()
        }));
        assert_eq!(round_trip(&external), external);
        // collect_metadata is a flag: present, empty.
        assert_eq!(
            data_of(&external),
            [&4u16.to_ne_bytes()[..], &3u16.to_ne_bytes()].concat()
        );
    }
}
