//! devlink against the kernel and the `devlink` tool (iproute2).
//!
//! devlink instances belong to a network namespace, so a fresh one has
//! none: the family resolves and every dump is empty, for us and for
//! `devlink`. Where netdevsim exists (the VM tier), a test creates a
//! netdevsim device of its own by writing `/sys/bus/netdevsim/new_device`
//! from its namespace's thread (netdevsim gives the device's devlink
//! instance and netdevs the writer's namespace, `nsim_bus_dev_new`'s
//! `initial_net`), compares devices, ports, eswitch mode, parameters,
//! resources and info with `devlink -j` both ways, and deletes it.
//!
//! This host's kernel is built without devlink (`CONFIG_NET_DEVLINK`):
//! the tests skip naming it; the Debian kernels of the VM tier have it.

use std::collections::BTreeMap;

use anyhow::{Context, Result, ensure};
use netlink::devlink::{
    DevHandle, DeviceInfo, EswitchMode, Param, ParamCmode, ParamData, Port, Resource,
};
use netlink::{AsyncHandle, ErrorKind, GenlFamily, Handle};
use netlink_tests::{Netns, in_netns, need_module, settled, skip};
use serde_json::Value;

/// The devlink family, or a skip naming what the kernel lacks.
fn devlink_family(found: netlink::Result<GenlFamily>) -> Result<GenlFamily> {
    match found {
        Ok(f) => Ok(f),
        Err(e) if e.is_not_found() => Err(skip(format!(
            "kernel lacks the devlink genl family (CONFIG_NET_DEVLINK): {e}"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `devlink -j ARGS`, parsed.
fn devlink_json(ns: &Netns, args: &[&str]) -> Result<Value> {
    let mut all = vec!["-j"];
    all.extend_from_slice(args);
    let out = ns.cmd("devlink", &all)?;
    serde_json::from_str(&out).with_context(|| format!("devlink -j {args:?}: {out}"))
}

/// The keys of `json[outer]` (devlink prints objects keyed by handle).
fn keys(json: &Value, outer: &str) -> Result<Vec<String>> {
    Ok(json[outer]
        .as_object()
        .with_context(|| format!("no {outer:?} object in {json}"))?
        .keys()
        .cloned()
        .collect())
}

#[test]
fn family_resolves_and_a_new_namespace_has_no_devices() {
    in_netns("family_resolves_and_a_new_namespace_has_no_devices", |ns| {
        let h = Handle::new()?;
        let fam = devlink_family(h.genl_family_get(netlink::devlink::FAMILY))?;
        ensure!(fam.name == "devlink" && fam.id > 0, "{fam:?}");
        ensure!(fam.group("config").is_some(), "{fam:?}");
        ensure!(h.devlink_dev_list()?.is_empty());
        ensure!(h.devlink_port_list(None)?.is_empty());
        ensure!(keys(&devlink_json(ns, &["dev", "show"])?, "dev")?.is_empty());
        ensure!(keys(&devlink_json(ns, &["port", "show"])?, "port")?.is_empty());
        // A device that is not there: the error names it.
        let ghost: DevHandle = "netdevsim/netdevsim4294967295".parse()?;
        let e = h.devlink_dev_get(&ghost).unwrap_err();
        ensure!(e.to_string().contains("netdevsim4294967295"), "{e}");
        ensure!(h.devlink_info(&ghost).is_err());
        ensure!(h.devlink_param_get(&ghost, "max_macs").is_err());
        Ok(())
    });
}

/// A netdevsim device of this test's namespace, deleted when dropped.
struct Nsim {
    id: u32,
}

impl Nsim {
    /// Device `netdevsim<ID>` with `ports` ports; the id comes from the
    /// process id and `salt`, as ids are global.
    fn new(salt: u32, ports: u32) -> Result<Nsim> {
        let id = 100_000 + (std::process::id() % 100_000) * 10 + salt;
        std::fs::write("/sys/bus/netdevsim/new_device", format!("{id} {ports}"))
            .context("/sys/bus/netdevsim/new_device")?;
        Ok(Nsim { id })
    }

    fn handle(&self) -> Result<DevHandle> {
        Ok(format!("netdevsim/netdevsim{}", self.id).parse()?)
    }
}

impl Drop for Nsim {
    fn drop(&mut self) {
        let _ = std::fs::write("/sys/bus/netdevsim/del_device", self.id.to_string());
    }
}

/// The device's info, or `None` when the driver has none to give (6.1's
/// netdevsim has no `info_get`): then `devlink dev info` must fail too.
fn info_or_unsupported(
    ns: &Netns,
    info: netlink::Result<DeviceInfo>,
    name: &str,
) -> Result<Option<DeviceInfo>> {
    match info {
        Ok(i) => Ok(Some(i)),
        Err(e) if e.kind() == ErrorKind::NotSupported => {
            ensure!(
                ns.cmd("devlink", ["dev", "info", name]).is_err(),
                "devlink shows info the library could not read: {e}"
            );
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// A parameter value as devlink's JSON prints it.
fn param_json(d: &ParamData) -> Value {
    match d {
        ParamData::U8(v) => Value::from(*v),
        ParamData::U16(v) => Value::from(*v),
        ParamData::U32(v) => Value::from(*v),
        ParamData::U64(v) => Value::from(*v),
        ParamData::String(s) => Value::from(s.clone()),
        ParamData::Bool(b) => Value::from(*b),
        ParamData::Raw(b) => Value::from(format!("{b:02x?}")),
    }
}

/// Parameters by name: generic or not, and each mode's value.
type Params = BTreeMap<String, (bool, BTreeMap<String, Value>)>;

fn our_params(list: &[Param]) -> Params {
    list.iter()
        .map(|p| {
            let values = p
                .values
                .iter()
                .map(|v| (v.cmode.to_string(), param_json(&v.data)))
                .collect();
            (p.name.clone(), (p.generic, values))
        })
        .collect()
}

fn devlink_params(json: &Value, dev: &DevHandle) -> Result<Params> {
    let mut out = Params::new();
    let list = json["param"][dev.to_string()]
        .as_array()
        .with_context(|| format!("no params of {dev} in {json}"))?;
    for p in list {
        let name = p["name"].as_str().context("name")?.to_string();
        let generic = p["type"] == "generic";
        let mut values = BTreeMap::new();
        for v in p["values"].as_array().context("values")? {
            let cmode = v["cmode"].as_str().context("cmode")?.to_string();
            values.insert(cmode, v["value"].clone());
        }
        out.insert(name, (generic, values));
    }
    Ok(out)
}

/// A port as `devlink -j port show` prints it.
fn our_port(p: &Port) -> Value {
    let mut o = serde_json::Map::new();
    if let Some(t) = p.port_type.and_then(|t| t.word()) {
        o.insert("type".into(), t.into());
    }
    if let Some(n) = &p.netdev_name {
        o.insert("netdev".into(), n.clone().into());
    }
    if let Some(f) = p.flavour.and_then(|f| f.word()) {
        o.insert("flavour".into(), f.into());
    }
    if let Some(n) = p.number {
        o.insert("port".into(), n.into());
    }
    if let Some(s) = p.splittable {
        o.insert("splittable".into(), s.into());
    }
    Value::Object(o)
}

/// The fields of a `devlink -j port show` entry that [`our_port`] writes.
fn comparable_port(v: &Value) -> Value {
    let mut o = serde_json::Map::new();
    for k in ["type", "netdev", "flavour", "port", "splittable"] {
        if let Some(x) = v.get(k) {
            o.insert(k.into(), x.clone());
        }
    }
    Value::Object(o)
}

/// A resource tree as names and sizes (`unlimited` for `u64::MAX`, as
/// devlink prints it).
fn our_resources(list: &[Resource]) -> Value {
    Value::Array(
        list.iter()
            .map(|r| {
                let size = if r.size == u64::MAX {
                    Value::from("unlimited")
                } else {
                    Value::from(r.size)
                };
                serde_json::json!({
                    "name": r.name,
                    "size": size,
                    "resources": our_resources(&r.children),
                })
            })
            .collect(),
    )
}

fn devlink_resources(list: &Value) -> Value {
    Value::Array(
        list.as_array()
            .map(|a| {
                a.iter()
                    .map(|r| {
                        serde_json::json!({
                            "name": r["name"],
                            "size": r["size"],
                            "resources": devlink_resources(&r["resources"]),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    )
}

#[test]
fn netdevsim_matches_devlink_both_ways() {
    in_netns("netdevsim_matches_devlink_both_ways", |ns| {
        let h = Handle::new()?;
        devlink_family(h.genl_family_get(netlink::devlink::FAMILY))?;
        need_module("netdevsim")?;
        let nsim = Nsim::new(1, 2)?;
        let dev = nsim.handle()?;
        let name = dev.to_string();

        // Devices: the probe may finish after the write returns.
        let devs = settled(|| {
            let devs = h.devlink_dev_list()?;
            ensure!(devs.len() == 1 && devs[0].handle == dev, "{devs:?}");
            ensure!(
                keys(&devlink_json(ns, &["dev", "show"])?, "dev")? == std::slice::from_ref(&name)
            );
            Ok(devs)
        })?;
        ensure!(h.devlink_dev_get(&dev)?.handle == dev);

        // Ports, both directions of the same dump.
        settled(|| {
            let ports = h.devlink_port_list(Some(&dev))?;
            ensure!(ports.len() == 2, "{ports:#?}");
            ensure!(h.devlink_port_list(None)? == ports);
            let json = devlink_json(ns, &["port", "show"])?;
            let theirs: BTreeMap<String, Value> = json["port"]
                .as_object()
                .context("port object")?
                .iter()
                .map(|(k, v)| (k.clone(), comparable_port(v)))
                .collect();
            let ours: BTreeMap<String, Value> = ports
                .iter()
                .map(|p| (format!("{}/{}", p.handle, p.index), our_port(p)))
                .collect();
            ensure!(ours == theirs, "library {ours:#?}\ndevlink {theirs:#?}");
            for p in &ports {
                ensure!(h.devlink_port_get(&dev, p.index)? == *p);
                // Each port's netdev exists in this namespace.
                let netdev = p.netdev_name.clone().context("port without netdev")?;
                ensure!(
                    ns.ip_json(["link", "show", &netdev])?[0]["ifindex"]
                        == p.netdev_ifindex.context("ifindex")?
                );
            }
            Ok(())
        })?;

        // Eswitch mode: set by us, shown by devlink; set by devlink, read by us.
        ensure!(devs[0].eswitch.as_ref().and_then(|e| e.mode) == Some(EswitchMode::Legacy));
        h.devlink_eswitch_set_mode(&dev, EswitchMode::Switchdev)?;
        let shown = devlink_json(ns, &["dev", "eswitch", "show", &name])?;
        ensure!(shown["dev"][&name]["mode"] == "switchdev", "{shown}");
        ns.cmd(
            "devlink",
            ["dev", "eswitch", "set", &name, "mode", "legacy"],
        )?;
        ensure!(h.devlink_eswitch_get(&dev)?.mode == Some(EswitchMode::Legacy));

        // Parameters: the same list; a u32 set by us, a bool by devlink.
        let params = h.devlink_param_list(&dev)?;
        ensure!(!params.is_empty());
        let theirs = devlink_params(&devlink_json(ns, &["dev", "param", "show", &name])?, &dev)?;
        ensure!(
            our_params(&params) == theirs,
            "library {:#?}\ndevlink {theirs:#?}",
            our_params(&params)
        );
        let (num, old) = params
            .iter()
            .find_map(|p| match p.value(ParamCmode::Driverinit) {
                Some(ParamData::U32(v)) => Some((p, *v)),
                _ => None,
            })
            .context("no u32 driverinit parameter")?;
        let new = ParamData::U32(if old > 1 { old - 1 } else { old + 1 });
        h.devlink_param_set(&dev, &num.name, ParamCmode::Driverinit, &new)?;
        let shown = devlink_json(ns, &["dev", "param", "show", &name, "name", &num.name])?;
        let shown = devlink_params(&shown, &dev)?;
        ensure!(
            shown[&num.name].1["driverinit"] == param_json(&new),
            "{shown:?}"
        );
        ensure!(
            h.devlink_param_get(&dev, &num.name)?
                .value(ParamCmode::Driverinit)
                == Some(&new)
        );
        if let Some((flag, was)) =
            params
                .iter()
                .find_map(|p| match p.value(ParamCmode::Driverinit) {
                    Some(ParamData::Bool(v)) => Some((p, *v)),
                    _ => None,
                })
        {
            let word = if was { "false" } else { "true" };
            ns.cmd(
                "devlink",
                [
                    "dev",
                    "param",
                    "set",
                    &name,
                    "name",
                    &flag.name,
                    "value",
                    word,
                    "cmode",
                    "driverinit",
                ],
            )?;
            let now = h.devlink_param_get(&dev, &flag.name)?;
            ensure!(
                now.value(ParamCmode::Driverinit) == Some(&ParamData::Bool(!was)),
                "{now:?}"
            );
        }
        // A value of the wrong type: the kernel refuses it.
        ensure!(
            h.devlink_param_set(
                &dev,
                &num.name,
                ParamCmode::Driverinit,
                &ParamData::Bool(true)
            )
            .is_err()
        );

        // Resources: the same tree.
        let res = h.devlink_resources(&dev)?;
        let json = devlink_json(ns, &["resource", "show", &name])?;
        let theirs = devlink_resources(&json["resources"][&name]);
        let ours = our_resources(&res.resources);
        ensure!(ours == theirs, "library {ours:#}\ndevlink {theirs:#}");
        // Info: driver and versions, and the Go library's map of them.
        let Some(info) = info_or_unsupported(ns, h.devlink_info(&dev), &name)? else {
            return Ok(());
        };
        ensure!(info.driver.as_deref() == Some("netdevsim"), "{info:?}");
        let json = devlink_json(ns, &["dev", "info", &name])?;
        let theirs = &json["info"][&name];
        ensure!(theirs["driver"] == "netdevsim", "{json}");
        for (kind, ours) in [
            ("fixed", &info.fixed),
            ("running", &info.running),
            ("stored", &info.stored),
        ] {
            let ours: BTreeMap<String, Value> = ours
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                .collect();
            let shown: BTreeMap<String, Value> = theirs["versions"][kind]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            ensure!(ours == shown, "{kind}: library {ours:?}\ndevlink {shown:?}");
        }
        let map = info.to_map();
        ensure!(
            map.get("driver").map(String::as_str) == Some("netdevsim"),
            "{map:?}"
        );

        Ok(())
    });
}

#[test]
fn async_devlink() {
    in_netns("async_devlink", |ns| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            devlink_family(h.genl_family_get(netlink::devlink::FAMILY).await)?;
            ensure!(h.devlink_dev_list().await?.is_empty());
            ensure!(h.devlink_port_list(None).await?.is_empty());
            need_module("netdevsim")?;
            let nsim = Nsim::new(2, 1)?;
            let dev = nsim.handle()?;
            let name = dev.to_string();
            let mut devs = Vec::new();
            for _ in 0..20 {
                devs = h.devlink_dev_list().await?;
                if !devs.is_empty() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            ensure!(devs.len() == 1 && devs[0].handle == dev, "{devs:?}");
            ensure!(
                keys(&devlink_json(ns, &["dev", "show"])?, "dev")? == std::slice::from_ref(&name)
            );
            let ports = h.devlink_port_list(Some(&dev)).await?;
            ensure!(ports.len() == 1, "{ports:?}");
            ensure!(h.devlink_port_get(&dev, ports[0].index).await? == ports[0]);
            let params = h.devlink_param_list(&dev).await?;
            let theirs =
                devlink_params(&devlink_json(ns, &["dev", "param", "show", &name])?, &dev)?;
            ensure!(our_params(&params) == theirs);
            if let Some(info) = info_or_unsupported(ns, h.devlink_info(&dev).await, &name)? {
                ensure!(info.driver.as_deref() == Some("netdevsim"), "{info:?}");
            }
            ensure!(!h.devlink_resources(&dev).await?.resources.is_empty());
            h.devlink_eswitch_set_mode(&dev, EswitchMode::Switchdev)
                .await?;
            ensure!(h.devlink_eswitch_get(&dev).await?.mode == Some(EswitchMode::Switchdev));
            let shown = devlink_json(ns, &["dev", "eswitch", "show", &name])?;
            ensure!(shown["dev"][&name]["mode"] == "switchdev", "{shown}");
            Ok(())
        })
    });
}
