// vDPA devices over generic netlink (feature `vdpa`): the `vdpa` tool's
// mgmtdev show, dev add|del|show|set, dev config show, dev vstats show;
// the Go library's VDPANewDev, VDPADelDev, VDPAGetDevList ... The family
// exists only in the initial network namespace (it is not netnsok): a
// handle elsewhere finds no "vdpa" family.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::vdpa::{self as vd, Dev, DevConfig, DevVStats, MgmtDev, NewDev};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

impl H {
    call! {
        /// Every vDPA management device (`vdpa mgmtdev show`; Go's
        /// `VDPAGetMGMTDevList`).
        pub fn vdpa_mgmtdev_list(&self) -> Result<Vec<MgmtDev>> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(MgmtDev::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(MgmtDev::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// Management device `[bus/]dev` (`vdpa mgmtdev show BUS/DEV`; Go's
        /// `VDPAGetMGMTDevByBusAndName`).
        pub fn vdpa_mgmtdev_get(&self, bus: Option<&str>, dev: &str) -> Result<MgmtDev> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            let what = || match bus {
                Some(b) => format!("vdpa mgmtdev {b}/{dev}"),
                None => format!("vdpa mgmtdev {dev}"),
            };
            let mut out = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(MgmtDev::write_get(fam.id, bus, dev, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(MgmtDev::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            found(asked, out, what)
        }
    }

    call! {
        /// Creates a vDPA device (`vdpa dev add name NAME mgmtdev
        /// [BUS/]DEV ...`; Go's `VDPANewDev`).
        ///
        /// ```no_run
        /// use netlink::vdpa::NewDev;
        /// let h = netlink::Handle::new()?; // in the initial namespace
        /// h.vdpa_new_dev(&NewDev { mtu: Some(1400), ..NewDev::new("vdpa0", "vdpasim_net") })?;
        /// println!("{}", h.vdpa_dev_get("vdpa0")?);
        /// h.vdpa_del_dev("vdpa0")?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn vdpa_new_dev(&self, dev: &NewDev) -> Result<()> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(dev.write_add(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("vdpa dev {}", dev.name)))?;
            Ok(())
        }
    }

    call! {
        /// Deletes vDPA device `name` (`vdpa dev del NAME`; Go's `VDPADelDev`).
        pub fn vdpa_del_dev(&self, name: &str) -> Result<()> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Dev::write_del(fam.id, name, b)?)))
                .map_err(|e| e.about(format_args!("vdpa dev {name}")))?;
            Ok(())
        }
    }

    call! {
        /// Changes settings of vDPA device `dev.name` (`vdpa dev set name
        /// NAME mac M`; Go's `VDPASetAttr`; Linux 6.12).
        pub fn vdpa_set_attr(&self, dev: &NewDev) -> Result<()> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(dev.write_set(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("vdpa dev {}", dev.name)))?;
            Ok(())
        }
    }

    call! {
        /// Every vDPA device (`vdpa dev show`; Go's `VDPAGetDevList`).
        pub fn vdpa_dev_list(&self) -> Result<Vec<Dev>> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Dev::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Dev::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// vDPA device `name` (`vdpa dev show NAME`; Go's `VDPAGetDevByName`).
        pub fn vdpa_dev_get(&self, name: &str) -> Result<Dev> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            let mut out = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(Dev::write_get(fam.id, name, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Dev::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            found(asked, out, || format!("vdpa dev {name}"))
        }
    }

    call! {
        /// Every vDPA device's configuration (`vdpa dev config show`; Go's
        /// `VDPAGetDevConfigList`).
        pub fn vdpa_dev_config_list(&self) -> Result<Vec<DevConfig>> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(DevConfig::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(DevConfig::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// vDPA device `name`'s configuration (`vdpa dev config show NAME`;
        /// Go's `VDPAGetDevConfigByName`).
        pub fn vdpa_dev_config_get(&self, name: &str) -> Result<DevConfig> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            let mut out = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(DevConfig::write_get(fam.id, name, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(DevConfig::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            found(asked, out, || format!("vdpa dev {name} config"))
        }
    }

    call! {
        /// Vendor statistics of virtqueue `queue_index` of vDPA device
        /// `name` (`vdpa dev vstats show NAME qidx N`; Go's `VDPAGetDevVStats`).
        pub fn vdpa_dev_vstats(&self, name: &str, queue_index: u32) -> Result<DevVStats> {
            let fam = run!(self.genl_family_get(vd::FAMILY))?;
            let mut out = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(DevVStats::write_get(fam.id, name, queue_index, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(DevVStats::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            found(asked, out, || format!("vdpa dev {name} qidx {queue_index}"))
        }
    }
}

/// The object a get returned, or the not-found error naming `what`.
fn found<T>(
    asked: Result<nl_sock::Ack>,
    out: Option<T>,
    what: impl Fn() -> String,
) -> Result<T> {
    match asked {
        Err(e) if e.is_not_found() => Err(Error::not_found(what(), e.netlink().cloned())),
        Err(e) => Err(e.about(what())),
        Ok(_) => out.ok_or_else(|| Error::not_found(what(), None)),
    }
}
