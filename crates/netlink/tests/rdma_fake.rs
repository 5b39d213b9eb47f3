//! RDMA calls against a scripted kernel (no root, no RDMA core): the
//! requests they send and how they read answers laid out as the kernel's
//! nldev code writes them (fill_dev_info, fill_port_info, fill_res_info,
//! the default counter's STAT_GET). Its kernel has a soft RoCE device
//! with one port and an InfiniBand one with two.
#![cfg(feature = "rdma")]

use std::sync::{Arc, Mutex};

use netlink::nl_rdma::msg_type;
use netlink::nl_rdma::uapi::*;
use netlink::nl_sock::Socket;
use netlink::nl_sock::fake::{self, Fake};
use netlink::nl_wire::netlink::{NETLINK_RDMA, NLM_F_DUMP};
use netlink::nl_wire::{Msg, MsgBuilder, Msgs};
use netlink::{ErrorKind, Handle, RdmaNetnsMode};

type Log = Arc<Mutex<Vec<Vec<u8>>>>;

/// (index, name, ports)
const DEVS: [(u32, &str, u32); 2] = [(1, "rxe0", 1), (2, "mlx5_0", 2)];

fn u32_attr(req: &Msg<'_>, ty: u16) -> Option<u32> {
    req.attrs_after(0)
        .filter_map(Result::ok)
        .find(|a| a.ty() == ty)
        .map(|a| a.u32().unwrap())
}

fn dev(req: &Msg<'_>, cmd: u16, (index, name, ports): (u32, &str, u32)) -> Vec<u8> {
    fake::reply(req, msg_type(cmd), 0, |m| {
        m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index)
            .put_str(RDMA_NLDEV_ATTR_DEV_NAME, name)
            .put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, ports)
            .put_u64(RDMA_NLDEV_ATTR_CAP_FLAGS, 0x1c16)
            .put_u64(
                RDMA_NLDEV_ATTR_NODE_GUID,
                0x0200_00ff_fe00_0000 | u64::from(index),
            )
            .put_u64(RDMA_NLDEV_ATTR_SYS_IMAGE_GUID, 0x0200_00ff_fe00_0000)
            .put_u8(RDMA_NLDEV_ATTR_DEV_NODE_TYPE, RDMA_NODE_IB_CA)
            .put_str(
                RDMA_NLDEV_ATTR_DEV_PROTOCOL,
                if index == 1 { "roce" } else { "ib" },
            );
        if index == 2 {
            m.put_str(RDMA_NLDEV_ATTR_FW_VERSION, "16.35.2000");
        }
    })
}

fn table(m: &mut MsgBuilder<'_>, t: [u16; 4], rows: &[(&str, u64)]) {
    m.nest(t[0], |m| {
        for (name, v) in rows {
            m.nest(t[1], |m| {
                m.put_str(t[2], name).put_u64(t[3], *v);
            });
        }
    });
}

