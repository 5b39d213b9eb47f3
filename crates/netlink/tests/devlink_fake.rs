//! devlink calls against a scripted kernel (no root, no devlink device):
//! the requests they send, and how they read, merge and filter answers
//! laid out as the kernel's devlink code writes them. Its kernel answers
//! port and parameter dumps with every device's, as kernels before 6.5
//! do whatever the request names.
#![cfg(feature = "devlink")]

use std::sync::{Arc, Mutex};

use netlink::devlink::{
    DevHandle, EswitchMode, ParamCmode, ParamData, PortAdd, PortFlavour, PortType,
};
use netlink::nl_genl::uapi::GENL_ID_CTRL;
use netlink::nl_genl::uapi::devlink::*;
use netlink::nl_genl::uapi::genetlink::{
    CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR,
    CTRL_ATTR_VERSION, CTRL_CMD_NEWFAMILY,
};
use netlink::nl_genl::{GenlMsg, GenlMsgHdr};
use netlink::nl_sock::Socket;
use netlink::nl_sock::fake::{self, Fake};
use netlink::nl_wire::netlink::{NETLINK_GENERIC, NLM_F_DUMP};
use netlink::nl_wire::{Msg, MsgBuilder, Msgs};
use netlink::{ErrorKind, Handle};

/// The id the scripted nlctrl gives devlink.
const ID: u16 = 0x1d;

type Log = Arc<Mutex<Vec<Vec<u8>>>>;

fn family(req: &Msg<'_>) -> Vec<u8> {
    fake::reply(req, GENL_ID_CTRL, 0, |m| {
        m.header(&GenlMsgHdr {
            cmd: CTRL_CMD_NEWFAMILY,
            version: 2,
            reserved: [0; 2],
        });
        m.put_u16(CTRL_ATTR_FAMILY_ID, ID)
            .put_str(CTRL_ATTR_FAMILY_NAME, "devlink")
            .put_u32(CTRL_ATTR_VERSION, 1)
            .put_u32(CTRL_ATTR_HDRSIZE, 0)
            .put_u32(CTRL_ATTR_MAXATTR, 200);
    })
}

/// A devlink message answering `req`: the genl header, the device's
/// handle, then what `f` adds.
fn dl(req: &Msg<'_>, cmd: u8, dev: (&str, &str), f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
    fake::reply(req, ID, 0, |m| {
        m.header(&GenlMsgHdr {
            cmd,
            version: 1,
            reserved: [0; 2],
        });
        m.put_str(DEVLINK_ATTR_BUS_NAME, dev.0)
            .put_str(DEVLINK_ATTR_DEV_NAME, dev.1);
        f(m);
    })
}

const PCI: (&str, &str) = ("pci", "0000:01:00.0");
const NSIM: (&str, &str) = ("netdevsim", "netdevsim9");

fn port(req: &Msg<'_>, dev: (&str, &str), index: u32, netdev: &str) -> Vec<u8> {
    dl(req, DEVLINK_CMD_PORT_NEW, dev, |m| {
        m.put_u32(DEVLINK_ATTR_PORT_INDEX, index)
            .put_u16(DEVLINK_ATTR_PORT_TYPE, DEVLINK_PORT_TYPE_ETH)
            .put_str(DEVLINK_ATTR_PORT_NETDEV_NAME, netdev)
            .put_u16(DEVLINK_ATTR_PORT_FLAVOUR, DEVLINK_PORT_FLAVOUR_PHYSICAL)
            .put_u32(DEVLINK_ATTR_PORT_NUMBER, index + 1)
            .put_u8(DEVLINK_ATTR_PORT_SPLITTABLE, 1);
    })
}

