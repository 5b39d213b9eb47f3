//! dsa: a user port of a Distributed Switch Architecture switch
//! (`IFLA_DSA_*`), created by its switch driver; netlink only moves it
//! to another conduit (CPU-facing) interface. Needs switch hardware.

use crate::attrs::attr_struct;
use crate::kind::Detail;
use crate::text::LinkNames;
use crate::uapi::if_link::IFLA_DSA_MASTER;

attr_struct! {
    /// dsa settings.
    pub struct Dsa {
        /// The conduit interface, a link index (`conduit`, or `master` in
        /// older words; `u32`).
        conduit: u32 = IFLA_DSA_MASTER,
    }
}

impl Dsa {
    /// What `ip -d link show` prints (`dsa_print_opt`).
    fn ip_details(&self, _kind: &str, names: &dyn LinkNames) -> Vec<Detail> {
        self.conduit
            .map(|c| Detail::dev("conduit", "conduit", c, names))
            .into_iter()
            .collect()
    }
}

crate::kind::plain_link_data_with_details!(Dsa);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, NoNames};

    #[test]
    fn conduit_round_trips_and_prints() {
        let d = Dsa { conduit: Some(4) };
        let link = Link::new("lan1").kind(LinkKind::Dsa(d.clone()));
        assert_eq!(round_trip(&link), link);
        assert_eq!(data_of(&link), [8, 0, 1, 0, 4, 0, 0, 0]);
        let text: Vec<_> = d
            .ip_details("dsa", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(text, ["conduit if4 "]);
    }
}
