// RDMA over NETLINK_RDMA's nldev interface (feature `rdma`): `rdma dev`,
// `rdma link`, `rdma system`, `rdma resource`, `rdma statistic`, with the
// Go library's RdmaLinkList, RdmaLinkByName, RdmaLinkSetName,
// RdmaLinkSetNsFd, RdmaLinkAdd, RdmaLinkDel, RdmaSystemGetNetnsMode,
// RdmaSystemSetNetnsMode, RdmaResourceList, RdmaStatistic,
// RdmaPortStatistic.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use std::os::fd::{AsRawFd, BorrowedFd};

use nl_rdma::uapi::{
    RDMA_NLDEV_CMD_GET, RDMA_NLDEV_CMD_PORT_GET, RDMA_NLDEV_CMD_RES_GET, RDMA_NLDEV_CMD_STAT_GET,
    RDMA_NLDEV_CMD_SYS_GET,
};
use nl_rdma::{
    NetnsMode, RdmaLink, RdmaPort, RdmaPortStatistic, RdmaResource, RdmaSystem, msg_type,
};
use nl_wire::netlink::NETLINK_RDMA;

use crate::error::{Error, Result};

const RDMA: i32 = NETLINK_RDMA;

impl H {
    call! {
        /// Every RDMA device (`rdma dev show`; Go's `RdmaLinkList`).
        ///
        /// ```no_run
        /// let h = netlink::Handle::new()?;
        /// h.rdma_link_add("rxe0", "rxe", "eth0")?; // rdma link add rxe0 type rxe netdev eth0
        /// for dev in h.rdma_link_list()? {
        ///     println!("{} {} ports, node_guid {}", dev.name, dev.ports, dev.node_guid_string());
        /// }
        /// let rxe = h.rdma_link_by_name("rxe0")?;
        /// for port in h.rdma_statistic(&rxe)? {
        ///     println!("port {}: {:?} packets sent", port.port, port.get("sent_pkts"));
        /// }
        /// h.rdma_link_del(&rxe)?;
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn rdma_link_list(&self) -> Result<Vec<RdmaLink>> {
            run!(self.do_dump(RDMA, |b| Ok(RdmaLink::write_dump(b).map(drop)?), |m| {
                if m.ty() != msg_type(RDMA_NLDEV_CMD_GET) {
                    return Ok(None);
                }
                Ok(Some(RdmaLink::parse(&m)?))
            }))
        }
    }

    call! {
        /// The RDMA device named `name` (Go's `RdmaLinkByName`: the kernel
        /// looks devices up by index only, so this lists and picks).
        pub fn rdma_link_by_name(&self, name: &str) -> Result<RdmaLink> {
            run!(self.rdma_link_list())?
                .into_iter()
                .find(|l| l.name == name)
                .ok_or_else(|| Error::not_found(format!("rdma device {name:?}"), None))
        }
    }

    call! {
        /// The RDMA device of index `index` (`rdma dev show` of one).
        pub fn rdma_link_by_index(&self, index: u32) -> Result<RdmaLink> {
            let mut out = None;
            let what = || format!("rdma device {index}");
            let asked = run!(self.do_exchange(RDMA, |b| Ok(RdmaLink::write_get(b, index).map(drop)?), |m| {
                if m.ty() == msg_type(RDMA_NLDEV_CMD_GET) && out.is_none() {
                    out = Some(RdmaLink::parse(&m)?);
                }
                Ok(())
            }));
            match asked {
                Err(e) if e.is_not_found() => Err(Error::not_found(what(), e.netlink().cloned())),
                Err(e) => Err(e.about(what())),
                Ok(_) => out.ok_or_else(|| Error::not_found(what(), None)),
            }
        }
    }

    call! {
        /// Renames an RDMA device (`rdma dev set DEV name NEW`; Go's
        /// `RdmaLinkSetName`).
        pub fn rdma_link_set_name(&self, link: &RdmaLink, name: &str) -> Result<()> {
            run!(self.do_request(RDMA, |b| Ok(RdmaLink::write_set_name(b, link.index, name).map(drop)?)))
                .map_err(|e| e.about(format_args!("rdma dev set {:?} name {name:?}", link.name)))?;
            Ok(())
        }
    }

    call! {
        /// Moves an RDMA device to the network namespace open as `netns`
        /// (`rdma dev set DEV netns NS`; Go's `RdmaLinkSetNsFd`). The
        /// kernel refuses it (`EOPNOTSUPP`) unless the system's namespace
        /// mode is exclusive.
        pub fn rdma_link_set_ns_fd(&self, link: &RdmaLink, netns: BorrowedFd<'_>) -> Result<()> {
            let fd = u32::try_from(netns.as_raw_fd()).unwrap_or(u32::MAX);
            run!(self.do_request(RDMA, |b| Ok(RdmaLink::write_set_netns_fd(b, link.index, fd).map(drop)?)))
                .map_err(|e| e.about(format_args!("rdma dev set {:?} netns", link.name)))?;
            Ok(())
        }
    }

