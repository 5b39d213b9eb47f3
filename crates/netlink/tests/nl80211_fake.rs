//! nl80211 calls against a scripted kernel (no root, no radio): split
//! wiphy dumps merged into one wiphy each, interfaces and stations by
//! index, and the requests the calls send.
#![cfg(feature = "nl80211")]

use std::sync::{Arc, Mutex};

use netlink::nl_genl::uapi::GENL_ID_CTRL;
use netlink::nl_genl::uapi::genetlink::{
    CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR,
    CTRL_ATTR_VERSION, CTRL_CMD_NEWFAMILY,
};
use netlink::nl_genl::uapi::nl80211::*;
use netlink::nl_genl::{GenlMsg, GenlMsgHdr};
use netlink::nl_sock::Socket;
use netlink::nl_sock::fake::{self, Fake};
use netlink::nl_wire::netlink::{NETLINK_GENERIC, NLM_F_DUMP};
use netlink::nl_wire::{HwAddr, Msg, MsgBuilder, Msgs};
use netlink::nl80211::{BandId, InterfaceType, NewInterface, PlinkState};
use netlink::{ErrorKind, Handle};

/// The id the scripted nlctrl gives nl80211.
const ID: u16 = 0x22;

type Log = Arc<Mutex<Vec<Vec<u8>>>>;

fn family(req: &Msg<'_>) -> Vec<u8> {
    fake::reply(req, GENL_ID_CTRL, 0, |m| {
        m.header(&GenlMsgHdr {
            cmd: CTRL_CMD_NEWFAMILY,
            version: 2,
            reserved: [0; 2],
        });
        m.put_u16(CTRL_ATTR_FAMILY_ID, ID)
            .put_str(CTRL_ATTR_FAMILY_NAME, "nl80211")
            .put_u32(CTRL_ATTR_VERSION, 1)
            .put_u32(CTRL_ATTR_HDRSIZE, 0)
            .put_u32(CTRL_ATTR_MAXATTR, 330);
    })
}

fn msg(req: &Msg<'_>, cmd: u8, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
    fake::reply(req, ID, 0, |m| {
        m.header(&GenlMsgHdr {
            cmd,
            version: 1,
            reserved: [0; 2],
        });
        f(m);
    })
}

/// One part of wiphy `index`'s split dump: the header every part has,
/// then `f`'s part.
fn part(req: &Msg<'_>, index: u32, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
    msg(req, NL80211_CMD_NEW_WIPHY, |m| {
        m.put_u32(NL80211_ATTR_WIPHY, index)
            .put_str(NL80211_ATTR_WIPHY_NAME, &format!("phy{index}"))
            .put_u32(NL80211_ATTR_GENERATION, 5);
        f(m);
    })
}

fn channel(m: &mut MsgBuilder<'_>, band: u16, freq: u32, disabled: bool) {
    m.nest(NL80211_ATTR_WIPHY_BANDS, |m| {
        m.nest(band, |m| {
            m.nest(NL80211_BAND_ATTR_FREQS, |m| {
                m.nest(0, |m| {
                    m.put_u32(NL80211_FREQUENCY_ATTR_FREQ, freq)
                        .put_u32(NL80211_FREQUENCY_ATTR_OFFSET, 0)
                        .put_u32(NL80211_FREQUENCY_ATTR_MAX_TX_POWER, 2000);
                    if disabled {
                        m.put_flag(NL80211_FREQUENCY_ATTR_DISABLED);
                    }
                });
            });
        });
    });
}

fn interface(m: &mut MsgBuilder<'_>, ifindex: u32, name: &str, iftype: u32) {
    m.put_u32(NL80211_ATTR_IFINDEX, ifindex)
        .put_str(NL80211_ATTR_IFNAME, name)
        .put_u32(NL80211_ATTR_WIPHY, 0)
        .put_u32(NL80211_ATTR_IFTYPE, iftype)
        .put_u64(NL80211_ATTR_WDEV, 1)
        .put_bytes(NL80211_ATTR_MAC, &[2, 0, 0, 0, 0, 0])
        .put_u32(NL80211_ATTR_GENERATION, 3)
        .put_u8(NL80211_ATTR_4ADDR, 0);
}