/// The scripted kernel, logging every request.
fn kernel(log: Log) -> Handle {
    let fake = Fake::new(move |d| {
        log.lock().unwrap().push(d.to_vec());
        let req = Msgs::new(d).next().unwrap().unwrap();
        let dump = req.flags() & NLM_F_DUMP != 0;
        let index = u32_attr(&req, RDMA_NLDEV_ATTR_DEV_INDEX);
        let found = DEVS.iter().copied().find(|d| Some(d.0) == index);
        let cmd = rdma_nl_get_op(req.ty());
        assert_eq!(rdma_nl_get_client(req.ty()), RDMA_NL_NLDEV);
        match cmd {
            RDMA_NLDEV_CMD_GET if dump => {
                let all: Vec<_> = DEVS.iter().map(|d| dev(&req, cmd, *d)).collect();
                fake::multipart(&req, &all, 1, false)
            }
            RDMA_NLDEV_CMD_GET => match found {
                Some(d) => vec![dev(&req, cmd, d), fake::ack(&req)],
                // nldev_get_doit: an unknown index is EINVAL.
                None => vec![fake::error(&req, 22, None, None)],
            },
            RDMA_NLDEV_CMD_PORT_GET if dump => {
                let (index, name, ports) = found.unwrap();
                let all: Vec<_> = (1..=ports)
                    .map(|p| {
                        fake::reply(&req, msg_type(cmd), 0, |m| {
                            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index)
                                .put_str(RDMA_NLDEV_ATTR_DEV_NAME, name)
                                .put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, p)
                                .put_u64(RDMA_NLDEV_ATTR_CAP_FLAGS, 0x0401_0000)
                                .put_u8(RDMA_NLDEV_ATTR_PORT_STATE, IB_PORT_ACTIVE)
                                .put_u8(RDMA_NLDEV_ATTR_PORT_PHYS_STATE, 5);
                            if index == 1 {
                                m.put_u32(RDMA_NLDEV_ATTR_NDEV_INDEX, 7)
                                    .put_str(RDMA_NLDEV_ATTR_NDEV_NAME, "veth0");
                            } else {
                                m.put_u32(RDMA_NLDEV_ATTR_LID, p)
                                    .put_u8(RDMA_NLDEV_ATTR_LMC, 0);
                            }
                        })
                    })
                    .collect();
                fake::multipart(&req, &all, 2, false)
            }
            RDMA_NLDEV_CMD_SYS_GET => vec![
                fake::reply(&req, msg_type(cmd), 0, |m| {
                    m.put_u8(RDMA_NLDEV_SYS_ATTR_NETNS_MODE, 1)
                        .put_u8(RDMA_NLDEV_SYS_ATTR_PRIVILEGED_QKEY_MODE, 0)
                        .put_u8(RDMA_NLDEV_SYS_ATTR_COPY_ON_FORK, 1);
                }),
                fake::ack(&req),
            ],
            // rdma_compatdev_set: a change while namespaces exist.
            RDMA_NLDEV_CMD_SYS_SET => vec![fake::error(&req, 16, None, None)],
            RDMA_NLDEV_CMD_RES_GET if dump => {
                let all: Vec<_> = DEVS
                    .iter()
                    .map(|(index, name, _)| {
                        fake::reply(&req, msg_type(cmd), 0, |m| {
                            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, *index)
                                .put_str(RDMA_NLDEV_ATTR_DEV_NAME, name);
                            table(
                                m,
                                [
                                    RDMA_NLDEV_ATTR_RES_SUMMARY,
                                    RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY,
                                    RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_NAME,
                                    RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_CURR,
                                ],
                                &[("pd", u64::from(*index)), ("cq", 0), ("qp", 2)],
                            );
                        })
                    })
                    .collect();
                fake::multipart(&req, &all, 1, false)
            }
            RDMA_NLDEV_CMD_STAT_GET => {
                let (index, name, _) = found.unwrap();
                let port = u32_attr(&req, RDMA_NLDEV_ATTR_PORT_INDEX).unwrap();
                vec![
                    fake::reply(&req, msg_type(cmd), 0, |m| {
                        m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index)
                            .put_str(RDMA_NLDEV_ATTR_DEV_NAME, name)
                            .put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, port);
                        table(
                            m,
                            [
                                RDMA_NLDEV_ATTR_STAT_HWCOUNTERS,
                                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY,
                                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_NAME,
                                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_VALUE,
                            ],
                            &[("sent_pkts", u64::from(port) * 10), ("rcvd_pkts", 3)],
                        );
                    }),
                    fake::ack(&req),
                ]
            }
            RDMA_NLDEV_CMD_SET | RDMA_NLDEV_CMD_NEWLINK | RDMA_NLDEV_CMD_DELLINK => {
                vec![fake::ack(&req)]
            }
            other => panic!("unexpected nldev command {other}"),
        }
    });
    let rdma = Socket::with_transport(fake, NETLINK_RDMA).unwrap();
    let route = Socket::with_transport(Fake::new(|_| Vec::new()), 0).unwrap();
    Handle::with_route_socket(route).with_socket(NETLINK_RDMA, rdma)
}

/// A logged request: command, `NLM_F_DUMP` bit, attributes as (type, bytes).
type Request = (u16, u16, Vec<(u16, Vec<u8>)>);

/// The requests logged.
fn requests(log: &Log) -> Vec<Request> {
    log.lock()
        .unwrap()
        .iter()
        .map(|d| {
            let m = Msgs::new(d).next().unwrap().unwrap();
            let attrs = m
                .attrs_after(0)
                .map(|a| {
                    let a = a.unwrap();
                    (a.ty(), a.payload().to_vec())
                })
                .collect();
            (rdma_nl_get_op(m.ty()), m.flags() & NLM_F_DUMP, attrs)
        })
        .collect()
}

