//! Generic netlink replies: nlctrl families, notifications and policy
//! dumps, and the genl header itself, from arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::ctrl::CtrlEvent;
use nl_genl::{Family, GenlMsg, Policy};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let mut policy = Policy::default();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if let Ok(f) = Family::parse(&msg) {
            let _ = (f.group("notify"), f.op(3));
        }
        let _ = CtrlEvent::parse(&msg);
        let _ = policy.add(&msg);
        for hdrsize in [0, 4, 8, 1000] {
            if let Ok(g) = GenlMsg::parse(&msg, hdrsize) {
                for a in g.attrs() {
                    let Ok(a) = a else { break };
                    let _ = (a.u32(), a.cstr(), a.nested().count());
                }
            }
        }
    }
    let _ = (policy.accepts(3, 2), policy.attrs_of(1, true));
});
