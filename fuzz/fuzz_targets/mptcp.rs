//! MPTCP path-manager replies and events from arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::mptcp::{Endpoint, Limits, MptcpEvent};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        if let Ok(e) = Endpoint::parse(&g) {
            let _ = (e.to_string(), e.flags.words().count());
        }
        let _ = Limits::parse(&g).map(|l| l.to_string());
        if let Ok(ev) = MptcpEvent::parse(&g) {
            let _ = (ev.to_string(), ev.is_server_side(), ev.kind.name());
        }
    }
});