#[test]
fn list_by_name_ports_resources_and_counters() {
    let log = Log::default();
    let h = kernel(log.clone());
    let links = h.rdma_link_list().unwrap();
    let names: Vec<_> = links.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["rxe0", "mlx5_0"]);
    let mlx = h.rdma_link_by_name("mlx5_0").unwrap();
    assert_eq!((mlx.index, mlx.ports), (2, 2));
    assert_eq!(mlx.fw_version.as_deref(), Some("16.35.2000"));
    assert_eq!(mlx.node_guid_string(), "0200:00ff:fe00:0002");
    assert_eq!(h.rdma_link_by_index(2).unwrap(), mlx);
    assert!(h.rdma_link_by_name("nope0").unwrap_err().is_not_found());
    let err = h.rdma_link_by_index(9).unwrap_err();
    assert_eq!(err.errno(), Some(netlink::Errno::EINVAL));
    assert!(err.to_string().contains("rdma device 9"), "{err}");

    let rxe = &links[0];
    let ports = h.rdma_port_list(rxe).unwrap();
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0].ifname(), "rxe0/1");
    assert_eq!(ports[0].netdev.as_deref(), Some("veth0"));
    let ports = h.rdma_port_list(&mlx).unwrap();
    assert_eq!(
        ports.iter().map(|p| (p.port, p.lid)).collect::<Vec<_>>(),
        [(1, Some(1)), (2, Some(2))]
    );

    let res = h.rdma_resource_list().unwrap();
    assert_eq!(res.len(), 2);
    assert_eq!(res[1].get("pd"), Some(2));
    assert_eq!(res[1].summary.len(), 3);

    // One STAT_GET per port.
    let stats = h.rdma_statistic(&mlx).unwrap();
    assert_eq!(
        stats
            .iter()
            .map(|s| (s.port, s.get("sent_pkts")))
            .collect::<Vec<_>>(),
        [(1, Some(10)), (2, Some(20))]
    );
    let stat_reqs: Vec<_> = requests(&log)
        .into_iter()
        .filter(|(cmd, _, _)| *cmd == RDMA_NLDEV_CMD_STAT_GET)
        .collect();
    assert_eq!(stat_reqs.len(), 2);
    assert_eq!(
        stat_reqs[1].2,
        [
            (RDMA_NLDEV_ATTR_DEV_INDEX, 2u32.to_ne_bytes().to_vec()),
            (RDMA_NLDEV_ATTR_PORT_INDEX, 2u32.to_ne_bytes().to_vec()),
        ]
    );
    // The port dump names its device (the kernel refuses one without).
    assert!(
        requests(&log)
            .iter()
            .any(|(cmd, dump, attrs)| *cmd == RDMA_NLDEV_CMD_PORT_GET
                && *dump != 0
                && attrs == &[(RDMA_NLDEV_ATTR_DEV_INDEX, 2u32.to_ne_bytes().to_vec())])
    );
}

#[test]
fn add_rename_move_delete_and_system_mode() {
    let log = Log::default();
    let h = kernel(log.clone());
    h.rdma_link_add("rxe1", "rxe", "veth1").unwrap();
    let rxe = h.rdma_link_by_name("rxe0").unwrap();
    h.rdma_link_set_name(&rxe, "rxe9").unwrap();
    let ns = std::fs::File::open("/proc/self/ns/net").unwrap();
    h.rdma_link_set_ns_fd(&rxe, std::os::fd::AsFd::as_fd(&ns))
        .unwrap();
    h.rdma_link_del(&rxe).unwrap();
    let sent: Vec<_> = requests(&log)
        .into_iter()
        .filter(|(cmd, _, _)| *cmd != RDMA_NLDEV_CMD_GET)
        .collect();
    let s = |v: &str| [v.as_bytes(), b"\0"].concat();
    let idx = 1u32.to_ne_bytes().to_vec();
    let fd = u32::try_from(std::os::fd::AsRawFd::as_raw_fd(&ns))
        .unwrap()
        .to_ne_bytes()
        .to_vec();
    assert_eq!(
        sent,
        [
            (
                RDMA_NLDEV_CMD_NEWLINK,
                0,
                vec![
                    (RDMA_NLDEV_ATTR_DEV_NAME, s("rxe1")),
                    (RDMA_NLDEV_ATTR_LINK_TYPE, s("rxe")),
                    (RDMA_NLDEV_ATTR_NDEV_NAME, s("veth1")),
                ]
            ),
            (
                RDMA_NLDEV_CMD_SET,
                0,
                vec![
                    (RDMA_NLDEV_ATTR_DEV_INDEX, idx.clone()),
                    (RDMA_NLDEV_ATTR_DEV_NAME, s("rxe9")),
                ]
            ),
            (
                RDMA_NLDEV_CMD_SET,
                0,
                vec![
                    (RDMA_NLDEV_ATTR_DEV_INDEX, idx.clone()),
                    (RDMA_NLDEV_NET_NS_FD, fd),
                ]
            ),
            (
                RDMA_NLDEV_CMD_DELLINK,
                0,
                vec![(RDMA_NLDEV_ATTR_DEV_INDEX, idx)]
            ),
        ]
    );
    // A bad name never reaches the kernel.
    let before = log.lock().unwrap().len();
    let err = h.rdma_link_set_name(&rxe, "").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(log.lock().unwrap().len(), before);

    assert_eq!(
        h.rdma_system_get_netns_mode().unwrap(),
        RdmaNetnsMode::Shared
    );
    let sys = h.rdma_system_get().unwrap();
    assert_eq!(
        (sys.copy_on_fork, sys.privileged_qkey),
        (Some(true), Some(false))
    );
    let err = h
        .rdma_system_set_netns_mode(RdmaNetnsMode::Exclusive)
        .unwrap_err();
    assert_eq!(err.errno(), Some(netlink::Errno::EBUSY));
    assert!(
        err.to_string().contains("rdma system set netns exclusive"),
        "{err}"
    );
    let last = requests(&log).pop().unwrap();
    assert_eq!(
        last,
        (
            RDMA_NLDEV_CMD_SYS_SET,
            0,
            vec![(RDMA_NLDEV_SYS_ATTR_NETNS_MODE, vec![0])]
        )
    );
}
