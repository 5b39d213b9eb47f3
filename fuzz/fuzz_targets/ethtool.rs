//! ethtool netlink replies and notifications from arbitrary bytes: every
//! object's parser, both bitset forms, string sets and statistics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::ethtool::{
    Channels, Coalesce, Eee, EthtoolEvent, FeatureChanges, Features, LinkInfo, LinkModes,
    LinkState, Pause, Reply, Rings, Stats, StringSet,
};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        if let Ok(ev) = EthtoolEvent::parse(&g) {
            let _ = ev.header();
        }
        if let Ok(mut f) = Features::parse(&g) {
            let _ = f.iter().map(|x| x.to_string()).count();
            let _ = (f.hw.ones().count(), f.active.covered().count(), f.get("rx-gro"));
            if let Ok(sets) = StringSet::parse_all(&g) {
                if let Some(s) = sets.first() {
                    f.set_names(s);
                    let _ = (f.iter().count(), s.get(3), s.index_of("x"));
                }
            }
        }
        if let Ok(m) = LinkModes::parse(&g) {
            let _ = m.to_string();
            if let Some(o) = &m.ours {
                let _ = (o.ones().count(), o.covered().count(), o.name(5), o.is_set(u32::MAX));
            }
        }
        let _ = (LinkInfo::parse(&g), LinkState::parse(&g), Eee::parse(&g));
        let _ = Rings::parse(&g).map(|r| r.to_string());
        let _ = Channels::parse(&g).map(|c| c.to_string());
        let _ = Pause::parse(&g).map(|p| p.to_string());
        let _ = (Coalesce::parse(&g), FeatureChanges::parse(&g), Stats::parse(&g));
    }
});
