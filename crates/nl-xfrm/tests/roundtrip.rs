//! Round trips: every state and policy this library can write parses back
//! to itself (proptest), and hand-built notifications of every kind the
//! monitor decodes parse to the expected events.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use nl_wire::{Msg, MsgBuilder};
use nl_xfrm::uapi::*;
use nl_xfrm::*;
use proptest::prelude::*;
use zerocopy::IntoBytes;

fn addr(v6: bool) -> impl Strategy<Value = IpAddr> {
    if v6 {
        any::<u128>()
            .prop_map(|x| IpAddr::V6(Ipv6Addr::from(x | 1)))
            .boxed()
    } else {
        any::<u32>()
            .prop_map(|x| IpAddr::V4(Ipv4Addr::from(x | 1)))
            .boxed()
    }
}

fn net(v6: bool) -> impl Strategy<Value = IpNet> {
    (addr(v6), 0u8..=if v6 { 128 } else { 32 }).prop_map(|(a, l)| IpNet::new(a, l).unwrap().trunc())
}

fn selector(v6: bool) -> impl Strategy<Value = Selector> {
    (
        net(v6),
        net(v6),
        any::<u8>(),
        any::<[u16; 4]>(),
        any::<i32>(),
        any::<u32>(),
    )
        .prop_map(|(src, dst, proto, p, ifindex, user)| Selector {
            sport: p[0],
            sport_mask: p[1],
            dport: p[2],
            dport_mask: p[3],
            proto,
            ifindex,
            user,
            ..Selector::new(src, dst)
        })
}

fn key(bits: u32) -> impl Strategy<Value = Key> {
    proptest::collection::vec(any::<u8>(), (bits / 8) as usize).prop_map(Key::new)
}

fn mark() -> impl Strategy<Value = Option<Mark>> {
    proptest::option::of(any::<(u32, u32)>().prop_map(|(value, mask)| Mark { value, mask }))
}

fn lifetime() -> impl Strategy<Value = Lifetime> {
    any::<[u64; 8]>().prop_map(|l| Lifetime {
        soft_bytes: l[0],
        hard_bytes: l[1],
        soft_packets: l[2],
        hard_packets: l[3],
        soft_add_expires: l[4],
        hard_add_expires: l[5],
        soft_use_expires: l[6],
        hard_use_expires: l[7],
    })
}

prop_compose! {
    fn esp_state()(v6 in any::<bool>())(
        src in addr(v6), dst in addr(v6), spi in 1u32.., reqid in any::<u32>(),
        mode in 0u8..5, window in any::<u8>(), flags in any::<u8>(),
        extra in proptest::option::of(any::<u32>()), sel in selector(v6),
        aead in any::<bool>(), auth_key in key(256), enc_key in key(128),
        aead_key in key(160), trunc in prop::sample::select(vec![96u32, 128, 256]),
        icv in prop::sample::select(vec![64u32, 96, 128]),
        encap in proptest::option::of((any::<u16>(), any::<u16>(), proptest::option::of(addr(v6)))),
        mark in mark(), omark in mark(), if_id in proptest::option::of(any::<u32>()),
        lifetime in lifetime(), seq in any::<u32>(),
        replay in proptest::option::of(any::<(u32, u32, u32)>()),
        esn in proptest::option::of((any::<[u32; 4]>(), 1u32..200, any::<bool>())),
        ctx in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        coaddr in proptest::option::of(addr(v6)), tfcpad in proptest::option::of(any::<u32>()),
        dir in proptest::option::of(1u8..3), offload in proptest::option::of((any::<i32>(), any::<u8>())),
    ) -> XfrmState {
        let mut s = XfrmState::new(src, dst, Proto::Esp, spi);
        s.reqid = reqid;
        s.mode = Mode::from(mode);
        s.replay_window = window;
        s.flags = StateFlags::from_bits_retain(flags);
        s.extra_flags = extra;
        s.selector = sel;
        if aead {
            s.aead = Some(AeadAlgo::new("rfc4106(gcm(aes))", aead_key, icv));
        } else {
            s.auth = Some(AuthAlgo::new("hmac(sha256)", auth_key, trunc));
            s.crypt = Some(Algo::new("cbc(aes)", enc_key));
        }
        s.encap = encap.map(|(sport, dport, oa)| Encap { oa, ..Encap::espinudp(sport, dport) });
        s.mark = mark;
        s.output_mark = omark;
        s.if_id = if_id;
        s.lifetime = lifetime;
        s.seq = seq;
        s.replay = replay.map(|(oseq, seq, bitmap)| Replay { oseq, seq, bitmap });
        s.replay_esn = esn.map(|(n, window, with_bitmap)| ReplayEsn {
            oseq: n[0], seq: n[1], oseq_hi: n[2], seq_hi: n[3], replay_window: window,
            bitmap: if with_bitmap { (0..window.div_ceil(32)).collect() } else { Vec::new() },
        });
        s.sec_ctx = ctx.map(|ctx| SecCtx { alg: 1, doi: 1, ctx });
        s.coaddr = coaddr;
        s.tfcpad = tfcpad;
        s.dir = dir.map(SaDir::from);
        s.offload = offload.map(|(ifindex, flags)| Offload { ifindex, flags });
        s
    }
}

