// devlink over generic netlink (feature `devlink`): the Go library's
// devlink_linux.go calls — devices, eswitch mode, ports (list, get, add,
// del, split, unsplit, function set), resources, parameters, info —
// as `devlink dev|port|resource` does them.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::devlink::{
    self as dl, DevHandle, Device, DeviceInfo, Eswitch, EswitchMode, Param, ParamCmode, ParamData,
    Port, PortAdd, PortFunctionSet, Resources,
};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

/// The error for a request the kernel acked without the reply it owes.
fn no_reply(what: &'static str, family: u16) -> Error {
    Error::Genl(nl_genl::Error::Unexpected {
        what,
        msg_type: family,
    })
}

impl H {
    call! {
        /// Every devlink device of the handle's namespace (`devlink dev
        /// show`; the Go library's `DevLinkGetDeviceList`), each with its
        /// eswitch settings where the driver has an eswitch.
        ///
        /// ```no_run
        /// use netlink::devlink::{DevHandle, EswitchMode, ParamCmode, ParamData};
        /// let h = netlink::Handle::new()?;
        /// let dev: DevHandle = "pci/0000:01:00.0".parse()?;
        /// h.devlink_eswitch_set_mode(&dev, EswitchMode::Switchdev)?; // devlink dev eswitch set DEV mode switchdev
        /// for port in h.devlink_port_list(Some(&dev))? {
        ///     println!("{port}");
        /// }
        /// h.devlink_param_set(&dev, "max_macs", ParamCmode::Driverinit, &ParamData::U32(32))?;
        /// println!("{}", h.devlink_info(&dev)?); // devlink dev info DEV
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn devlink_dev_list(&self) -> Result<Vec<Device>> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut devs = run!(self.do_dump(
                GENERIC,
                |b| Ok(Device::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Device::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
            .map_err(|e| e.about("devlink devices"))?;
            for d in &mut devs {
                d.eswitch = run!(self.devlink_eswitch_opt(&d.handle))?;
            }
            Ok(devs)
        }
    }

    call! {
        /// The devlink device `dev` (`devlink dev show DEV`; the Go
        /// library's `DevLinkGetDeviceByName`), with its eswitch settings.
        pub fn devlink_dev_get(&self, dev: &DevHandle) -> Result<Device> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Device::write_get(fam.id, dev, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Device::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink device {dev}")))?;
            let mut d = out.ok_or_else(|| no_reply("a devlink device", fam.id))?;
            d.eswitch = run!(self.devlink_eswitch_opt(dev))?;
            Ok(d)
        }
    }

    call! {
        /// The eswitch of `dev`, `None` when its driver has none.
        fn devlink_eswitch_opt(&self, dev: &DevHandle) -> Result<Option<Eswitch>> {
            match run!(self.devlink_eswitch_get(dev)) {
                Ok(e) => Ok(Some(e)),
                Err(e) if e.kind() == crate::ErrorKind::NotSupported => Ok(None),
                Err(e) => Err(e),
            }
        }
    }

    call! {
        /// The eswitch settings of `dev` (`devlink dev eswitch show DEV`).
        pub fn devlink_eswitch_get(&self, dev: &DevHandle) -> Result<Eswitch> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Eswitch::write_get(fam.id, dev, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Eswitch::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink eswitch of {dev}")))?;
            out.ok_or_else(|| no_reply("an eswitch", fam.id))
        }
    }

    call! {
        /// Changes the eswitch settings that are `Some` (`devlink dev
        /// eswitch set DEV mode M inline-mode I encap-mode E`).
        pub fn devlink_eswitch_set(&self, eswitch: &Eswitch) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(eswitch.write_set(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("devlink eswitch {eswitch}")))?;
            Ok(())
        }
    }

    call! {
        /// Sets the eswitch mode of `dev` (`devlink dev eswitch set DEV
        /// mode switchdev`; the Go library's `DevLinkSetEswitchMode`).
        pub fn devlink_eswitch_set_mode(&self, dev: &DevHandle, mode: EswitchMode) -> Result<()> {
            let eswitch = Eswitch {
                handle: dev.clone(),
                mode: Some(mode),
                ..Eswitch::default()
            };
            run!(self.devlink_eswitch_set(&eswitch))
        }
    }

    call! {
        /// Every port, or the ports of `dev` (`devlink port show [DEV]`;
        /// the Go library's `DevLinkGetAllPortList`). Kernels before 6.5
        /// dump every device's ports whatever the request names: they are
        /// filtered here.
        pub fn devlink_port_list(&self, dev: Option<&DevHandle>) -> Result<Vec<Port>> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Port::write_dump(fam.id, dev, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    let p = Port::parse(&GenlMsg::parse(&m, 0)?)?;
                    Ok(dev.is_none_or(|d| *d == p.handle).then_some(p))
                },
            ))
            .map_err(|e| e.about("devlink ports"))
        }
    }

    call! {
        /// Port `index` of `dev` (`devlink port show DEV/INDEX`; the Go
        /// library's `DevLinkGetPortByIndex`).
        pub fn devlink_port_get(&self, dev: &DevHandle, index: u32) -> Result<Port> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Port::write_get(fam.id, dev, index, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Port::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink port {dev}/{index}")))?;
            out.ok_or_else(|| no_reply("a devlink port", fam.id))
        }
    }

    call! {
        /// Adds a port to `dev` (`devlink port add DEV flavour pcisf pfnum
        /// P sfnum S`; the Go library's `DevLinkPortAdd`) and returns it.
        pub fn devlink_port_add(&self, dev: &DevHandle, add: &PortAdd) -> Result<Port> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Port::write_add(fam.id, dev, add, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Port::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink port add on {dev}")))?;
            out.ok_or_else(|| no_reply("the new devlink port", fam.id))
        }
    }

    call! {
        /// Deletes port `index` of `dev` (`devlink port del DEV/INDEX`;
        /// the Go library's `DevLinkPortDel`).
        pub fn devlink_port_del(&self, dev: &DevHandle, index: u32) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Port::write_del(fam.id, dev, index, b)?)))
                .map_err(|e| e.about(format_args!("devlink port {dev}/{index}")))?;
            Ok(())
        }
    }

    call! {
        /// Splits port `index` of `dev` into `count` (`devlink port split
        /// DEV/INDEX count N`; the Go library's `DevlinkSplitPort`).
        pub fn devlink_port_split(&self, dev: &DevHandle, index: u32, count: u32) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Port::write_split(fam.id, dev, index, count, b)?)))
                .map_err(|e| e.about(format_args!("devlink port {dev}/{index} split {count}")))?;
            Ok(())
        }
    }

    call! {
        /// Undoes a split (`devlink port unsplit DEV/INDEX`; the Go
        /// library's `DevlinkUnsplitPort`).
        pub fn devlink_port_unsplit(&self, dev: &DevHandle, index: u32) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Port::write_unsplit(fam.id, dev, index, b)?)))
                .map_err(|e| e.about(format_args!("devlink port {dev}/{index} unsplit")))?;
            Ok(())
        }
    }

    call! {
        /// Changes the function of port `index` (`devlink port function
        /// set DEV/INDEX hw_addr MAC state active`; the Go library's
        /// `DevlinkPortFnSet`).
        pub fn devlink_port_function_set(
            &self,
            dev: &DevHandle,
            index: u32,
            set: &PortFunctionSet,
        ) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Port::write_function_set(fam.id, dev, index, set, b)?)))
                .map_err(|e| e.about(format_args!("devlink port function {dev}/{index}")))?;
            Ok(())
        }
    }

    call! {
        /// The resources of `dev` (`devlink resource show DEV`; the Go
        /// library's `DevlinkGetDeviceResources`), merged from every
        /// message of the answer.
        pub fn devlink_resources(&self, dev: &DevHandle) -> Result<Resources> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = Resources {
                handle: dev.clone(),
                ..Resources::default()
            };
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Resources::write_get(fam.id, dev, b)?),
                |m| {
                    if m.ty() == fam.id {
                        out.merge(&GenlMsg::parse(&m, 0)?)?;
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink resources of {dev}")))?;
            Ok(out)
        }
    }

    call! {
        /// The parameters of `dev` (`devlink dev param show DEV`; the Go
        /// library's `DevlinkGetDeviceParams`). Kernels before 6.5 dump
        /// every device's: they are filtered here.
        pub fn devlink_param_list(&self, dev: &DevHandle) -> Result<Vec<Param>> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Param::write_dump(fam.id, dev, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    let p = Param::parse(&GenlMsg::parse(&m, 0)?)?;
                    Ok((p.handle == *dev).then_some(p))
                },
            ))
            .map_err(|e| e.about(format_args!("devlink params of {dev}")))
        }
    }

    call! {
        /// Parameter `name` of `dev` (`devlink dev param show DEV name
        /// NAME`; the Go library's `DevlinkGetDeviceParamByName`).
        pub fn devlink_param_get(&self, dev: &DevHandle, name: &str) -> Result<Param> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Param::write_get(fam.id, dev, name, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Param::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink param {name} of {dev}")))?;
            out.ok_or_else(|| no_reply("a devlink parameter", fam.id))
        }
    }

    call! {
        /// Sets parameter `name` of `dev` in mode `cmode` (`devlink dev
        /// param set DEV name NAME value V cmode C`; the Go library's
        /// `DevlinkSetDeviceParam`). The value's type must be the
        /// parameter's ([`Param::param_type`](nl_genl::devlink::Param)):
        /// the kernel refuses another with `EINVAL`.
        pub fn devlink_param_set(
            &self,
            dev: &DevHandle,
            name: &str,
            cmode: ParamCmode,
            value: &ParamData,
        ) -> Result<()> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Param::write_set(fam.id, dev, name, cmode, value, b)?)))
                .map_err(|e| e.about(format_args!("devlink param {name} of {dev} ({cmode} {value})")))?;
            Ok(())
        }
    }

    call! {
        /// Driver, serial numbers and versions of `dev` (`devlink dev info
        /// DEV`; the Go library's `DevlinkGetDeviceInfoByName`, and
        /// [`DeviceInfo::to_map`](nl_genl::devlink::DeviceInfo::to_map) for
        /// its `...AsMap`).
        pub fn devlink_info(&self, dev: &DevHandle) -> Result<DeviceInfo> {
            let fam = run!(self.genl_family_get(dl::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(DeviceInfo::write_get(fam.id, dev, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(DeviceInfo::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("devlink info of {dev}")))?;
            out.ok_or_else(|| no_reply("devlink device info", fam.id))
        }
    }
}
