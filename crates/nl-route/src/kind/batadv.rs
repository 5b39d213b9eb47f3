//! batadv: a B.A.T.M.A.N. advanced mesh interface (`IFLA_BATADV_*`);
//! its hard interfaces are its ports (`ip link set DEV master bat0`).

use crate::attrs::attr_struct;
use crate::uapi::batman_adv::IFLA_BATADV_ALGO_NAME;

attr_struct! {
    /// batadv settings. The kernel reports none back.
    pub struct Batadv {
        /// Routing algorithm, `BATMAN_IV` or `BATMAN_V` (`ra`; string),
        /// taken at creation only.
        algo_name: String = IFLA_BATADV_ALGO_NAME,
    }
}

crate::kind::plain_link_data!(Batadv);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    /// What `ip link add bat0 type batadv ra BATMAN_V` sends: the name
    /// with its NUL.
    #[test]
    fn algo_name_round_trips() {
        let link = Link::new("bat0").kind(LinkKind::Batadv(Batadv {
            algo_name: Some("BATMAN_V".into()),
        }));
        assert_eq!(round_trip(&link), link);
        assert_eq!(data_of(&link), b"\x0d\x00\x01\x00BATMAN_V\x00\x00\x00\x00");
    }
}
