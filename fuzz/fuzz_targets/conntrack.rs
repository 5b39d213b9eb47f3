//! ctnetlink replies and events (entries, expectations, statistics) from
//! arbitrary bytes: parsed, printed as conntrack prints them, matched
//! against a filter, and written back as requests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_netfilter::NfMsg;
use nl_netfilter::conntrack::{
    CpuStats, Entry, Expect, Filter, Labels, Stats, Status, TextOptions, is_entry, parse_event,
};
use nl_netfilter::uapi::nfnetlink::{NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let filter = Filter::new()
        .proto(6)
        .orig_dst_port(80)
        .reply_any("192.0.2.0/24".parse::<ipnet::IpNet>().unwrap())
        .status(Status::ASSURED)
        .labels(Labels::from_bits([1]));
    let mut text = String::new();
    let mut buf = Vec::new();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if is_entry(&msg) {
            if let Ok((kind, e)) = parse_event(&msg) {
                text.clear();
                e.write_text(
                    &mut text,
                    &TextOptions {
                        layer3: true,
                        id: true,
                        event: kind,
                        now_ns: Some(1),
                    },
                );
                let _ = (filter.matches(&e), e.to_string(), e.orig.reversed());
                buf.clear();
                let _ = e.write_create(&mut buf);
                let _ = e.write_update(&mut buf);
                let _ = e.write_delete(&mut buf);
            }
        }
        if let Ok(nf) = NfMsg::parse(&msg, NFNL_SUBSYS_CTNETLINK) {
            let mut e = Entry::default();
            let _ = e.parse_from(&nf);
            if let Ok(s) = CpuStats::parse(&nf) {
                let _ = s.to_string();
            }
            let _ = Stats::parse(&nf);
        }
        if let Ok(nf) = NfMsg::parse(&msg, NFNL_SUBSYS_CTNETLINK_EXP) {
            if let Ok(x) = Expect::parse(&nf) {
                let _ = x.to_string();
                buf.clear();
                let _ = x.write_create(&mut buf);
                let _ = x.write_delete(&mut buf);
            }
        }
    }
});
