//! Traffic control parsers over arbitrary messages: qdiscs, classes,
//! filters, chains and action tables, whatever the message type says; what parses
//! must write back without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_route::tc::{Action, Chain, Class, Filter, FilterEntry, Qdisc};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let mut buf = Vec::new();
        if let Ok(q) = Qdisc::parse(&msg) {
            let _ = q.write_replace(&mut buf);
            let _ = format!("{q:?}");
        }
        if let Ok(c) = Class::parse(&msg) {
            let _ = c.write_replace(&mut buf);
        }
        if let Ok(f) = Filter::parse(&msg) {
            let _ = f.write_replace(&mut buf);
            let _ = f.write_del(&mut buf);
            let _ = f.protocol.to_string();
        }
        match FilterEntry::parse(&msg) {
            Ok(FilterEntry::U32Table(t)) => {
                let _ = t.write_add(&mut buf);
                let _ = t.write_del(&mut buf);
            }
            Ok(FilterEntry::Filter(f)) => {
                let _ = f.write_del(&mut buf);
            }
            Ok(FilterEntry::Head(h)) => {
                let _ = format!("{h:?}");
            }
            Err(_) => {}
        }
        if let Ok(c) = Chain::parse(&msg) {
            let _ = c.write_add(&mut buf);
            let _ = c.write_del(&mut buf);
        }
        if let Ok(actions) = Action::parse_msg(&msg) {
            let _ = Action::write_replace(&actions, &mut buf);
        }
    }
});
