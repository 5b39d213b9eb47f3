use super::*;
use crate::uapi::netfilter::{NF_DROP, NF_INET_LOCAL_IN};
use nl_wire::Msgs;

fn written_rule() -> Rule {
    Rule::new(Family::Inet, "filter", "input")
        .with([
            Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
            Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &22u16.to_be_bytes()),
            Expr::counter(),
            Expr::verdict(Verdict::Jump("ssh".into())),
            Expr::Raw {
                name: "future".into(),
                data: vec![8, 0, 1, 0, 0, 0, 0, 7],
            },
        ])
        .with_comment("allow ssh")
        .unwrap()
}

/// A request written for the kernel, read back as the kernel's reply
/// would be (same attributes, NEW* type).
fn as_reply(buf: &[u8]) -> Vec<u8> {
    buf.to_vec()
}

#[test]
fn test_rule_round_trip() {
    let rule = written_rule();
    let mut tx = Transaction::new();
    tx.add_rule(rule.clone());
    let mut buf = Vec::new();
    assert_eq!(tx.write(&mut buf).unwrap(), 1);
    let bytes = as_reply(&buf);
    let msgs: Vec<_> = Msgs::new(&bytes).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), 3);
    let back = Rule::parse(&msgs[1]).unwrap();
    assert_eq!(back, rule);
    assert_eq!(back.comment(), Some("allow ssh"));
    assert_eq!(back.exprs.len(), 5);
    assert_eq!(back.exprs[4].name(), "future");
}

#[test]
fn test_table_chain_set_round_trip() {
    let table = Table::new(Family::Ip6, "t");
    let chain = Chain::base(
        Family::Ip6,
        "t",
        "in",
        "filter",
        NF_INET_LOCAL_IN,
        -150,
        Verdict::Drop,
    );
    let mut set = Set::new(Family::Ip6, "t", "s", 13, 2);
    set.flags = Some(NFT_SET_INTERVAL);
    set.timeout = Some(60_000);
    let elems = SetElems::new(
        Family::Ip6,
        "t",
        "s",
        SetElem::range(&[0, 80], &[0, 90]).into(),
    );
    let mut tx = Transaction::new();
    tx.add_table(table.clone())
        .add_chain(chain.clone())
        .add_set(set.clone())
        .add_elements(elems.clone());
    let mut buf = Vec::new();
    tx.write(&mut buf).unwrap();
    let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
    assert_eq!(Table::parse(&msgs[1]).unwrap(), table);
    let c = Chain::parse(&msgs[2]).unwrap();
    assert_eq!(c, chain);
    assert_eq!(c.hook.as_ref().unwrap().priority, Some(-150));
    assert_eq!(c.policy, Some(NF_DROP as u32));
    // The kernel requires a set id: the transaction numbers the set by
    // its operation (index 2, id 3).
    assert_eq!(Set::parse(&msgs[3]).unwrap(), Set { id: Some(3), ..set });
    let e = SetElems::parse(&msgs[4]).unwrap();
    assert_eq!(e, elems);
    assert_eq!(e.elements[1].key_bytes(), Some(&[0u8, 91][..]));
    assert!(e.elements[1].is_interval_end());
}

#[test]
fn test_wrong_messages_are_errors_not_panics() {
    let mut buf = Vec::new();
    Table::write_dump(&mut buf, Family::Unspec).unwrap();
    let msg = Msgs::new(&buf).next().unwrap().unwrap();
    assert!(Table::parse(&msg).is_err());
    assert!(Rule::parse(&msg).is_err());
}

#[test]
fn test_malformed_expression_stays_raw() {
    // A cmp whose SREG is 3 bytes: typed parse fails, the bytes survive.
    let mut buf = Vec::new();
    let mut m = nl_wire::MsgBuilder::attrs_only(&mut buf);
    m.nest(NFTA_LIST_ELEM, |m| {
        m.put_str(NFTA_EXPR_NAME, "cmp");
        m.nest(NFTA_EXPR_DATA, |m| {
            m.put_bytes(NFTA_CMP_SREG, &[1, 2, 3]);
        });
    });
    m.finish().unwrap();
    let attr = nl_wire::Attrs::new(&buf).next().unwrap().unwrap();
    match Expr::parse(&attr).unwrap() {
        Expr::Raw { name, data } => {
            assert_eq!(name, "cmp");
            assert_eq!(data.len(), 8);
        }
        e => panic!("typed: {e:?}"),
    }
}