fn param(req: &Msg<'_>, dev: (&str, &str), name: &str, value: u32) -> Vec<u8> {
    dl(req, DEVLINK_CMD_PARAM_NEW, dev, |m| {
        m.nest(DEVLINK_ATTR_PARAM, |m| {
            m.put_str(DEVLINK_ATTR_PARAM_NAME, name)
                .put_flag(DEVLINK_ATTR_PARAM_GENERIC)
                .put_u8(DEVLINK_ATTR_PARAM_TYPE, 3) // DEVLINK_VAR_ATTR_TYPE_U32
                .nest(DEVLINK_ATTR_PARAM_VALUES_LIST, |m| {
                    m.nest(DEVLINK_ATTR_PARAM_VALUE, |m| {
                        m.put_u8(
                            DEVLINK_ATTR_PARAM_VALUE_CMODE,
                            DEVLINK_PARAM_CMODE_DRIVERINIT,
                        )
                        .put_u32(DEVLINK_ATTR_PARAM_VALUE_DATA, value);
                    });
                });
        });
    })
}

fn resource(m: &mut MsgBuilder<'_>, name: &str, id: u64, size: u64, children: &[(&str, u64)]) {
    m.nest(DEVLINK_ATTR_RESOURCE, |m| {
        m.put_str(DEVLINK_ATTR_RESOURCE_NAME, name)
            .put_u64(DEVLINK_ATTR_RESOURCE_ID, id)
            .put_u64(DEVLINK_ATTR_RESOURCE_SIZE, size)
            .put_u8(DEVLINK_ATTR_RESOURCE_UNIT, DEVLINK_RESOURCE_UNIT_ENTRY);
        if !children.is_empty() {
            m.nest(DEVLINK_ATTR_RESOURCE_LIST, |m| {
                for (i, (n, s)) in children.iter().enumerate() {
                    resource(m, n, id * 10 + i as u64, *s, &[]);
                }
            });
        }
    });
}

/// The device a request names.
fn asked(g: &GenlMsg<'_>) -> (String, String) {
    let tb = g.attrs();
    let s = |k| {
        tb.get(k)
            .unwrap()
            .map(|a| a.cstr().unwrap().to_string())
            .unwrap_or_default()
    };
    (s(DEVLINK_ATTR_BUS_NAME), s(DEVLINK_ATTR_DEV_NAME))
}

