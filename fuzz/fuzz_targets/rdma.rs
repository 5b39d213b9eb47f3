//! nl-rdma over arbitrary messages: every message is offered to every
//! parser (devices, ports, system settings, resource summaries, port
//! counters), whatever its type says; what parses must print, and the
//! requests made from it must parse as messages again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_rdma::{RdmaLink, RdmaPort, RdmaPortStatistic, RdmaResource, RdmaSystem};
use nl_wire::{Msg, Msgs};

fn reparse(buf: &[u8]) {
    let (m, rest) = Msg::parse(buf).expect("a request this library wrote parses");
    assert!(rest.is_empty());
    for a in m.attrs_after(0) {
        a.expect("its attributes parse");
    }
}

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if let Ok(l) = RdmaLink::parse(&msg) {
            let _ = format!(
                "{l:?} {} {} {:?}",
                l.node_guid_string(),
                l.sys_image_guid_string(),
                l.node_type_name()
            );
            let mut buf = Vec::new();
            if RdmaLink::write_set_name(&mut buf, l.index, &l.name).is_ok() {
                reparse(&buf);
            }
            let mut buf = Vec::new();
            RdmaLink::write_get(&mut buf, l.index).expect("a get writes");
            reparse(&buf);
        }
        if let Ok(p) = RdmaPort::parse(&msg) {
            let _ = format!(
                "{p:?} {} {:?} {:?}",
                p.ifname(),
                p.state_name(),
                p.phys_state_name()
            );
            let mut buf = Vec::new();
            RdmaPort::write_get(&mut buf, p.index, p.port).expect("a get writes");
            reparse(&buf);
        }
        if let Ok(s) = RdmaSystem::parse(&msg) {
            if let Some(mode) = s.netns_mode {
                assert_eq!(
                    mode.to_string().parse::<nl_rdma::NetnsMode>().ok(),
                    Some(mode)
                );
            }
        }
        if let Ok(r) = RdmaResource::parse(&msg) {
            for (name, _) in &r.summary {
                assert!(r.get(name).is_some(), "a listed resource is found by name");
            }
        }
        if let Ok(s) = RdmaPortStatistic::parse(&msg) {
            let _ = format!("{s:?}");
        }
    }
});
