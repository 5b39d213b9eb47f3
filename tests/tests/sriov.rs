//! SR-IOV virtual function settings (Go's `LinkSetVf*`). No host here has
//! VF hardware, so the requests are checked byte for byte against what
//! `ip link set DEV vf N ...` sends (captured with strace), and the kernel's
//! refusal on a device without VFs is checked both ways.

use anyhow::{Context, Result, ensure};
use netlink::nl_route::uapi::if_ether::{ETH_P_8021AD, ETH_P_8021Q};
use netlink::{ErrorKind, Handle, HwAddr, Link, LinkKind, LinkSet, VfLinkState, VfSettings};
use netlink_tests::{in_netns, same_request, sent_messages_refused};

/// The last message `ip` sent for `ip link set v0 vf 0 ARGS`: the
/// RTM_NEWLINK carrying the change (ip looks the device up first).
fn ip_request(args: &[&str]) -> Result<Vec<u8>> {
    let mut all = vec!["link", "set", "v0", "vf", "0"];
    all.extend_from_slice(args);
    let sent = sent_messages_refused("ip", &all)?;
    sent.into_iter().last().context("ip sent nothing")
}

fn veth(h: &Handle) -> Result<u32> {
    h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
    Ok(h.link_by_name("v0")?.index)
}

#[test]
fn requests_match_ip_byte_for_byte() {
    in_netns("sriov_requests_match_ip", |ns| {
        ns.cmd("strace", ["-V"])?;
        let h = Handle::new()?;
        let index = veth(&h)?;
        let mac = HwAddr::from([0x02, 0, 0, 0, 0, 0x01]);
        let cases: Vec<(Vec<&str>, VfSettings)> = vec![
            (vec!["mac", "02:00:00:00:00:01"], VfSettings::new().mac(mac)),
            (
                vec!["vlan", "10", "qos", "3"],
                VfSettings::new().vlan(10, 3, None),
            ),
            (
                vec!["vlan", "10", "qos", "3", "proto", "802.1ad"],
                VfSettings::new().vlan(10, 3, Some(ETH_P_8021AD)),
            ),
            (
                vec!["vlan", "20", "proto", "802.1Q"],
                VfSettings::new().vlan(20, 0, Some(ETH_P_8021Q)),
            ),
            (vec!["rate", "100"], VfSettings::new().tx_rate(100)),
            (
                vec!["min_tx_rate", "10", "max_tx_rate", "100"],
                VfSettings::new().rate(10, 100),
            ),
            (vec!["spoofchk", "on"], VfSettings::new().spoofchk(true)),
            (vec!["spoofchk", "off"], VfSettings::new().spoofchk(false)),
            (vec!["trust", "on"], VfSettings::new().trust(true)),
            (vec!["query_rss", "on"], VfSettings::new().rss_query(true)),
            (
                vec!["state", "disable"],
                VfSettings::new().link_state(VfLinkState::Disable),
            ),
            (
                vec!["node_guid", "00:11:22:33:44:55:66:77"],
                VfSettings::new().node_guid(0x0011_2233_4455_6677),
            ),
            (
                vec!["port_guid", "00:11:22:33:44:55:66:78"],
                VfSettings::new().port_guid(0x0011_2233_4455_6678),
            ),
        ];
        let nl = env!("CARGO_BIN_EXE_nl");
        for (args, settings) in cases {
            let theirs = ip_request(&args)?;
            let mut ours = Vec::new();
            LinkSet::new(index).vf(0, settings).write(&mut ours)?;
            ensure!(
                same_request(&ours, &theirs),
                "vf 0 {args:?}:\n ours   {ours:02x?}\n theirs {theirs:02x?}"
            );
            // The tool's `nl ip link set v0 vf 0 ...` sends the same.
            let mut all = vec!["ip", "link", "set", "v0", "vf", "0"];
            all.extend_from_slice(&args);
            let tool = sent_messages_refused(nl, &all)?;
            let tool = tool.last().context("nl sent nothing")?;
            ensure!(
                same_request(tool, &theirs),
                "nl ip link set v0 vf 0 {args:?}:\n nl {tool:02x?}\n ip {theirs:02x?}"
            );
        }
        // Several settings in one request, in ip's order.
        let args = [
            "mac",
            "02:00:00:00:00:01",
            "vlan",
            "7",
            "trust",
            "on",
            "state",
            "auto",
        ];
        let theirs = ip_request(&args)?;
        let mut all = vec!["ip", "link", "set", "v0", "vf", "0"];
        all.extend_from_slice(&args);
        let tool = sent_messages_refused(nl, &all)?;
        ensure!(same_request(tool.last().context("nl")?, &theirs));
        Ok(())
    });
}

#[test]
fn a_device_without_vfs_refuses_as_it_refuses_ip() {
    in_netns("sriov_refused_like_ip", |_| {
        let h = Handle::new()?;
        veth(&h)?;
        let err = h
            .link_set_vf_trust("v0", 0, true)
            .err()
            .context("a veth took a VF setting")?;
        ensure!(err.kind() == ErrorKind::NotSupported, "{err:#}");
        ensure!(format!("{err:#}").contains("v0"), "{err:#}");
        // ip is refused the same way.
        let out = std::process::Command::new("ip")
            .args(["link", "set", "v0", "vf", "0", "trust", "on"])
            .output()?;
        ensure!(!out.status.success());
        ensure!(
            String::from_utf8_lossy(&out.stderr).contains("Operation not supported"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Every Go-named call reaches the kernel (and gets the same answer).
        let tries: Vec<(&str, netlink::Result<()>)> = vec![
            (
                "mac",
                h.link_set_vf_hardware_addr("v0", 0, HwAddr::from([2, 0, 0, 0, 0, 2])),
            ),
            ("vlan", h.link_set_vf_vlan("v0", 0, 5)),
            ("vlan qos", h.link_set_vf_vlan_qos("v0", 0, 5, 1)),
            (
                "vlan qos proto",
                h.link_set_vf_vlan_qos_proto("v0", 0, 5, 1, ETH_P_8021Q),
            ),
            ("tx rate", h.link_set_vf_tx_rate("v0", 0, 10)),
            ("rate", h.link_set_vf_rate("v0", 0, 1, 10)),
            ("spoofchk", h.link_set_vf_spoofchk("v0", 0, false)),
            ("state", h.link_set_vf_state("v0", 0, VfLinkState::Auto)),
            ("node guid", h.link_set_vf_node_guid("v0", 0, 1)),
            ("port guid", h.link_set_vf_port_guid("v0", 0, 1)),
        ];
        for (what, r) in tries {
            let e = r
                .err()
                .with_context(|| format!("{what}: accepted by a veth"))?;
            ensure!(e.kind() == ErrorKind::NotSupported, "{what}: {e:#}");
        }
        // Nothing to change is refused before sending.
        let e = h
            .link_set_vf("v0", 0, &VfSettings::new())
            .err()
            .context("an empty VF change was sent")?;
        ensure!(e.kind() == ErrorKind::Invalid, "{e:#}");
        // A link without VFs lists none.
        ensure!(h.link_vfs("v0")?.is_empty());
        Ok(())
    });
}