/// A kernel with two radios (phy0 with two bands, phy1) and interface
/// wlan0 (index 7) with one mesh peer, logging every request.
fn kernel(log: Log) -> Handle {
    let fake = Fake::new(move |d| {
        log.lock().unwrap().push(d.to_vec());
        let req = Msgs::new(d).next().unwrap().unwrap();
        if req.ty() == GENL_ID_CTRL {
            return vec![family(&req), fake::ack(&req)];
        }
        let g = GenlMsg::parse(&req, 0).unwrap();
        let tb = g.attrs();
        let u32_of = |k| tb.get(k).unwrap().map(|a| a.u32().unwrap());
        let dump = req.flags() & NLM_F_DUMP != 0;
        match g.cmd() {
            NL80211_CMD_GET_WIPHY if dump => {
                let mut parts = vec![
                    part(&req, 0, |m| {
                        m.put_u8(NL80211_ATTR_WIPHY_RETRY_SHORT, 7);
                    }),
                    part(&req, 0, |m| {
                        let suites: Vec<u8> = [0x000f_ac04u32, 0x000f_ac02]
                            .iter()
                            .flat_map(|s| s.to_ne_bytes())
                            .collect();
                        m.put_bytes(NL80211_ATTR_CIPHER_SUITES, &suites);
                    }),
                    part(&req, 0, |m| {
                        m.nest(NL80211_ATTR_WIPHY_BANDS, |m| {
                            m.nest(NL80211_BAND_2GHZ, |m| {
                                m.nest(NL80211_BAND_ATTR_RATES, |m| {
                                    m.nest(0, |m| {
                                        m.put_u32(NL80211_BITRATE_ATTR_RATE, 10);
                                    });
                                    m.nest(1, |m| {
                                        m.put_u32(NL80211_BITRATE_ATTR_RATE, 55)
                                            .put_flag(NL80211_BITRATE_ATTR_2GHZ_SHORTPREAMBLE);
                                    });
                                });
                            });
                        });
                    }),
                    part(&req, 0, |m| channel(m, NL80211_BAND_2GHZ, 2412, false)),
                    part(&req, 0, |m| channel(m, NL80211_BAND_2GHZ, 2484, true)),
                    part(&req, 0, |m| channel(m, NL80211_BAND_5GHZ, 5180, false)),
                    part(&req, 1, |m| channel(m, NL80211_BAND_2GHZ, 2412, false)),
                ];
                // A dump for one wiphy gets that wiphy's parts only.
                if let Some(i) = u32_of(NL80211_ATTR_WIPHY) {
                    parts.retain(|p| {
                        let m = Msgs::new(p).next().unwrap().unwrap();
                        let g = GenlMsg::parse(&m, 0).unwrap();
                        let w = g.attrs().get(NL80211_ATTR_WIPHY).unwrap().unwrap();
                        w.u32().unwrap() == i
                    });
                }
                fake::multipart(&req, &parts, 3, false)
            }
            NL80211_CMD_GET_INTERFACE if dump => {
                let i = msg(&req, NL80211_CMD_NEW_INTERFACE, |m| {
                    interface(m, 7, "wlan0", NL80211_IFTYPE_MESH_POINT)
                });
                fake::multipart(&req, &[i], 1, false)
            }
            NL80211_CMD_GET_INTERFACE if u32_of(NL80211_ATTR_IFINDEX) == Some(7) => vec![
                msg(&req, NL80211_CMD_NEW_INTERFACE, |m| {
                    interface(m, 7, "wlan0", NL80211_IFTYPE_MESH_POINT)
                }),
                fake::ack(&req),
            ],
            NL80211_CMD_NEW_INTERFACE => {
                let name = tb
                    .get(NL80211_ATTR_IFNAME)
                    .unwrap()
                    .unwrap()
                    .cstr()
                    .unwrap()
                    .to_string();
                let iftype = u32_of(NL80211_ATTR_IFTYPE).unwrap();
                vec![
                    msg(&req, NL80211_CMD_NEW_INTERFACE, |m| {
                        interface(m, 9, &name, iftype)
                    }),
                    fake::ack(&req),
                ]
            }
            NL80211_CMD_SET_INTERFACE | NL80211_CMD_DEL_INTERFACE => vec![fake::ack(&req)],
            NL80211_CMD_GET_STATION if dump => {
                let s = msg(&req, NL80211_CMD_NEW_STATION, |m| {
                    m.put_u32(NL80211_ATTR_IFINDEX, 7)
                        .put_bytes(NL80211_ATTR_MAC, &[2, 0, 0, 0, 1, 0])
                        .nest(NL80211_ATTR_STA_INFO, |m| {
                            m.put_u32(NL80211_STA_INFO_INACTIVE_TIME, 120)
                                .put_u32(NL80211_STA_INFO_RX_BYTES, 1000)
                                .put_u64(NL80211_STA_INFO_RX_BYTES64, 1000)
                                .put_u32(NL80211_STA_INFO_RX_PACKETS, 10)
                                .put_u8(NL80211_STA_INFO_SIGNAL, (-40i8).to_ne_bytes()[0])
                                .put_u8(NL80211_STA_INFO_PLINK_STATE, NL80211_PLINK_ESTAB);
                        });
                });
                fake::multipart(&req, &[s], 1, false)
            }
            _ => vec![fake::error(&req, 2, None, None)],
        }
    });
    let genl = Socket::with_transport(fake, NETLINK_GENERIC).unwrap();
    let route = Socket::with_transport(Fake::new(|_| Vec::new()), 0).unwrap();
    Handle::with_route_socket(route).with_socket(NETLINK_GENERIC, genl)
}

