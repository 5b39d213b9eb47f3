//! sock_diag replies from arbitrary bytes: parsed as inet (TCP with
//! tcp_info, UDP), unix and XDP sockets; the data also drives a bytecode
//! filter that is compiled and matched against what parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_diag::{
    Cmp, Filter, InetMsg, InetProto, InetSocket, SkMemInfo, TcpInfo, UnixSocket, XdpSocket, inet,
};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let port = data.first().copied().map_or(0, u16::from);
    let filter = Filter::sport_eq(port)
        .or(Filter::Dport(Cmp::Ge, port).and(Filter::dst("192.0.2.0/24".parse().unwrap())))
        .not();
    let code = filter.compile().unwrap();
    assert!(code.len() % 4 == 0);
    let _ = (TcpInfo::from_bytes(data), SkMemInfo::from_bytes(data));
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        for proto in [InetProto::Tcp, InetProto::Udp, InetProto::Raw(255)] {
            if let Ok(s) = InetSocket::parse(&msg, proto) {
                let _ = (
                    filter.matches(&s),
                    s.state.to_string(),
                    s.local(),
                    s.remote(),
                );
                let mut buf = Vec::new();
                let _ = inet::write_get(&s.id, proto, Default::default(), &mut buf);
                let _ = inet::write_destroy(&s.id, proto, &mut buf);
            }
        }
        let _ = inet::peek(&msg);
        if let Ok(v) = InetMsg::new(&msg) {
            let _ = (v.id(), v.state(), v.tcp_info(), v.congestion(), v.attr(99));
        }
        if let Ok(u) = UnixSocket::parse(&msg) {
            let _ = (u.name.map(|n| n.to_string()), u.kind.to_string());
        }
        let _ = XdpSocket::parse(&msg);
    }
});