/// A kernel with a PCI device (two ports, an eswitch) and a netdevsim
/// one (one port, no eswitch), logging every request.
fn kernel(log: Log) -> Handle {
    let fake = Fake::new(move |d| {
        log.lock().unwrap().push(d.to_vec());
        let req = Msgs::new(d).next().unwrap().unwrap();
        if req.ty() == GENL_ID_CTRL {
            return vec![family(&req), fake::ack(&req)];
        }
        let g = GenlMsg::parse(&req, 0).unwrap();
        let dev = asked(&g);
        let pci = dev == (PCI.0.to_string(), PCI.1.to_string());
        let dump = req.flags() & NLM_F_DUMP != 0;
        match g.cmd() {
            DEVLINK_CMD_GET if dump => {
                let devs = [
                    dl(&req, DEVLINK_CMD_NEW, PCI, |_| {}),
                    dl(&req, DEVLINK_CMD_NEW, NSIM, |_| {}),
                ];
                fake::multipart(&req, &devs, 1, false)
            }
            DEVLINK_CMD_GET if pci => vec![dl(&req, DEVLINK_CMD_NEW, PCI, |_| {}), fake::ack(&req)],
            DEVLINK_CMD_ESWITCH_GET if pci => vec![
                dl(&req, DEVLINK_CMD_ESWITCH_GET, PCI, |m| {
                    m.put_u16(DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ESWITCH_MODE_SWITCHDEV)
                        .put_u8(
                            DEVLINK_ATTR_ESWITCH_INLINE_MODE,
                            DEVLINK_ESWITCH_INLINE_MODE_LINK,
                        );
                }),
                fake::ack(&req),
            ],
            // netdevsim's driver here has no eswitch.
            DEVLINK_CMD_ESWITCH_GET => vec![fake::error(&req, 95, None, None)],
            DEVLINK_CMD_PORT_GET if dump => {
                let ports = [
                    port(&req, PCI, 0, "enp1s0f0"),
                    port(&req, PCI, 1, "enp1s0f1"),
                    port(&req, NSIM, 0, "eni9np1"),
                ];
                fake::multipart(&req, &ports, 2, false)
            }
            DEVLINK_CMD_PORT_GET if pci => vec![port(&req, PCI, 1, "enp1s0f1"), fake::ack(&req)],
            DEVLINK_CMD_PORT_NEW if pci => vec![
                dl(&req, DEVLINK_CMD_PORT_NEW, PCI, |m| {
                    m.put_u32(DEVLINK_ATTR_PORT_INDEX, 32768)
                        .put_u16(DEVLINK_ATTR_PORT_FLAVOUR, DEVLINK_PORT_FLAVOUR_PCI_SF)
                        .put_u16(DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0)
                        .put_u32(DEVLINK_ATTR_PORT_PCI_SF_NUMBER, 88);
                }),
                fake::ack(&req),
            ],
            DEVLINK_CMD_PARAM_GET if dump => {
                let params = [
                    param(&req, PCI, "max_macs", 32),
                    param(&req, NSIM, "max_macs", 16),
                ];
                fake::multipart(&req, &params, 1, false)
            }
            DEVLINK_CMD_PARAM_GET if pci => {
                vec![param(&req, PCI, "max_macs", 32), fake::ack(&req)]
            }
            // A long resource list comes in two messages.
            DEVLINK_CMD_RESOURCE_DUMP if pci => vec![
                dl(&req, DEVLINK_CMD_RESOURCE_DUMP, PCI, |m| {
                    m.nest(DEVLINK_ATTR_RESOURCE_LIST, |m| {
                        resource(m, "kvd", 1, 1000, &[("linear", 600), ("hash", 400)]);
                    });
                }),
                dl(&req, DEVLINK_CMD_RESOURCE_DUMP, PCI, |m| {
                    m.nest(DEVLINK_ATTR_RESOURCE_LIST, |m| {
                        resource(m, "fib", 2, u64::MAX, &[]);
                    });
                }),
                fake::ack(&req),
            ],
            DEVLINK_CMD_INFO_GET if pci => vec![
                dl(&req, DEVLINK_CMD_INFO_GET, PCI, |m| {
                    m.put_str(DEVLINK_ATTR_INFO_DRIVER_NAME, "mlx5_core")
                        .put_str(DEVLINK_ATTR_INFO_SERIAL_NUMBER, "MT1234")
                        .nest(DEVLINK_ATTR_INFO_VERSION_FIXED, |m| {
                            m.put_str(DEVLINK_ATTR_INFO_VERSION_NAME, "fw.psid")
                                .put_str(DEVLINK_ATTR_INFO_VERSION_VALUE, "MT_0000000012");
                        })
                        .nest(DEVLINK_ATTR_INFO_VERSION_RUNNING, |m| {
                            m.put_str(DEVLINK_ATTR_INFO_VERSION_NAME, "fw.version")
                                .put_str(DEVLINK_ATTR_INFO_VERSION_VALUE, "16.35.1012");
                        })
                        .nest(DEVLINK_ATTR_INFO_VERSION_STORED, |m| {
                            m.put_str(DEVLINK_ATTR_INFO_VERSION_NAME, "fw.version")
                                .put_str(DEVLINK_ATTR_INFO_VERSION_VALUE, "16.36.0001");
                        });
                }),
                fake::ack(&req),
            ],
            DEVLINK_CMD_ESWITCH_SET
            | DEVLINK_CMD_PORT_DEL
            | DEVLINK_CMD_PORT_SPLIT
            | DEVLINK_CMD_PORT_UNSPLIT
            | DEVLINK_CMD_PORT_SET
            | DEVLINK_CMD_PARAM_SET
                if pci =>
            {
                vec![fake::ack(&req)]
            }
            _ => vec![fake::error(&req, 19, None, None)],
        }
    });
    let genl = Socket::with_transport(fake, NETLINK_GENERIC).unwrap();
    let route = Socket::with_transport(Fake::new(|_| Vec::new()), 0).unwrap();
    Handle::with_route_socket(route).with_socket(NETLINK_GENERIC, genl)
}

