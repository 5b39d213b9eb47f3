//! nl-route's parsers over arbitrary messages: every message is offered to
//! every parser, whatever its type says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if let Ok(link) = nl_route::Link::parse(&msg) {
            // What parsed must write back without panicking.
            let mut buf = Vec::new();
            let _ = link.write_add(&mut buf);
            let _ = link.to_string();
            // `ip -d link show`'s text, with every kind's settings printed.
            let _ = link.text(&nl_route::NoNames).details(true).to_string();
            if let Some(kind) = &link.kind {
                let _ = kind.details(&nl_route::NoNames);
            }
        }
        if let Ok(route) = nl_route::Route::parse(&msg) {
            let mut buf = Vec::new();
            let _ = route.write_add(&mut buf);
            let _ = route.to_string();
        }
        if let Ok(addr) = nl_route::Addr::parse(&msg) {
            let mut buf = Vec::new();
            let _ = addr.write_add(&mut buf);
            let _ = addr.to_string();
        }
        // The smaller readers: statistics, neighbour tables, VNI filters,
        // per-interface configuration.
        let _ = nl_route::stats::Stats::parse(&msg);
        let _ = nl_route::neightbl::NeighTable::parse(&msg);
        let _ = nl_route::vni::VniFilter::parse(&msg);
        let _ = nl_route::devconf::Devconf::parse(&msg);
    }
});
