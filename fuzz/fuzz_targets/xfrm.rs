//! nl-xfrm over arbitrary messages: every message is offered to every
//! parser (states, policies, ids, SAD/SPD info, monitor events), whatever
//! its type says; what parses must print, and what writes back must parse
//! again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::{Msg, Msgs};
use nl_xfrm::{PolicyId, SadInfo, SpdInfo, StateId, XfrmEvent, XfrmPolicy, XfrmState};

fn reparse<T>(buf: &[u8], parse: impl Fn(&Msg<'_>) -> nl_xfrm::Result<T>) {
    if let Ok((m, _)) = Msg::parse(buf) {
        assert!(parse(&m).is_ok(), "a request this library wrote does not parse");
    }
}

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if let Ok(s) = XfrmState::parse(&msg) {
            let _ = format!("{s} {s:?}");
            let mut buf = Vec::new();
            if s.write_add(&mut buf).is_ok() {
                reparse(&buf, XfrmState::parse);
            }
            let mut buf = Vec::new();
            if s.id().write_del(&mut buf).is_ok() {
                reparse(&buf, StateId::parse);
            }
        }
        if let Ok(p) = XfrmPolicy::parse(&msg) {
            let _ = format!("{p} {p:?}");
            let mut buf = Vec::new();
            if p.write_update(&mut buf).is_ok() {
                reparse(&buf, XfrmPolicy::parse);
            }
            let mut buf = Vec::new();
            if p.id().write_get(&mut buf).is_ok() {
                reparse(&buf, PolicyId::parse);
            }
        }
        let _ = StateId::parse(&msg);
        let _ = PolicyId::parse(&msg);
        let _ = SadInfo::parse(&msg);
        let _ = SpdInfo::parse(&msg);
        if let Ok(e) = XfrmEvent::parse(&msg) {
            let _ = format!("{e:?}");
        }
    }
});