fn template(v6: bool) -> impl Strategy<Value = Template> {
    (
        proptest::option::of(addr(v6)),
        proptest::option::of(addr(v6)),
        prop::sample::select(vec![Proto::Esp, Proto::Ah, Proto::Comp]),
        any::<(u32, u32, u8, bool)>(),
        0u8..5,
        any::<[u32; 3]>(),
    )
        .prop_map(
            move |(src, dst, proto, (spi, reqid, share, optional), mode, algos)| Template {
                src,
                dst,
                proto,
                spi,
                family: if v6 { 10 } else { 2 },
                reqid,
                mode: Mode::from(mode),
                share,
                optional,
                aalgos: algos[0],
                ealgos: algos[1],
                calgos: algos[2],
            },
        )
}

prop_compose! {
    fn policy()(v6 in any::<bool>())(
        sel in selector(v6), dir in 0u8..3, block in any::<bool>(), priority in any::<u32>(),
        index in any::<u32>(), flags in 0u8..4, share in any::<u8>(), lifetime in lifetime(),
        templates in proptest::collection::vec(template(v6), 0..=6),
        mark in mark(), if_id in proptest::option::of(any::<u32>()), sub in any::<bool>(),
        ctx in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
    ) -> XfrmPolicy {
        let dir = Dir::from(dir);
        XfrmPolicy {
            action: if block { Action::Block } else { Action::Allow },
            priority,
            index: index & !7 | u32::from(u8::from(dir)),
            flags: PolicyFlags::from_bits_retain(flags),
            share,
            lifetime,
            templates,
            mark,
            if_id,
            ptype: if sub { PolicyType::Sub } else { PolicyType::Main },
            sec_ctx: ctx.map(|ctx| SecCtx { alg: 1, doi: 1, ctx }),
            ..XfrmPolicy::new(sel, dir)
        }
    }
}

fn parse_one(buf: &[u8]) -> Msg<'_> {
    let (m, rest) = Msg::parse(buf).unwrap();
    assert!(rest.is_empty());
    m
}

proptest! {
    #[test]
    fn states_round_trip(s in esp_state()) {
        let mut buf = Vec::new();
        s.write_add(&mut buf).unwrap();
        prop_assert_eq!(XfrmState::parse(&parse_one(&buf)).unwrap(), s.clone());
        let mut buf = Vec::new();
        s.write_update(&mut buf).unwrap();
        prop_assert_eq!(XfrmState::parse(&parse_one(&buf)).unwrap(), s.clone());
        let mut buf = Vec::new();
        s.id().write_del(&mut buf).unwrap();
        prop_assert_eq!(StateId::parse(&parse_one(&buf)).unwrap(), s.id());
    }

    #[test]
    fn policies_round_trip(p in policy()) {
        let mut buf = Vec::new();
        p.write_add(&mut buf).unwrap();
        prop_assert_eq!(XfrmPolicy::parse(&parse_one(&buf)).unwrap(), p.clone());
        let mut buf = Vec::new();
        p.id().write_del(&mut buf).unwrap();
        prop_assert_eq!(PolicyId::parse(&parse_one(&buf)).unwrap(), p.id());
    }

    /// Whatever the bytes, parsing never panics.
    #[test]
    fn any_bytes_parse_without_panic(ty in 0x10u16..0x30, body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, ty, 0);
        m.header(&body[..]);
        m.finish().unwrap();
        let msg = parse_one(&buf);
        let _ = XfrmEvent::parse(&msg);
        let _ = XfrmState::parse(&msg);
        let _ = XfrmPolicy::parse(&msg);
        let _ = SadInfo::parse(&msg);
        let _ = SpdInfo::parse(&msg);
    }
}