#[test]
fn test_replies_name_the_failed_operation() {
    // An error for op 1 and the ack of the last op 2 (op 0 succeeded:
    // no answer), from the kernel (port 0).
    let first = 100;
    let mut replies = TxReplies::new(first, 3);
    for (i, errno) in [(1u32, 22i32), (2, 0)] {
        let seq = first + 1 + i;
        let mut p = (-errno).to_ne_bytes().to_vec();
        let mut req = Vec::new();
        let mut m = nl_wire::MsgBuilder::new(&mut req, 0x0a06, 0);
        m.seq(seq);
        m.finish().unwrap();
        p.extend_from_slice(&req);
        let mut out = Vec::new();
        let mut m = nl_wire::MsgBuilder::new(&mut out, nl_wire::netlink::NLMSG_ERROR, 0);
        m.seq(seq).header(&p[..]);
        m.finish().unwrap();
        let msg = Msgs::new(&out).next().unwrap().unwrap();
        assert_eq!(replies.feed(&msg), i == 2);
    }
    let f = &replies.failures()[0];
    assert_eq!((f.index, f.errno), (Some(1), 22));
    assert_eq!(replies.seq_of(1), 102);
}

#[test]
fn test_hostile_bytes_never_panic() {
    let mut seed = 0x1234_5678u32;
    for len in 0..400 {
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push((seed >> 16) as u8);
        }
        let _ = Expr::parse(
            &nl_wire::Attr::parse(&bytes)
                .map(|(a, _)| a)
                .unwrap_or_else(|_| nl_wire::Attrs::new(&[4, 0, 1, 0]).next().unwrap().unwrap()),
        );
        for msg in Msgs::new(&bytes).flatten() {
            let _ = Table::parse(&msg);
            let _ = Chain::parse(&msg);
            let _ = Rule::parse(&msg);
            let _ = Set::parse(&msg);
            let _ = SetElems::parse(&msg);
            let _ = GenId::parse(&msg);
        }
    }
}

