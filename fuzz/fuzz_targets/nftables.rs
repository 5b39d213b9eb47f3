//! nftables replies: tables, chains, rules (every expression), sets and
//! elements, objects, flowtables, the generation, transaction answers;
//! what parses is written back as a transaction and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_netfilter::nft::{
    Chain, Flowtable, GenId, Obj, Rule, Set, SetElems, Table, Transaction, TxReplies,
};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let mut tx = Transaction::new();
    let mut replies = TxReplies::new(1, 4);
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let _ = GenId::parse(&msg);
        let _ = nl_netfilter::nft::monitor::Event::parse(&msg);
        let _ = replies.feed(&msg);
        if let Ok(t) = Table::parse(&msg) {
            tx.add_table(t);
        }
        if let Ok(c) = Chain::parse(&msg) {
            tx.add_chain(c);
        }
        if let Ok(s) = Set::parse(&msg) {
            tx.add_set(s);
        }
        if let Ok(e) = SetElems::parse(&msg) {
            tx.add_elements(e);
        }
        if let Ok(o) = Obj::parse(&msg) {
            let _ = o.state();
            tx.add_obj(o);
        }
        if let Ok(f) = Flowtable::parse(&msg) {
            tx.add_flowtable(f);
        }
        if let Ok(r) = Rule::parse(&msg) {
            let _ = r.comment();
            tx.add_rule(r);
        }
    }
    let mut buf = Vec::new();
    if tx.write(&mut buf).is_ok() {
        for msg in Msgs::new(&buf).flatten() {
            // What we wrote reads back (objects whose attributes fit).
            if let Ok(o) = Obj::parse(&msg) {
            let _ = o.state();
            tx.add_obj(o);
        }
        if let Ok(f) = Flowtable::parse(&msg) {
            tx.add_flowtable(f);
        }
        if let Ok(r) = Rule::parse(&msg) {
                let _ = r.exprs.len();
            }
        }
    }
});
