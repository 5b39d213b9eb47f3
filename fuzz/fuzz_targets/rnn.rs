//! Rules, neighbours / FDB entries and nexthop objects over arbitrary
//! messages: every message is offered to every parser, whatever its type
//! says; what parses must write back and print without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let mut buf = Vec::new();
        if let Ok(rule) = nl_route::Rule::parse(&msg) {
            let _ = rule.write_add(&mut buf);
            let _ = rule.write_del(&mut buf);
            let _ = rule.to_string();
        }
        if let Ok(neigh) = nl_route::Neigh::parse(&msg) {
            let _ = neigh.write_replace(&mut buf);
            let _ = neigh.to_string();
        }
        if let Ok(nh) = nl_route::Nexthop::parse(&msg) {
            let _ = nh.write_replace(&mut buf);
            let _ = nh.to_string();
        }
    }
});
