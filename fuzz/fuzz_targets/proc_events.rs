//! nl-connector over arbitrary messages: every message is read as a
//! connector message and a process event; an event that parses must
//! print, write back and parse again to the same event (a name is only
//! compared when it is what the kernel could send: UTF-8 without NUL,
//! under 16 bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_connector::{CnMsg, ProcEvent, ProcEventKind};
use nl_wire::{Msg, Msgs};

fuzz_target!(|data: &[u8]| {
    let _ = CnMsg::parse_payload(data);
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(Some(ev)) = ProcEvent::parse(&msg) else {
            continue;
        };
        let _ = format!("{ev:?} {:?} {:?}", ev.kind.tgid(), ev.kind.exit_status());
        let mut buf = Vec::new();
        ev.write(&mut buf).expect("an event writes");
        let (m, _) = Msg::parse(&buf).expect("a written event is a message");
        let back = ProcEvent::parse(&m)
            .expect("a written event parses")
            .expect("a written event is a proc event");
        let exact = match &ev.kind {
            ProcEventKind::Comm { comm, .. } => {
                comm.len() < 16 && !comm.contains(['\0', '\u{fffd}'])
            }
            _ => true,
        };
        if exact {
            assert_eq!(back, ev);
        }
    }
});