/// The nl80211 requests sent (nlctrl's left out).
fn sent(log: &Log) -> Vec<Vec<u8>> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|d| Msgs::new(d).next().unwrap().unwrap().ty() == ID)
        .cloned()
        .collect()
}

#[test]
fn split_wiphy_dumps_merge_into_one_wiphy_each() {
    let log = Log::default();
    let h = kernel(log.clone());
    let phys = h.wifi_phy_list().unwrap();
    assert_eq!(phys.len(), 2, "{phys:#?}");
    let p = &phys[0];
    assert_eq!((p.index, p.name.as_str()), (0, "phy0"));
    assert_eq!(p.retry_short, Some(7));
    assert_eq!(p.cipher_suites, [0x000f_ac04, 0x000f_ac02]);
    let b = p.band(BandId::Band2Ghz).unwrap();
    let freqs: Vec<u32> = b.channels.iter().map(|c| c.freq).collect();
    assert_eq!(freqs, [2412, 2484]);
    assert!(b.channels[1].is_disabled());
    assert_eq!(b.rates.len(), 2);
    assert!(b.rates[1].short_preamble);
    assert_eq!(b.channels[0].to_string(), "2412 MHz [1] (20.0 dBm)");
    assert_eq!(b.channels[1].to_string(), "2484 MHz [14] (disabled)");
    assert_eq!(p.band(BandId::Band5Ghz).unwrap().channels.len(), 1);
    assert_eq!(phys[1].bands.len(), 1);
    // iw's request: a dump asking for the split form.
    let req = &sent(&log)[0];
    let m = Msgs::new(req).next().unwrap().unwrap();
    assert_eq!(m.flags() & NLM_F_DUMP, NLM_F_DUMP);
    let g = GenlMsg::parse(&m, 0).unwrap();
    assert_eq!(g.cmd(), NL80211_CMD_GET_WIPHY);
    assert!(
        g.attrs()
            .get(NL80211_ATTR_SPLIT_WIPHY_DUMP)
            .unwrap()
            .is_some()
    );

    let one = h.wifi_phy_get(1).unwrap();
    assert_eq!(one, phys[1]);
    let e = h.wifi_phy_get(5).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    assert!(e.to_string().contains("phy#5"), "{e}");
}

#[test]
fn interfaces_by_index() {
    let log = Log::default();
    let h = kernel(log.clone());
    let list = h.wifi_interface_list().unwrap();
    assert_eq!(list.len(), 1);
    let i = h.wifi_interface_get(7).unwrap();
    assert_eq!(i, list[0]);
    assert_eq!(i.iftype, InterfaceType::MeshPoint);
    assert_eq!(i.name.as_deref(), Some("wlan0"));
    assert_eq!(i.mac.unwrap().to_string(), "02:00:00:00:00:00");
    assert!(h.wifi_interface_get(8).is_err());

    let added = h
        .wifi_interface_add(&NewInterface::new(0, "wlan9", InterfaceType::Adhoc))
        .unwrap();
    assert_eq!(
        (added.ifindex, added.iftype),
        (Some(9), InterfaceType::Adhoc)
    );
    h.wifi_interface_set_type(9, InterfaceType::Station)
        .unwrap();
    h.wifi_interface_del(9).unwrap();
    let sent = sent(&log);
    let cmds: Vec<u8> = sent
        .iter()
        .map(|d| {
            let m = Msgs::new(d).next().unwrap().unwrap();
            GenlMsg::parse(&m, 0).unwrap().cmd()
        })
        .collect();
    assert_eq!(
        cmds[3..],
        [
            NL80211_CMD_NEW_INTERFACE,
            NL80211_CMD_SET_INTERFACE,
            NL80211_CMD_DEL_INTERFACE
        ]
    );
    let set = Msgs::new(&sent[4]).next().unwrap().unwrap();
    let g = GenlMsg::parse(&set, 0).unwrap();
    let tb = g.attrs();
    assert_eq!(
        tb.get(NL80211_ATTR_IFINDEX)
            .unwrap()
            .unwrap()
            .u32()
            .unwrap(),
        9
    );
    assert_eq!(
        tb.get(NL80211_ATTR_IFTYPE).unwrap().unwrap().u32().unwrap(),
        NL80211_IFTYPE_STATION
    );
}

#[test]
fn stations_of_an_interface() {
    let h = kernel(Log::default());
    let st = h.wifi_station_list(7).unwrap();
    assert_eq!(st.len(), 1);
    let s = &st[0];
    assert_eq!(s.mac.unwrap().to_string(), "02:00:00:00:01:00");
    assert_eq!(s.rx_bytes, Some(1000));
    assert_eq!(s.signal, Some(-40));
    assert_eq!(s.plink_state, Some(PlinkState::Estab));
    let stranger: HwAddr = "02:00:5e:00:53:01".parse().unwrap();
    assert!(h.wifi_station_get(7, stranger).is_err());
}
