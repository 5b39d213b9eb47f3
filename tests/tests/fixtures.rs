//! Captures real kernel replies as byte fixtures for nl-wire's tests.
//! Run by hand: `NETLINK_WRITE_FIXTURES=1 cargo test -p netlink-tests --test fixtures -- --ignored`.

use std::path::PathBuf;

use anyhow::Result;
use netlink_tests::in_netns;
use nl_sock::Socket;
use nl_wire::MsgBuilder;
use nl_wire::netlink::{
    NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};

fn out(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/nl-wire/tests/fixtures")
        .join(name)
}

fn newlink(name: &str, kind: &str, peer: Option<&str>) -> Result<Vec<u8>> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(
        &mut req,
        16,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    );
    m.header(&[0u8; 16]).put_str(3, name).nest(18, |m| {
        m.put_str(1, kind);
        if let Some(p) = peer {
            m.nest(2, |m| {
                m.nest(1, |m| {
                    m.header(&[0u8; 16]).put_str(3, p);
                });
            });
        }
    });
    m.finish()?;
    Ok(req)
}

#[test]
#[ignore = "writes fixture files; run by hand"]
fn capture_fixtures() {
    if std::env::var_os("NETLINK_WRITE_FIXTURES").is_none() {
        return;
    }
    in_netns("capture_fixtures", |_| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        // ack of a veth creation
        let mut req = newlink("fx0", "veth", Some("fx1"))?;
        sock.send(&mut req)?;
        std::fs::write(out("ack.bin"), sock.recv_raw()?)?;
        // error with ext-ack text, capped (NETLINK_CAP_ACK, our default)
        let mut req = newlink("fx2", "no-such-kind", None)?;
        sock.send(&mut req)?;
        std::fs::write(out("ext_ack_capped.bin"), sock.recv_raw()?)?;
        // the same error with the request echoed
        sock.set_cap_ack(false)?;
        let mut req = newlink("fx2", "no-such-kind", None)?;
        sock.send(&mut req)?;
        std::fs::write(out("ext_ack_echoed.bin"), sock.recv_raw()?)?;
        std::fs::write(out("ext_ack_echoed.request.bin"), &req)?;
        // a link dump: RTM_NEWLINK parts then NLMSG_DONE
        let mut req = Vec::new();
        let mut m = MsgBuilder::new(&mut req, 18, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&[0u8; 16]);
        m.finish()?;
        sock.send(&mut req)?;
        let mut n = 0;
        loop {
            let d = sock.recv_raw()?.to_vec();
            let last = nl_wire::Msgs::new(&d).any(|m| m.map(|m| m.ty() == 3).unwrap_or(true));
            let name = if last {
                "link_dump_done.bin".to_string()
            } else {
                format!("link_dump_{n}.bin")
            };
            std::fs::write(out(&name), &d)?;
            n += 1;
            if last {
                break;
            }
        }
        Ok(())
    });
}
