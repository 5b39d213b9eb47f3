// nl80211 over generic netlink (feature `nl80211`): `iw list`, `iw phy
// PHY info`, `iw dev`, `iw phy PHY interface add`, `iw dev DEV del|set
// type`, `iw dev DEV station dump|get` (mdlayher/wifi's Interfaces,
// StationInfo). Events: `genl_subscribe(nl80211::FAMILY, &["config",
// "scan", "mlme"])`, read with `WifiEvent::parse`.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::nl80211::{self as wifi, Interface, InterfaceType, NewInterface, Phy, Station};
use nl_route::link::LinkId;
use nl_wire::HwAddr;
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

/// How an error names the interface a call was given.
fn dev_name(dev: &LinkId) -> String {
    match dev {
        LinkId::Index(i) => format!("ifindex {i}"),
        LinkId::Name(n) => n.clone(),
    }
}

impl H {
    call! {
        /// Every wiphy (radio) of the handle's namespace with its bands,
        /// channels, bitrates, cipher suites, interface types and
        /// combinations (`iw list`). The kernel splits each wiphy over
        /// many messages; they are merged into one [`Phy`] each.
        ///
        /// ```no_run
        /// use netlink::nl80211::{InterfaceType, NewInterface, WifiEvent, FAMILY};
        /// let h = netlink::Handle::new()?;
        /// for phy in h.wifi_phy_list()? {
        ///     println!("{phy}"); // iw phy PHY info's bands and channels
        /// }
        /// let mut events = h.genl_subscribe(FAMILY, &["config", "scan", "mlme"])?; // iw event
        /// let wlan = h.wifi_interface_add(&NewInterface::new(0, "wlan9", InterfaceType::Station))?;
        /// println!("{}", WifiEvent::parse(&events.next()?.msg()?)?); // "new interface type station ..."
        /// for sta in h.wifi_station_list(wlan.ifindex.unwrap_or(0))? {
        ///     println!("{:?} {:?} dBm", sta.mac, sta.signal);
        /// }
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn wifi_phy_list(&self) -> Result<Vec<Phy>> {
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            run!(self.do_dump_into(
                GENERIC,
                |b| Ok(Phy::write_dump(fam.id, None, b)?),
                |m, out| {
                    if m.ty() != fam.id {
                        return Ok(());
                    }
                    Ok(Phy::merge_into(out, &GenlMsg::parse(&m, 0)?)?)
                },
            ))
            .map_err(|e| e.about("wifi phys"))
        }
    }

    call! {
        /// Wiphy `index` (`iw phy#N info`), merged from its split dump.
        pub fn wifi_phy_get(&self, index: u32) -> Result<Phy> {
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            let phys: Vec<Phy> = run!(self.do_dump_into(
                GENERIC,
                |b| Ok(Phy::write_dump(fam.id, Some(index), b)?),
                |m, out| {
                    if m.ty() != fam.id {
                        return Ok(());
                    }
                    Ok(Phy::merge_into(out, &GenlMsg::parse(&m, 0)?)?)
                },
            ))
            .map_err(|e| e.about(format_args!("wifi phy#{index}")))?;
            // Kernels filter the dump by index; an unknown index dumps nothing.
            phys.into_iter()
                .find(|p| p.index == index)
                .ok_or_else(|| Error::not_found(format!("wifi phy#{index}"), None))
        }
    }

    call! {
        /// Every wireless interface of the handle's namespace (`iw dev`;
        /// mdlayher/wifi's `Interfaces`), P2P and NAN devices without a
        /// netdev included.
        pub fn wifi_interface_list(&self) -> Result<Vec<Interface>> {
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Interface::write_dump(fam.id, None, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Interface::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
            .map_err(|e| e.about("wifi interfaces"))
        }
    }

    call! {
        /// The wireless interface `dev` (`iw dev DEV info`).
        pub fn wifi_interface_get(&self, dev: impl Into<LinkId>) -> Result<Interface> {
            let dev = dev.into();
            let ifindex = run!(self.link_index(dev.clone()))?;
            let dev = dev_name(&dev);
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Interface::write_get(fam.id, ifindex, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Interface::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("wifi interface {dev}")))?;
            out.ok_or_else(|| Error::not_found(format!("wifi interface {dev}"), None))
        }
    }

    call! {
        /// Adds a wireless interface to a wiphy (`iw phy#N interface add
        /// NAME type TYPE`) and returns it as the kernel created it.
        pub fn wifi_interface_add(&self, new: &NewInterface) -> Result<Interface> {
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Interface::write_add(fam.id, new, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Interface::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("wifi interface {} on phy#{}", new.name, new.phy)))?;
            out.ok_or(Error::Genl(nl_genl::Error::Unexpected {
                what: "the new interface (the kernel acked without it)",
                msg_type: fam.id,
            }))
        }
    }

    call! {
        /// Deletes the wireless interface `dev` (`iw dev DEV del`).
        pub fn wifi_interface_del(&self, dev: impl Into<LinkId>) -> Result<()> {
            let dev = dev.into();
            let ifindex = run!(self.link_index(dev.clone()))?;
            let dev = dev_name(&dev);
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Interface::write_del(fam.id, ifindex, b)?)))
                .map_err(|e| e.about(format_args!("wifi interface {dev}")))?;
            Ok(())
        }
    }

    call! {
        /// Changes the type of the wireless interface `dev` (`iw dev DEV
        /// set type TYPE`); most drivers want it down first.
        pub fn wifi_interface_set_type(
            &self,
            dev: impl Into<LinkId>,
            iftype: InterfaceType,
        ) -> Result<()> {
            let dev = dev.into();
            let ifindex = run!(self.link_index(dev.clone()))?;
            let dev = dev_name(&dev);
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Interface::write_set_type(fam.id, ifindex, iftype, b)?)))
                .map_err(|e| e.about(format_args!("wifi interface {dev} type {iftype}")))?;
            Ok(())
        }
    }

    call! {
        /// The stations (peers) of the wireless interface `dev` with their
        /// statistics (`iw dev DEV station dump`; mdlayher/wifi's
        /// `StationInfo`).
        pub fn wifi_station_list(&self, dev: impl Into<LinkId>) -> Result<Vec<Station>> {
            let dev = dev.into();
            let ifindex = run!(self.link_index(dev.clone()))?;
            let dev = dev_name(&dev);
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Station::write_dump(fam.id, ifindex, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Station::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
            .map_err(|e| e.about(format_args!("wifi stations of {dev}")))
        }
    }

    call! {
        /// Station `mac` of the wireless interface `dev` (`iw dev DEV
        /// station get MAC`).
        pub fn wifi_station_get(&self, dev: impl Into<LinkId>, mac: HwAddr) -> Result<Station> {
            let dev = dev.into();
            let ifindex = run!(self.link_index(dev.clone()))?;
            let dev = dev_name(&dev);
            let fam = run!(self.genl_family_get(wifi::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Station::write_get(fam.id, ifindex, &mac, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Station::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("wifi station {mac} of {dev}")))?;
            out.ok_or_else(|| Error::not_found(format!("wifi station {mac} of {dev}"), None))
        }
    }
}
