//! RDMA (`rdma system`, `rdma dev`, `rdma link`, `rdma res`): the
//! namespace mode, then every device with its ports and resource counts.
//! With `--rxe NETDEV` it first adds a soft RoCE device over NETDEV (as
//! `rdma link add nl-ex-rxe type rxe netdev NETDEV`), prints its counters,
//! and deletes it at the end.
//!
//! ```text
//! cargo run -p netlink --features rdma --example rdma
//! cargo run -p netlink --features rdma --example rdma -- --rxe eth0   # root, rdma_rxe
//! ```

use anyhow::Result;
use netlink::Handle;

fn main() -> Result<()> {
    let h = Handle::new()?;
    println!("netns mode {}", h.rdma_system_get_netns_mode()?);
    let args: Vec<String> = std::env::args().collect();
    let rxe = args
        .iter()
        .position(|a| a == "--rxe")
        .and_then(|i| args.get(i + 1));
    if let Some(netdev) = rxe {
        h.rdma_link_add("nl-ex-rxe", "rxe", netdev)?;
    }
    for dev in h.rdma_link_list()? {
        println!(
            "{}: {} node_guid {}",
            dev.index,
            dev.name,
            dev.node_guid_string()
        );
        for port in h.rdma_port_list(&dev)? {
            let state = port.state_name().unwrap_or("?");
            println!(
                "  link {} state {state} netdev {:?}",
                port.ifname(),
                port.netdev
            );
        }
    }
    for res in h.rdma_resource_list()? {
        println!("{}: {:?}", res.name, res.summary);
    }
    if rxe.is_some() {
        let dev = h.rdma_link_by_name("nl-ex-rxe")?;
        for port in h.rdma_statistic(&dev)? {
            println!(
                "{}/{}: {} counters",
                dev.name,
                port.port,
                port.counters.len()
            );
        }
        h.rdma_link_del(&dev)?;
    }
    Ok(())
}