fn sample_state() -> XfrmState {
    XfrmState {
        mode: Mode::Tunnel,
        reqid: 3,
        mark: Some(Mark::new(9)),
        if_id: Some(4),
        crypt: Some(Algo::new("cbc(aes)", Key::new(vec![7; 16]))),
        auth: Some(AuthAlgo::new("hmac(sha1)", Key::new(vec![8; 20]), 96)),
        ..XfrmState::new(
            "192.0.2.1".parse().unwrap(),
            "198.51.100.1".parse().unwrap(),
            Proto::Esp,
            0x1234,
        )
    }
}

fn sample_policy() -> XfrmPolicy {
    XfrmPolicy {
        priority: 10,
        templates: vec![Template::tunnel(
            "192.0.2.1".parse().unwrap(),
            "198.51.100.1".parse().unwrap(),
            3,
        )],
        mark: Some(Mark::new(9)),
        ..XfrmPolicy::new(
            Selector::new(
                "192.0.2.0/24".parse().unwrap(),
                "198.51.100.0/24".parse().unwrap(),
            ),
            Dir::Out,
        )
    }
}

/// A notification of `ty` with `head` as its family header, followed by
/// the attributes of `from` (a request this library wrote) after its
/// `skip`-byte header, and `extra`.
fn notification(ty: u16, head: &[u8], from: &[u8], skip: usize, extra: &[(u16, &[u8])]) -> Vec<u8> {
    let src = parse_one(from);
    let mut buf = Vec::new();
    let mut m = MsgBuilder::new(&mut buf, ty, 0);
    m.header(head);
    for (t, p) in extra {
        m.put_raw(*t, p);
    }
    for a in src.attrs_after(skip) {
        let a = a.unwrap();
        m.put_raw(a.ty(), a.payload());
    }
    m.finish().unwrap();
    buf
}

fn written_state() -> Vec<u8> {
    let mut buf = Vec::new();
    sample_state().write_add(&mut buf).unwrap();
    buf
}

fn written_policy() -> Vec<u8> {
    let mut buf = Vec::new();
    sample_policy().write_add(&mut buf).unwrap();
    buf
}

#[test]
fn state_notifications() {
    let w = written_state();
    let info = &parse_one(&w).payload()[..224];
    for (ty, want_upd) in [(XFRM_MSG_NEWSA, false), (XFRM_MSG_UPDSA, true)] {
        let n = notification(ty, info, &w, 224, &[]);
        match XfrmEvent::parse(&parse_one(&n)).unwrap() {
            XfrmEvent::NewState(s) if !want_upd => assert_eq!(s, sample_state()),
            XfrmEvent::UpdState(s) if want_upd => assert_eq!(s, sample_state()),
            e => panic!("{e:?}"),
        }
    }

    // DELSA: xfrm_usersa_id, then the state in XFRMA_SA and its attributes.
    let id = XfrmUsersaId {
        daddr: [198, 51, 100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        spi: 0x1234.into(),
        family: 2.into(),
        proto: 50,
        _pad: 0,
    };
    let n = notification(XFRM_MSG_DELSA, id.as_bytes(), &w, 224, &[(XFRMA_SA, info)]);
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::DelState { id, state } => {
            assert_eq!(id, sample_state().id());
            assert_eq!(state, Some(sample_state()));
        }
        e => panic!("{e:?}"),
    }

    // EXPIRE: the state, then `hard`.
    let mut head = info.to_vec();
    head.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
    let n = notification(XFRM_MSG_EXPIRE, &head, &w, 224, &[]);
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::Expire { state, hard } => {
            assert!(hard);
            assert_eq!(state, sample_state());
        }
        e => panic!("{e:?}"),
    }

    // FLUSHSA.
    let n = notification(XFRM_MSG_FLUSHSA, &[50], &w, usize::MAX, &[]);
    assert_eq!(
        XfrmEvent::parse(&parse_one(&n)).unwrap(),
        XfrmEvent::FlushStates {
            proto: Some(Proto::Esp)
        }
    );
}