/// The devlink requests sent (nlctrl's left out), parsed back.
fn sent(log: &Log) -> Vec<(u8, u16, Vec<u8>)> {
    log.lock()
        .unwrap()
        .iter()
        .filter_map(|d| {
            let m = Msgs::new(d).next().unwrap().unwrap();
            (m.ty() == ID).then(|| {
                let g = GenlMsg::parse(&m, 0).unwrap();
                (g.cmd(), m.flags(), d.clone())
            })
        })
        .collect()
}

fn pci() -> DevHandle {
    "pci/0000:01:00.0".parse().unwrap()
}

#[test]
fn devices_carry_their_eswitch_where_the_driver_has_one() {
    let log = Log::default();
    let h = kernel(log.clone());
    let devs = h.devlink_dev_list().unwrap();
    assert_eq!(devs.len(), 2);
    assert_eq!(devs[0].handle, pci());
    let esw = devs[0].eswitch.as_ref().unwrap();
    assert_eq!(esw.mode, Some(EswitchMode::Switchdev));
    assert_eq!(devs[1].handle.to_string(), "netdevsim/netdevsim9");
    assert_eq!(
        devs[1].eswitch, None,
        "EOPNOTSUPP is no eswitch, not an error"
    );
    let cmds: Vec<u8> = sent(&log).iter().map(|s| s.0).collect();
    assert_eq!(
        cmds,
        [
            DEVLINK_CMD_GET,
            DEVLINK_CMD_ESWITCH_GET,
            DEVLINK_CMD_ESWITCH_GET
        ]
    );
    let one = h.devlink_dev_get(&pci()).unwrap();
    assert_eq!(one.eswitch.unwrap().mode, Some(EswitchMode::Switchdev));
}

#[test]
fn an_unknown_device_is_an_error_naming_it() {
    let h = kernel(Log::default());
    let ghost: DevHandle = "pci/0000:09:00.0".parse().unwrap();
    let e = h.devlink_dev_get(&ghost).unwrap_err();
    assert!(e.to_string().contains("pci/0000:09:00.0"), "{e}");
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    assert!(h.devlink_info(&ghost).is_err());
    assert!(h.devlink_port_get(&ghost, 0).is_err());
}

#[test]
fn ports_and_params_are_filtered_by_device() {
    let log = Log::default();
    let h = kernel(log.clone());
    let all = h.devlink_port_list(None).unwrap();
    assert_eq!(all.len(), 3);
    let ports = h.devlink_port_list(Some(&pci())).unwrap();
    assert_eq!(ports.len(), 2, "{ports:?}");
    assert!(ports.iter().all(|p| p.handle == pci()));
    assert_eq!(ports[1].netdev_name.as_deref(), Some("enp1s0f1"));
    assert_eq!(ports[1].port_type, Some(PortType::Eth));
    assert_eq!(ports[1].flavour, Some(PortFlavour::Physical));
    assert_eq!(ports[1].splittable, Some(true));
    assert_eq!(h.devlink_port_get(&pci(), 1).unwrap(), ports[1]);
    // The filtered dump names the device (kernels since 6.5 filter).
    let (cmd, flags, bytes) = sent(&log).into_iter().nth(1).unwrap();
    assert_eq!(
        (cmd, flags & NLM_F_DUMP),
        (DEVLINK_CMD_PORT_GET, NLM_F_DUMP)
    );
    let m = Msgs::new(&bytes).next().unwrap().unwrap();
    let g = GenlMsg::parse(&m, 0).unwrap();
    assert_eq!(asked(&g), (PCI.0.into(), PCI.1.into()));

    let params = h.devlink_param_list(&pci()).unwrap();
    assert_eq!(params.len(), 1, "{params:?}");
    assert_eq!(params[0].name, "max_macs");
    assert!(params[0].generic);
    assert_eq!(
        params[0].value(ParamCmode::Driverinit),
        Some(&ParamData::U32(32))
    );
    let one = h.devlink_param_get(&pci(), "max_macs").unwrap();
    assert_eq!(one, params[0]);
}

