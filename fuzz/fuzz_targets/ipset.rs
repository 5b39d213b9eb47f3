//! ipset replies and requests: listings merged across messages (with
//! their `ipset list` / `ipset save` text), protocol and type replies,
//! headers; and member text as the `ipset` tool writes it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_netfilter::ipset::{self, Entry, IpSet, Protocol, SetList, TypeInfo};
use nl_wire::Msgs;

const TYPES: &[&str] = &[
    "hash:ip",
    "hash:net,port",
    "hash:ip,port,ip",
    "hash:net,iface",
    "bitmap:ip,mac",
    "bitmap:port",
    "list:set",
    "hash:ip,mark",
];

fuzz_target!(|data: &[u8]| {
    let mut list = SetList::default();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let _ = list.push(&msg);
        let _ = (Protocol::parse(&msg), TypeInfo::parse(&msg));
        let _ = ipset::list_message_set(&msg);
        if let Ok(s) = IpSet::parse(&msg) {
            let _ = (s.to_string(), s.save().to_string());
        }
    }
    let sets = list.into_sets();
    let _ = ipset::list_text(&sets, false);
    let _ = ipset::list_text(&sets, true);
    // Member text: parsed for a type, printed back, written as a request.
    if let Ok(text) = std::str::from_utf8(data) {
        for ty in TYPES {
            if let Ok(e) = Entry::parse(ty, text) {
                let _ = e.to_text(ty);
                let mut buf = Vec::new();
                let _ = ipset::write_entry(&mut buf, ipset::Adt::Add, "s", &e, false);
            }
        }
    }
});