#[test]
fn policy_notifications() {
    let w = written_policy();
    let info = &parse_one(&w).payload()[..168];
    let n = notification(XFRM_MSG_NEWPOLICY, info, &w, 168, &[]);
    assert_eq!(
        XfrmEvent::parse(&parse_one(&n)).unwrap(),
        XfrmEvent::NewPolicy(sample_policy())
    );

    let mut id = Vec::new();
    id.extend_from_slice(&info[..56]);
    id.extend_from_slice(&[0, 0, 0, 0, 1, 0, 0, 0]);
    let n = notification(XFRM_MSG_DELPOLICY, &id, &w, 168, &[(XFRMA_POLICY, info)]);
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::DelPolicy { id, policy } => {
            assert_eq!(id, sample_policy().id());
            assert_eq!(policy, Some(sample_policy()));
        }
        e => panic!("{e:?}"),
    }

    let mut head = info.to_vec();
    head.extend_from_slice(&[0; 8]);
    let n = notification(XFRM_MSG_POLEXPIRE, &head, &w, 168, &[]);
    assert_eq!(
        XfrmEvent::parse(&parse_one(&n)).unwrap(),
        XfrmEvent::PolicyExpire {
            policy: sample_policy(),
            hard: false
        }
    );

    let sub = XfrmUserpolicyType {
        ty: 1,
        ..Default::default()
    };
    let n = notification(
        XFRM_MSG_FLUSHPOLICY,
        &[],
        &w,
        usize::MAX,
        &[(XFRMA_POLICY_TYPE, sub.as_bytes())],
    );
    assert_eq!(
        XfrmEvent::parse(&parse_one(&n)).unwrap(),
        XfrmEvent::FlushPolicies {
            ptype: PolicyType::Sub
        }
    );

    // ACQUIRE: what the kernel asks for, the flow, and the policy.
    let w = written_policy();
    let pol = parse_one(&w);
    let mut acq = XfrmUserAcquire::default();
    acq.id.daddr[..4].copy_from_slice(&[198, 51, 100, 1]);
    acq.id.proto = 50;
    acq.saddr[..4].copy_from_slice(&[192, 0, 2, 1]);
    acq.sel.family = 2.into();
    acq.sel.daddr[..4].copy_from_slice(&[198, 51, 100, 7]);
    acq.sel.saddr[..4].copy_from_slice(&[192, 0, 2, 7]);
    acq.sel.prefixlen_d = 32;
    acq.sel.prefixlen_s = 32;
    acq.policy = pol.family_header();
    acq.seq = 77.into();
    let n = notification(XFRM_MSG_ACQUIRE, acq.as_bytes(), &w, 168, &[]);
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::Acquire(a) => {
            assert_eq!(a.dst, "198.51.100.1".parse::<IpAddr>().unwrap());
            assert_eq!(a.src, "192.0.2.1".parse::<IpAddr>().unwrap());
            assert_eq!(a.proto, Proto::Esp);
            assert_eq!(a.selector.dst, "198.51.100.7/32".parse::<IpNet>().unwrap());
            assert_eq!(a.policy, sample_policy());
            assert_eq!(a.seq, 77);
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn async_mapping_and_report_notifications() {
    let mut ae = XfrmAeventId::default();
    ae.sa_id.daddr[..4].copy_from_slice(&[198, 51, 100, 1]);
    ae.sa_id.spi = 0x1234.into();
    ae.sa_id.family = 2.into();
    ae.sa_id.proto = 50;
    ae.saddr[..4].copy_from_slice(&[192, 0, 2, 1]);
    ae.flags = 16.into();
    ae.reqid = 3.into();
    let replay = XfrmReplayState {
        oseq: 5.into(),
        seq: 6.into(),
        bitmap: 7.into(),
    };
    let n = notification(
        XFRM_MSG_NEWAE,
        ae.as_bytes(),
        &written_state(),
        usize::MAX,
        &[
            (XFRMA_REPLAY_VAL, replay.as_bytes()),
            (XFRMA_REPLAY_THRESH, &10u32.to_ne_bytes()),
            (XFRMA_LTIME_VAL, XfrmLifetimeCur::default().as_bytes()),
        ],
    );
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::Aevent(a) => {
            assert_eq!(a.id.spi, 0x1234);
            assert_eq!(a.id.src, Some("192.0.2.1".parse().unwrap()));
            assert_eq!(a.reqid, 3);
            assert_eq!(a.flags, 16);
            assert_eq!(
                a.replay,
                Some(Replay {
                    oseq: 5,
                    seq: 6,
                    bitmap: 7
                })
            );
            assert_eq!(a.replay_thresh, Some(10));
            assert_eq!(a.current, Some(LifetimeCurrent::default()));
        }
        e => panic!("{e:?}"),
    }

    let mut map = XfrmUserMapping {
        id: ae.sa_id,
        reqid: 3.into(),
        ..Default::default()
    };
    map.old_saddr[..4].copy_from_slice(&[203, 0, 113, 1]);
    map.new_saddr[..4].copy_from_slice(&[203, 0, 113, 2]);
    map.old_sport = 4500.into();
    map.new_sport = 4501.into();
    let n = notification(
        XFRM_MSG_MAPPING,
        map.as_bytes(),
        &written_state(),
        usize::MAX,
        &[],
    );
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::Mapping(m) => {
            assert_eq!(m.old_src, "203.0.113.1".parse::<IpAddr>().unwrap());
            assert_eq!(m.new_src, "203.0.113.2".parse::<IpAddr>().unwrap());
            assert_eq!((m.old_sport, m.new_sport), (4500, 4501));
        }
        e => panic!("{e:?}"),
    }

    let mut rep = XfrmUserReport {
        proto: 43,
        ..Default::default()
    };
    rep.sel.family = 10.into();
    let coa = "2001:db8::9".parse::<Ipv6Addr>().unwrap().octets();
    let n = notification(
        XFRM_MSG_REPORT,
        rep.as_bytes(),
        &written_state(),
        usize::MAX,
        &[(XFRMA_COADDR, &coa)],
    );
    match XfrmEvent::parse(&parse_one(&n)).unwrap() {
        XfrmEvent::Report { proto, coaddr, .. } => {
            assert_eq!(proto, Proto::Route2);
            assert_eq!(coaddr, Some("2001:db8::9".parse().unwrap()));
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn checks_before_sending() {
    let mut buf = Vec::new();
    let mut s = sample_state();
    s.crypt = Some(Algo::new("cbc(aes)", Key::new(vec![1; 15])));
    let e = s.write_add(&mut buf).unwrap_err();
    assert!(
        e.to_string()
            .contains("cbc(aes) takes a key of [128, 192, 256] bits, not 120"),
        "{e}"
    );
    let mut s = sample_state();
    s.spi = 0;
    assert!(s.write_add(&mut buf).is_err());
    let mut s = sample_state();
    s.src = Some("2001:db8::1".parse().unwrap());
    assert!(s.write_add(&mut buf).is_err());
    let mut s = sample_state();
    s.aead = Some(AeadAlgo::new(
        "rfc4106(gcm(aes))",
        Key::new(vec![0; 20]),
        128,
    ));
    assert!(s.write_add(&mut buf).is_err(), "aead with auth and enc");
    let mut s = sample_state();
    s.replay_esn = Some(ReplayEsn {
        replay_window: 100,
        bitmap: vec![0],
        ..Default::default()
    });
    assert!(s.write_add(&mut buf).is_err());
    let mut p = sample_policy();
    p.index = 8; // direction in, the policy is out
    assert!(p.write_add(&mut buf).is_err());
    let mut p = sample_policy();
    p.templates = vec![Template::default(); 7];
    assert!(p.write_add(&mut buf).is_err());
    assert!(buf.is_empty(), "nothing was written for refused requests");
}

#[test]
fn keys_do_not_print() {
    let s = sample_state();
    let text = format!("{s:?} {s}");
    assert!(!text.contains("7, 7, 7"), "{text}");
    assert!(!text.contains("0707"), "{text}");
    assert_eq!(
        s.crypt.unwrap().key.reveal_hex(),
        format!("0x{}", "07".repeat(16))
    );
}