#[test]
fn resources_merge_across_messages() {
    let h = kernel(Log::default());
    let r = h.devlink_resources(&pci()).unwrap();
    assert_eq!(r.handle, pci());
    let names: Vec<&str> = r.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["kvd", "fib"]);
    assert_eq!(r.find("kvd/hash").unwrap().size, 400);
    assert_eq!(r.resources[1].size, u64::MAX);
}

#[test]
fn info_and_its_map() {
    let h = kernel(Log::default());
    let info = h.devlink_info(&pci()).unwrap();
    assert_eq!(info.driver.as_deref(), Some("mlx5_core"));
    let map = info.to_map();
    assert_eq!(map["driver"], "mlx5_core");
    assert_eq!(map["serialNumber"], "MT1234");
    assert_eq!(map["fw.psid"], "MT_0000000012");
    // The running version wins over the stored one of the same name.
    assert_eq!(map["fw.version"], "16.35.1012");
}

#[test]
fn changes_send_what_devlink_sends() {
    let log = Log::default();
    let h = kernel(log.clone());
    h.devlink_eswitch_set_mode(&pci(), EswitchMode::Legacy)
        .unwrap();
    h.devlink_param_set(
        &pci(),
        "max_macs",
        ParamCmode::Driverinit,
        &ParamData::U32(8),
    )
    .unwrap();
    let added = h
        .devlink_port_add(
            &pci(),
            &PortAdd {
                flavour: PortFlavour::PciSf,
                pf_number: 0,
                sf_number: Some(88),
                index: None,
                controller: None,
            },
        )
        .unwrap();
    assert_eq!(added.index, 32768);
    assert_eq!(added.flavour, Some(PortFlavour::PciSf));
    assert_eq!(added.pci_sf, Some(88));
    h.devlink_port_split(&pci(), 1, 2).unwrap();
    h.devlink_port_unsplit(&pci(), 1).unwrap();
    h.devlink_port_del(&pci(), 32768).unwrap();

    let sent = sent(&log);
    let cmds: Vec<u8> = sent.iter().map(|s| s.0).collect();
    assert_eq!(
        cmds,
        [
            DEVLINK_CMD_ESWITCH_SET,
            DEVLINK_CMD_PARAM_SET,
            DEVLINK_CMD_PORT_NEW,
            DEVLINK_CMD_PORT_SPLIT,
            DEVLINK_CMD_PORT_UNSPLIT,
            DEVLINK_CMD_PORT_DEL
        ]
    );
    let attrs = |i: usize| {
        let m = Msgs::new(&sent[i].2).next().unwrap().unwrap();
        let g = GenlMsg::parse(&m, 0).unwrap();
        let tb = g.attrs();
        let get = |k| tb.get(k).unwrap().map(|a| a.payload().to_vec());
        (
            get(DEVLINK_ATTR_ESWITCH_MODE),
            get(DEVLINK_ATTR_PARAM_NAME),
            get(DEVLINK_ATTR_PARAM_VALUE_CMODE),
            get(DEVLINK_ATTR_PARAM_VALUE_DATA),
            get(DEVLINK_ATTR_PORT_SPLIT_COUNT),
            get(DEVLINK_ATTR_PORT_INDEX),
        )
    };
    let esw = attrs(0);
    assert_eq!(
        esw.0,
        Some(DEVLINK_ESWITCH_MODE_LEGACY.to_ne_bytes().to_vec())
    );
    let p = attrs(1);
    assert_eq!(p.1.as_deref(), Some(&b"max_macs\0"[..]));
    assert_eq!(p.2, Some(vec![DEVLINK_PARAM_CMODE_DRIVERINIT]));
    assert_eq!(p.3, Some(8u32.to_ne_bytes().to_vec()));
    let split = attrs(3);
    assert_eq!(split.4, Some(2u32.to_ne_bytes().to_vec()));
    assert_eq!(split.5, Some(1u32.to_ne_bytes().to_vec()));
    assert_eq!(attrs(5).5, Some(32768u32.to_ne_bytes().to_vec()));
}