    call! {
        /// Adds RDMA link `name` of `link_type` (`"rxe"`, `"siw"`) over the
        /// netdev `netdev` of this handle's namespace (`rdma link add NAME
        /// type TYPE netdev DEV`; Go's `RdmaLinkAdd`).
        pub fn rdma_link_add(&self, name: &str, link_type: &str, netdev: &str) -> Result<()> {
            run!(self.do_request(RDMA, |b| Ok(RdmaLink::write_add(b, name, link_type, netdev).map(drop)?)))
                .map_err(|e| e.about(format_args!("rdma link add {name:?} type {link_type} netdev {netdev:?}")))?;
            Ok(())
        }
    }

    call! {
        /// Deletes an RDMA link (`rdma link delete`; Go's `RdmaLinkDel`).
        pub fn rdma_link_del(&self, link: &RdmaLink) -> Result<()> {
            run!(self.do_request(RDMA, |b| Ok(RdmaLink::write_del(b, link.index).map(drop)?)))
                .map_err(|e| e.about(format_args!("rdma link delete {:?}", link.name)))?;
            Ok(())
        }
    }

    call! {
        /// The ports of an RDMA device (`rdma link show DEV`).
        pub fn rdma_port_list(&self, link: &RdmaLink) -> Result<Vec<RdmaPort>> {
            let index = link.index;
            run!(self.do_dump(RDMA, |b| Ok(RdmaPort::write_dump(b, index).map(drop)?), |m| {
                if m.ty() != msg_type(RDMA_NLDEV_CMD_PORT_GET) {
                    return Ok(None);
                }
                Ok(Some(RdmaPort::parse(&m)?))
            }))
            .map_err(|e| e.about(format_args!("rdma link show {:?}", link.name)))
        }
    }

    call! {
        /// The system settings (`rdma system show`).
        pub fn rdma_system_get(&self) -> Result<RdmaSystem> {
            let mut out = None;
            run!(self.do_exchange(RDMA, |b| Ok(RdmaSystem::write_get(b).map(drop)?), |m| {
                if m.ty() == msg_type(RDMA_NLDEV_CMD_SYS_GET) && out.is_none() {
                    out = Some(RdmaSystem::parse(&m)?);
                }
                Ok(())
            }))
            .map_err(|e| e.about("rdma system show"))?;
            out.ok_or_else(|| Error::not_found("rdma system settings".into(), None))
        }
    }

    call! {
        /// The namespace mode (Go's `RdmaSystemGetNetnsMode`; its
        /// `Display` is Go's and `rdma`'s word, `shared` or `exclusive`).
        pub fn rdma_system_get_netns_mode(&self) -> Result<NetnsMode> {
            run!(self.rdma_system_get())?
                .netns_mode
                .ok_or_else(|| Error::not_found("rdma netns mode".into(), None))
        }
    }

    call! {
        /// Sets the namespace mode (`rdma system set netns MODE`; Go's
        /// `RdmaSystemSetNetnsMode`). The kernel refuses a change (`EBUSY`)
        /// while any network namespace but the initial one exists.
        pub fn rdma_system_set_netns_mode(&self, mode: NetnsMode) -> Result<()> {
            run!(self.do_request(RDMA, |b| Ok(RdmaSystem::write_set_netns_mode(b, mode).map(drop)?)))
                .map_err(|e| e.about(format_args!("rdma system set netns {mode}")))?;
            Ok(())
        }
    }

    call! {
        /// Every device's resource counts (`rdma resource show`; Go's
        /// `RdmaResourceList`).
        pub fn rdma_resource_list(&self) -> Result<Vec<RdmaResource>> {
            run!(self.do_dump(RDMA, |b| Ok(RdmaResource::write_dump(b).map(drop)?), |m| {
                if m.ty() != msg_type(RDMA_NLDEV_CMD_RES_GET) {
                    return Ok(None);
                }
                Ok(Some(RdmaResource::parse(&m)?))
            }))
        }
    }

    call! {
        /// The counters of port `port` of `link` (`rdma statistic show
        /// link DEV/PORT`; Go's `RdmaPortStatistic`).
        pub fn rdma_port_statistic(&self, link: &RdmaLink, port: u32) -> Result<RdmaPortStatistic> {
            let mut out = None;
            let what = || format!("rdma statistic of {}/{port}", link.name);
            run!(self.do_exchange(RDMA, |b| Ok(RdmaPortStatistic::write_get(b, link.index, port).map(drop)?), |m| {
                if m.ty() == msg_type(RDMA_NLDEV_CMD_STAT_GET) && out.is_none() {
                    out = Some(RdmaPortStatistic::parse(&m)?);
                }
                Ok(())
            }))
            .map_err(|e| e.about(what()))?;
            out.ok_or_else(|| Error::not_found(what(), None))
        }
    }

    call! {
        /// The counters of every port of `link` (Go's `RdmaStatistic`).
        pub fn rdma_statistic(&self, link: &RdmaLink) -> Result<Vec<RdmaPortStatistic>> {
            let mut out = Vec::new();
            for port in 1..=link.ports {
                out.push(run!(self.rdma_port_statistic(link, port))?);
            }
            Ok(out)
        }
    }
}