/// Dumps captured from a 6.18 kernel holding the ruleset of
/// tests/tests/nftables.rs plus a nat table with masquerade and a filter
/// chain with log, limit and reject.
#[test]
fn test_parse_captured_dumps() {
    let all = |bytes: &[u8]| -> Vec<Vec<u8>> {
        Msgs::new(bytes)
            .map(|m| m.unwrap().bytes().to_vec())
            .collect()
    };
    let tables: Vec<Table> = all(include_bytes!("testdata/tables"))
        .iter()
        .map(|b| Table::parse(&Msgs::new(b).next().unwrap().unwrap()).unwrap())
        .collect();
    let names: Vec<_> = tables
        .iter()
        .map(|t| (t.family, t.name.clone().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            (Family::Inet, "filter".to_string()),
            (Family::Ip, "nat".to_string()),
            (Family::Ip, "f2".to_string())
        ]
    );
    let chains: Vec<Chain> = all(include_bytes!("testdata/chains"))
        .iter()
        .map(|b| Chain::parse(&Msgs::new(b).next().unwrap().unwrap()).unwrap())
        .collect();
    let input = chains
        .iter()
        .find(|c| c.name.as_deref() == Some("input"))
        .unwrap();
    assert_eq!(input.hook.as_ref().unwrap().hooknum, Some(NF_INET_LOCAL_IN));
    assert_eq!(input.policy_verdict(), Some(Verdict::Drop));
    let post = chains
        .iter()
        .find(|c| c.name.as_deref() == Some("post"))
        .unwrap();
    assert_eq!(post.chain_type.as_deref(), Some("nat"));
    assert_eq!(post.hook.as_ref().unwrap().priority, Some(100));
    let rules: Vec<Rule> = all(include_bytes!("testdata/rules"))
        .iter()
        .map(|b| Rule::parse(&Msgs::new(b).next().unwrap().unwrap()).unwrap())
        .collect();
    let names: Vec<&str> = rules
        .iter()
        .flat_map(|r| r.exprs.iter().map(Expr::name))
        .collect();
    for want in [
        "ct",
        "bitwise",
        "cmp",
        "immediate",
        "payload",
        "counter",
        "lookup",
        "meta",
        "masq",
        "log",
        "limit",
        "reject",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    // Every expression of the capture is typed: none fell back to raw.
    assert!(
        rules
            .iter()
            .all(|r| r.exprs.iter().all(|e| !matches!(e, Expr::Raw { .. })))
    );
    let ssh = rules.iter().find(|r| r.comment() == Some("ssh")).unwrap();
    assert!(
        matches!(ssh.exprs.last(), Some(Expr::Immediate(i)) if i.data == Some(Data::Verdict(Verdict::Accept)))
    );
    let jump = rules
        .iter()
        .find_map(|r| match r.exprs.last() {
            Some(Expr::Immediate(Immediate {
                data: Some(Data::Verdict(v @ Verdict::Jump(_))),
                ..
            })) => Some(v.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(jump, Verdict::Jump("extra".into()));
    let log = rules
        .iter()
        .flat_map(|r| &r.exprs)
        .find_map(|e| match e {
            Expr::Log(l) => Some(l.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(log.prefix.as_deref(), Some("x"));
    let limit = rules
        .iter()
        .flat_map(|r| &r.exprs)
        .find_map(|e| match e {
            Expr::Limit(l) => Some(l.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!((limit.rate, limit.unit), (Some(5), Some(1)));
    let sets = all(include_bytes!("testdata/sets"));
    let set = Set::parse(&Msgs::new(&sets[0]).next().unwrap().unwrap()).unwrap();
    assert_eq!(set.name.as_deref(), Some("allowed"));
    assert_eq!(
        (set.key_type, set.key_len, set.flags),
        (Some(7), Some(4), Some(NFT_SET_INTERVAL))
    );
    let elems = all(include_bytes!("testdata/elements"));
    let e = SetElems::parse(&Msgs::new(&elems[0]).next().unwrap().unwrap()).unwrap();
    // 192.0.2.0/28 and 198.51.100.7 as starts and ends, plus the zero end.
    assert_eq!(e.elements.len(), 5);
    assert_eq!(e.elements.iter().filter(|e| e.is_interval_end()).count(), 3);
    // Written back as requests, every rule reads the same.
    for r in &rules {
        let mut tx = Transaction::new();
        tx.add_rule(r.clone());
        let mut buf = Vec::new();
        tx.write(&mut buf).unwrap();
        let msg = Msgs::new(&buf).nth(1).unwrap().unwrap();
        let back = Rule::parse(&msg).unwrap();
        assert_eq!(back.exprs, r.exprs);
    }
}

#[test]
fn test_long_element_lists_take_several_messages() {
    let elems: Vec<SetElem> = (0..10_000u32)
        .map(|i| SetElem::new(&i.to_be_bytes()))
        .collect();
    let mut tx = Transaction::new();
    tx.add_table(Table::new(Family::Ip, "t"))
        .add_elements(SetElems::new(Family::Ip, "t", "s", elems))
        .add_rule(Rule::new(Family::Ip, "t", "c"));
    let mut buf = Vec::new();
    let map = tx.write_mapped(&mut buf).unwrap();
    let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
    assert_eq!(msgs.len(), map.len() + 2);
    assert!(map.len() > 3, "one message for 10,000 elements");
    // Requests map back to operations: the table, the elements, the rule.
    assert_eq!(map.first(), Some(&0));
    assert_eq!(map.last(), Some(&2));
    assert!(map[1..map.len() - 1].iter().all(|&i| i == 1));
    let mut keys = Vec::new();
    for m in &msgs[2..msgs.len() - 2] {
        let e = SetElems::parse(m).unwrap();
        assert_eq!((e.table.as_str(), e.set.as_str()), ("t", "s"));
        keys.extend(
            e.elements
                .into_iter()
                .map(|e| e.key_bytes().unwrap().to_vec()),
        );
    }
    assert_eq!(keys.len(), 10_000);
    assert_eq!(keys[9_999], 9_999u32.to_be_bytes());
}

#[test]
fn test_objects_and_flowtables_round_trip() {
    let quota = Quota {
        bytes: Some(1 << 20),
        flags: Some(NFT_QUOTA_F_INV),
        ..Default::default()
    };
    let obj = Obj::new(Family::Inet, "t", "q", &ObjData::Quota(quota.clone())).unwrap();
    let ft = Flowtable::new(Family::Inet, "t", "ft", -10, &["a", "b"]);
    let mut tx = Transaction::new();
    tx.add_obj(obj.clone()).add_flowtable(ft.clone());
    let mut buf = Vec::new();
    tx.write(&mut buf).unwrap();
    let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
    let back = Obj::parse(&msgs[1]).unwrap();
    assert_eq!(back, obj);
    assert_eq!(back.state(), Some(ObjData::Quota(quota)));
    let back = Flowtable::parse(&msgs[2]).unwrap();
    assert_eq!(back, ft);
    assert_eq!(
        back.hook.unwrap().devices,
        Some(vec!["a".to_string(), "b".to_string()])
    );
}

#[test]
fn test_elements_and_lookups_name_a_new_set_by_id() {
    // An anonymous set, its elements and the rule using it in one
    // transaction: the kernel knows the set's name only after the commit.
    let mut set = Set::new(Family::Inet, "t", "__set%d", 13, 2);
    set.flags = Some(NFT_SET_ANONYMOUS | NFT_SET_CONSTANT);
    let elems = SetElems::new(
        Family::Inet,
        "t",
        "__set%d",
        vec![SetElem::new(&22u16.to_be_bytes())],
    );
    let rule = Rule::new(Family::Inet, "t", "c").with([
        Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
        Expr::lookup("__set%d", NFT_REG_1),
    ]);
    // Elements of a set the transaction does not add: no id.
    let other = SetElems::new(Family::Inet, "t", "old", vec![SetElem::new(&[1, 2])]);
    let mut tx = Transaction::new();
    tx.add_table(Table::new(Family::Inet, "t"))
        .add_set(set)
        .add_elements(elems)
        .add_rule(rule)
        .add_elements(other);
    let mut buf = Vec::new();
    tx.write(&mut buf).unwrap();
    let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
    let set_id = |m: &nl_wire::Msg<'_>, ty: u16| {
        m.attrs::<crate::NfGenMsg>()
            .get(ty)
            .unwrap()
            .map(|a| a.be32().unwrap())
    };
    // Operation 1 adds the set: id 2.
    assert_eq!(set_id(&msgs[2], NFTA_SET_ID), Some(2));
    assert_eq!(set_id(&msgs[3], NFTA_SET_ELEM_LIST_SET_ID), Some(2));
    assert_eq!(set_id(&msgs[5], NFTA_SET_ELEM_LIST_SET_ID), None);
    let back = Rule::parse(&msgs[4]).unwrap();
    match &back.exprs[1] {
        Expr::Lookup(l) => {
            assert_eq!(l.set.as_deref(), Some("__set%d"));
            assert_eq!(l.set_id, Some(2));
        }
        e => panic!("not a lookup: {e:?}"),
    }
    // The transaction itself is unchanged: ids are filled as written.
    match &tx.ops()[3] {
        Op::AddRule { rule, .. } => match &rule.exprs[1] {
            Expr::Lookup(l) => assert_eq!(l.set_id, None),
            e => panic!("{e:?}"),
        },
        op => panic!("{op:?}"),
    }
}

#[test]
fn test_ct_and_synproxy_objects_round_trip() {
    use crate::uapi::nf_synproxy::*;
    use crate::uapi::nfnetlink_cttimeout::*;
    let states = [
        ObjData::CtHelper(CtHelper {
            name: Some("ftp".into()),
            l3proto: Some(2),
            l4proto: Some(6),
        }),
        ObjData::CtTimeout(CtTimeout {
            l3proto: Some(2),
            l4proto: Some(6),
            policy: Some(CtTimeoutPolicy(vec![
                (CTA_TIMEOUT_TCP_ESTABLISHED, 100),
                (CTA_TIMEOUT_TCP_CLOSE, 4),
            ])),
        }),
        ObjData::CtExpect(CtExpect {
            l3proto: Some(2),
            l4proto: Some(6),
            dport: Some(5432),
            timeout: Some(3_600_000),
            size: Some(12),
        }),
        ObjData::Synproxy(Synproxy {
            mss: Some(1460),
            wscale: Some(7),
            flags: Some(NF_SYNPROXY_OPT_TIMESTAMP | NF_SYNPROXY_OPT_SACK_PERM),
        }),
    ];
    for state in states {
        let obj = Obj::new(Family::Inet, "t", "o", &state).unwrap();
        let mut tx = Transaction::new();
        tx.add_obj(obj.clone());
        let mut buf = Vec::new();
        tx.write(&mut buf).unwrap();
        let msgs: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
        let back = Obj::parse(&msgs[1]).unwrap();
        assert_eq!(back.obj_type, Some(state.obj_type()));
        assert_eq!(back.state(), Some(state));
    }
    // Byte order as the kernel reads it: the port big-endian, the
    // expectation's timeout in host order.
    let mut buf = Vec::new();
    let mut m = nl_wire::MsgBuilder::attrs_only(&mut buf);
    CtExpect {
        dport: Some(0x1538),
        timeout: Some(1000),
        ..Default::default()
    }
    .write_attrs(&mut m);
    m.finish().unwrap();
    assert_eq!(&buf[4..6], &[0x15, 0x38]);
    assert_eq!(&buf[12..16], &1000u32.to_ne_bytes());
}
