//! wwan: a data session of a WWAN modem (`IFLA_WWAN_*`, Linux 5.14+),
//! added on the modem's parent device. Needs modem hardware (or the
//! kernel's wwan_hwsim).

use crate::attrs::attr_struct;
use crate::kind::Detail;
use crate::text::LinkNames;
use crate::uapi::wwan::IFLA_WWAN_LINK_ID;

attr_struct! {
    /// wwan settings.
    pub struct Wwan {
        /// The modem's data session (PDN) id (`linkid`; `u32`).
        link_id: u32 = IFLA_WWAN_LINK_ID,
    }
}

impl Wwan {
    /// What `ip -d link show` prints (`wwan_print_opt`).
    fn ip_details(&self, _kind: &str, _names: &dyn LinkNames) -> Vec<Detail> {
        self.link_id
            .map(|id| Detail::uint("linkid", "linkid", id))
            .into_iter()
            .collect()
    }
}

crate::kind::plain_link_data_with_details!(Wwan);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn link_id_round_trips() {
        let link = Link::new("wwan0.1").kind(LinkKind::Wwan(Wwan { link_id: Some(1) }));
        assert_eq!(round_trip(&link), link);
        assert_eq!(data_of(&link), [8, 0, 1, 0, 1, 0, 0, 0]);
    }
}
