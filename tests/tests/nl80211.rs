//! nl80211 against mac80211_hwsim radios, compared with `iw` both ways:
//! wiphys (bands, channels, bitrates, ciphers, interface modes) with `iw
//! list` and `iw phy#N info`; interfaces added, retyped and deleted by us
//! and shown by `iw dev`, and by `iw` and read by us; `"config"` events
//! with `iw event`; mesh peers as stations with `iw dev DEV station dump`.
//!
//! Each test creates its own radios through hwsim's generic netlink
//! family (`MAC80211_HWSIM`, `HWSIM_CMD_NEW_RADIO`) from a socket inside
//! its private namespace: hwsim gives such a radio the requester's
//! namespace (`mac80211_hwsim_new_radio` sets the wiphy's net to
//! `genl_info_net`) and destroys it with that namespace, so nothing
//! appears in the host's. The radios are deleted at the end all the same.
//! `iw` runs in the namespace and names wiphys `phy#N` (its `phy NAME`
//! form reads /sys/class/ieee80211, which shows the namespace sysfs was
//! mounted in). `iw` has no JSON: its text is parsed for the fields
//! compared.
//!
//! This host has no mac80211_hwsim, so the tests skip (`need_module`);
//! the VM tier's 6.12 kernel has it (loaded with `radios=0`) and its 6.1
//! cloud kernel declares it absent.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use netlink::nl80211::{
    Band, BandId, CONFIG_GROUP, FAMILY, Interface, InterfaceType, NewInterface, Phy, PlinkState,
    WifiEvent,
};
use netlink::{AsyncHandle, Handle};
use netlink_tests::{Netns, in_netns, need_module, settled};

/// hwsim's generic netlink interface, from
/// drivers/net/wireless/virtual/mac80211_hwsim.h (a driver header, not
/// UAPI): `enum hwsim_commands` and `enum hwsim_attrs`.
const HWSIM_FAMILY: &str = "MAC80211_HWSIM";
const HWSIM_CMD_NEW_RADIO: u8 = 4;
const HWSIM_CMD_DEL_RADIO: u8 = 5;
const HWSIM_ATTR_RADIO_NAME: u16 = 17;
const HWSIM_ATTR_NO_VIF: u16 = 18;

/// A hwsim radio of the test's namespace, deleted when dropped.
struct Radio<'h> {
    h: &'h Handle,
    name: String,
}

impl<'h> Radio<'h> {
    /// A radio named `nlt<pid><tag>` (wiphy names are global across
    /// namespaces, and cfg80211 silently falls back to `phyN` on a
    /// clash), without the default interface.
    fn new(h: &'h Handle, tag: &str) -> Result<Radio<'h>> {
        let name = format!("nlt{}{tag}", std::process::id());
        let created = h.genl_call(
            HWSIM_FAMILY,
            HWSIM_CMD_NEW_RADIO,
            false,
            |m| {
                m.put_str(HWSIM_ATTR_RADIO_NAME, &name);
                m.put_flag(HWSIM_ATTR_NO_VIF);
                Ok(())
            },
            |_| Ok(()),
        );
        // hwsim returns the new radio's id from its doit: the kernel acks
        // with that positive number, which is a success.
        created.context("HWSIM_CMD_NEW_RADIO")?;
        Ok(Radio { h, name })
    }

    /// The radio's wiphy as the library reads it.
    fn phy(&self) -> Result<Phy> {
        self.h
            .wifi_phy_list()?
            .into_iter()
            .find(|p| p.name == self.name)
            .with_context(|| format!("no wiphy {} in this namespace", self.name))
    }
}

impl Drop for Radio<'_> {
    fn drop(&mut self) {
        let _ = self.h.genl_call(
            HWSIM_FAMILY,
            HWSIM_CMD_DEL_RADIO,
            false,
            |m| {
                m.put_str(HWSIM_ATTR_RADIO_NAME, &self.name);
                Ok(())
            },
            |_| Ok(()),
        );
    }
}

/// Loads mac80211_hwsim without radios of its own (it would create two
/// in the initial namespace), or skips naming it.
fn need_hwsim() -> Result<()> {
    let _ = Command::new("modprobe")
        .args(["-q", "mac80211_hwsim", "radios=0"])
        .status();
    need_module("mac80211_hwsim")
}

/// What `iw list` / `iw phy#N info` prints about a wiphy, the parts
/// compared: per band (iw numbers them from 1) the frequency and bitrate
/// lines, the cipher suites and the interface modes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct IwPhy {
    name: String,
    index: Option<u32>,
    bands: BTreeMap<u16, (Vec<String>, Vec<String>)>,
    ciphers: BTreeSet<String>,
    modes: BTreeSet<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Freqs,
    Rates,
    Ciphers,
    Modes,
}

/// Parses `iw list` text: one [`IwPhy`] per `Wiphy NAME` header.
fn iw_phys(text: &str) -> Result<Vec<IwPhy>> {
    let mut phys: Vec<IwPhy> = Vec::new();
    let mut band: Option<u16> = None;
    let mut section = Section::None;
    for line in text.lines() {
        let tabs = line.len() - line.trim_start_matches('\t').len();
        let body = line.trim_start_matches('\t');
        if tabs == 0 {
            if let Some(name) = body.strip_prefix("Wiphy ") {
                phys.push(IwPhy {
                    name: name.trim().to_string(),
                    ..IwPhy::default()
                });
                band = None;
                section = Section::None;
            }
            continue;
        }
        let Some(phy) = phys.last_mut() else { continue };
        match tabs {
            1 => {
                section = Section::None;
                band = None;
                if let Some(i) = body.strip_prefix("wiphy index: ") {
                    phy.index = Some(i.trim().parse()?);
                } else if let Some(n) = body.strip_prefix("Band ") {
                    let n: u16 = n.trim_end_matches(':').parse()?;
                    phy.bands.entry(n).or_default();
                    band = Some(n);
                } else if body.starts_with("Supported Ciphers") {
                    section = Section::Ciphers;
                } else if body.starts_with("Supported interface modes") {
                    section = Section::Modes;
                }
            }
            2 => {
                section = match (band, body) {
                    (Some(_), "Frequencies:") => Section::Freqs,
                    (Some(_), "Bitrates (non-HT):") => Section::Rates,
                    _ => match (section, body.strip_prefix("* "), body.strip_prefix(" * ")) {
                        (Section::Ciphers, Some(c), _) => {
                            phy.ciphers.insert(c.to_string());
                            Section::Ciphers
                        }
                        (Section::Modes, _, Some(m)) => {
                            phy.modes.insert(m.to_string());
                            Section::Modes
                        }
                        _ => Section::None,
                    },
                };
            }
            3 => {
                let (Some(b), Some(item)) = (band, body.strip_prefix("* ")) else {
                    continue;
                };
                let entry = phy.bands.entry(b).or_default();
                match section {
                    Section::Freqs => entry.0.push(item.to_string()),
                    Section::Rates => entry.1.push(item.to_string()),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(phys)
}

/// Whether a band is left out of the comparison: S1G channels have kHz
/// offsets, which iw 5.19 prints without, and numbers of their own.
fn left_out(b: &Band) -> bool {
    b.id == BandId::BandS1Ghz || b.channels.iter().any(|c| c.offset_khz != 0)
}

/// The same parts of a wiphy as read by the library, in iw's words
/// (bands [`left_out`] on both sides).
fn our_phy(p: &Phy) -> IwPhy {
    let mut bands = BTreeMap::new();
    for b in &p.bands {
        if left_out(b) {
            continue;
        }
        let n = u16::from(b.id).saturating_add(1);
        bands.insert(
            n,
            (
                b.channels.iter().map(ToString::to_string).collect(),
                b.rates.iter().map(ToString::to_string).collect(),
            ),
        );
    }
    IwPhy {
        name: p.name.clone(),
        index: Some(p.index),
        bands,
        ciphers: p
            .cipher_suites
            .iter()
            .map(|c| netlink::nl80211::cipher_name(*c))
            .collect(),
        modes: p.interface_types.iter().map(ToString::to_string).collect(),
    }
}

/// iw's view without the bands we leave out (see [`our_phy`]).
fn comparable(mut iw: IwPhy, ours: &Phy) -> IwPhy {
    for b in &ours.bands {
        if left_out(b) {
            iw.bands.remove(&u16::from(b.id).saturating_add(1));
        }
    }
    iw
}

/// An interface as `iw dev` / `iw dev DEV info` prints it.
#[derive(Debug, Default, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct IwIface {
    name: String,
    ifindex: Option<u32>,
    wdev: Option<String>,
    addr: Option<String>,
    iftype: Option<String>,
    phy: Option<u32>,
}

/// Parses `iw dev` (interfaces under `phy#N` headers) or `iw dev DEV
/// info` (one interface with a `wiphy N` line).
fn iw_ifaces(text: &str) -> Result<Vec<IwIface>> {
    let mut out: Vec<IwIface> = Vec::new();
    let mut phy = None;
    for line in text.lines() {
        let body = line.trim();
        if let Some(n) = body.strip_prefix("phy#") {
            phy = Some(n.parse()?);
        } else if let Some(name) = body.strip_prefix("Interface ") {
            out.push(IwIface {
                name: name.to_string(),
                phy,
                ..IwIface::default()
            });
        } else if let Some(i) = out.last_mut() {
            if let Some(v) = body.strip_prefix("ifindex ") {
                i.ifindex = Some(v.parse()?);
            } else if let Some(v) = body.strip_prefix("wdev ") {
                i.wdev = Some(v.to_string());
            } else if let Some(v) = body.strip_prefix("addr ") {
                i.addr = Some(v.to_string());
            } else if let Some(v) = body.strip_prefix("type ") {
                i.iftype = Some(v.to_string());
            } else if let Some(v) = body.strip_prefix("wiphy ") {
                i.phy = Some(v.parse()?);
            }
        }
    }
    Ok(out)
}

/// An interface read by the library, as iw prints it.
fn our_iface(i: &Interface) -> IwIface {
    IwIface {
        name: i.name.clone().unwrap_or_default(),
        ifindex: i.ifindex,
        wdev: Some(format!("0x{:x}", i.wdev)),
        addr: i.mac.map(|m| m.to_string()),
        iftype: Some(i.iftype.to_string()),
        phy: Some(i.phy),
    }
}

/// `iw dev` and the library's interface list agree, both ways.
fn same_interfaces(ns: &Netns, h: &Handle) -> Result<Vec<Interface>> {
    settled(|| {
        let ours = h.wifi_interface_list()?;
        let mut a: Vec<IwIface> = ours.iter().map(our_iface).collect();
        let mut b = iw_ifaces(&ns.cmd("iw", ["dev"])?)?;
        a.sort();
        b.sort();
        ensure!(a == b, "library {a:#?}\niw dev {b:#?}");
        Ok(ours)
    })
}

/// `iw dev NAME info` shows the interface the library read.
fn iw_shows(ns: &Netns, i: &Interface) -> Result<()> {
    let name = i.name.clone().context("interface without a name")?;
    let iw = iw_ifaces(&ns.cmd("iw", ["dev", &name, "info"])?)?;
    ensure!(iw == [our_iface(i)], "iw {iw:#?}\nlibrary {i:#?}");
    Ok(())
}

#[test]
fn wiphy_matches_iw() {
    in_netns("wiphy_matches_iw", |ns| {
        need_hwsim()?;
        let h = Handle::new()?;
        let radio = Radio::new(&h, "p")?;
        let phy = radio.phy()?;
        // A fresh namespace holds our radio only.
        let all = h.wifi_phy_list()?;
        ensure!(all.len() == 1, "{all:#?}");
        ensure!(h.wifi_phy_get(phy.index)?.name == radio.name);
        ensure!(!phy.bands.is_empty() && !phy.cipher_suites.is_empty());
        ensure!(phy.interface_types.contains(&InterfaceType::Station));
        ensure!(phy.interface_types.contains(&InterfaceType::MeshPoint));
        let band = phy.band(BandId::Band2Ghz).context("no 2.4 GHz band")?;
        ensure!(
            band.channels
                .iter()
                .any(|c| c.freq == 2412 && c.number() == 1)
        );
        ensure!(band.rates.iter().any(|r| r.rate == 10), "{:?}", band.rates);
        settled(|| {
            let phy = radio.phy()?;
            let listed = iw_phys(&ns.cmd("iw", ["list"])?)?;
            let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
            ensure!(names == [radio.name.as_str()], "iw list: {names:?}");
            let target = format!("phy#{}", phy.index);
            let info = iw_phys(&ns.cmd("iw", [target.as_str(), "info"])?)?;
            let [iw] = <[IwPhy; 1]>::try_from(info).map_err(|v| anyhow::anyhow!("{v:#?}"))?;
            let iw = comparable(iw, &phy);
            let ours = our_phy(&phy);
            ensure!(iw == ours, "iw {iw:#?}\nlibrary {ours:#?}");
            // iw list's wiphy is the same one.
            ensure!(comparable(listed[0].clone(), &phy) == ours);
            Ok(())
        })?;
        // Unknown wiphy: not found, not an empty answer taken for one.
        ensure!(h.wifi_phy_get(phy.index + 1000).is_err());
        Ok(())
    });
}

#[test]
fn interfaces_match_iw_both_ways() {
    in_netns("interfaces_match_iw_both_ways", |ns| {
        need_hwsim()?;
        let h = Handle::new()?;
        let radio = Radio::new(&h, "i")?;
        let phy = radio.phy()?;
        ensure!(same_interfaces(ns, &h)?.is_empty());

        // Added by us: iw shows it.
        let new = NewInterface::new(phy.index, "wlnt0", InterfaceType::Station);
        let added = h.wifi_interface_add(&new)?;
        ensure!(added.name.as_deref() == Some("wlnt0"));
        ensure!(added.iftype == InterfaceType::Station && added.phy == phy.index);
        let ifindex = added.ifindex.context("no ifindex")?;
        ensure!(ns.ip_json(["link", "show", "wlnt0"])?[0]["ifindex"] == ifindex);
        let got = h.wifi_interface_get("wlnt0")?;
        ensure!(got.ifindex == Some(ifindex) && got.wdev == added.wdev);
        ensure!(h.wifi_interface_get(ifindex)? == got);
        iw_shows(ns, &got)?;

        // Added by iw: we read it.
        let target = format!("phy#{}", phy.index);
        ns.cmd(
            "iw",
            [target.as_str(), "interface", "add", "wlnt1", "type", "ibss"],
        )?;
        let by_iw = h.wifi_interface_get("wlnt1")?;
        ensure!(by_iw.iftype == InterfaceType::Adhoc, "{by_iw:?}");
        iw_shows(ns, &by_iw)?;
        let list = same_interfaces(ns, &h)?;
        ensure!(list.len() == 2, "{list:#?}");

        // Retyped by us, then by iw.
        h.wifi_interface_set_type("wlnt0", InterfaceType::Adhoc)?;
        let retyped = h.wifi_interface_get("wlnt0")?;
        ensure!(retyped.iftype == InterfaceType::Adhoc);
        iw_shows(ns, &retyped)?;
        ns.cmd("iw", ["dev", "wlnt1", "set", "type", "managed"])?;
        ensure!(h.wifi_interface_get("wlnt1")?.iftype == InterfaceType::Station);
        same_interfaces(ns, &h)?;

        // No stations on interfaces that joined nothing: both say so.
        ensure!(h.wifi_station_list("wlnt1")?.is_empty());
        ensure!(
            ns.cmd("iw", ["dev", "wlnt1", "station", "dump"])?
                .trim()
                .is_empty()
        );

        // Deleted by us, then by iw.
        h.wifi_interface_del("wlnt0")?;
        ensure!(h.wifi_interface_get(ifindex).is_err());
        ns.cmd("iw", ["dev", "wlnt1", "del"])?;
        ensure!(same_interfaces(ns, &h)?.is_empty());
        // A name the kernel would refuse is refused before sending.
        let bad = NewInterface::new(phy.index, "a/b", InterfaceType::Station);
        ensure!(h.wifi_interface_add(&bad).is_err());
        Ok(())
    });
}

/// `iw event` running beside a test, its lines read on a thread of their
/// own.
struct IwEvent {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

/// Starts `iw event` and waits until it has joined nl80211's groups: a
/// probe interface is added and deleted on `phy` until iw prints its
/// deletion (emulated guests take their time), then what iw printed so
/// far is dropped. Stop it with [`stop_iw_event`]; iw flushes its output
/// after each event.
fn start_iw_event(ns: &Netns, h: &Handle, phy: u32) -> Result<IwEvent> {
    // A missing iw skips here, naming its package.
    ns.cmd("iw", ["--version"])?;
    let mut child = Command::new("iw")
        .arg("event")
        .stdout(Stdio::piped())
        .spawn()
        .context("iw event")?;
    let stdout = child.stdout.take().context("stdout")?;
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let iw = IwEvent { child, lines };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        ensure!(
            Instant::now() < deadline,
            "iw event printed nothing in 30 s"
        );
        let probe = NewInterface::new(phy, "wlprobe", InterfaceType::Station);
        let ifindex = h.wifi_interface_add(&probe)?.ifindex.context("ifindex")?;
        h.wifi_interface_del(ifindex)?;
        let mut joined = false;
        while let Ok(line) = iw.lines.recv_timeout(Duration::from_millis(300)) {
            joined |= line.contains("del interface");
        }
        if joined {
            return Ok(iw);
        }
    }
}

/// What `iw event` printed since it joined, once it printed a deletion of
/// an interface (the last event of a test) or 10 s passed.
fn stop_iw_event(mut iw: IwEvent) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while Instant::now() < deadline {
        match iw.lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let last = line.contains("del interface");
                text.push_str(&line);
                text.push('\n');
                if last {
                    break;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    iw.child.kill()?;
    iw.child.wait()?;
    Ok(text)
}

/// Every interface event of ours is a line of `iw event` (after its
/// `DEV (phy #N): ` prefix, which names the device only while it
/// exists), and every interface line of iw's is one of ours.
fn events_match_iw(events: &[WifiEvent], text: &str) -> Result<()> {
    let ours: Vec<String> = events.iter().map(ToString::to_string).collect();
    for e in &ours {
        ensure!(
            text.lines().any(|l| l.ends_with(&format!(": {e}"))),
            "{e:?} not in iw event's\n{text}"
        );
    }
    for line in text.lines().filter(|l| l.contains(" interface type ")) {
        ensure!(
            ours.iter().any(|e| line.ends_with(&format!(": {e}"))),
            "iw event's {line:?} not among ours {ours:#?}"
        );
    }
    Ok(())
}

#[test]
fn config_events_match_iw_event() {
    in_netns("config_events_match_iw_event", |ns| {
        need_hwsim()?;
        let h = Handle::new()?;
        let radio = Radio::new(&h, "e")?;
        let phy = radio.phy()?;
        let iw = start_iw_event(ns, &h, phy.index)?;
        // After iw's probes: the first event is ours.
        let mut sub = h.genl_subscribe(FAMILY, &[CONFIG_GROUP])?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        let new = NewInterface::new(phy.index, "wlnt2", InterfaceType::Station);
        let ifindex = h.wifi_interface_add(&new)?.ifindex.context("ifindex")?;
        h.wifi_interface_set_type(ifindex, InterfaceType::MeshPoint)?;
        h.wifi_interface_del(ifindex)?;
        let mut events = Vec::new();
        while !events
            .iter()
            .any(|e| matches!(e, WifiEvent::DelInterface(i) if i.ifindex == Some(ifindex)))
        {
            events.push(WifiEvent::parse(&sub.next()?.msg()?)?);
        }
        let text = stop_iw_event(iw)?;
        let WifiEvent::NewInterface(first) = &events[0] else {
            bail!("first event {:?}", events[0]);
        };
        ensure!(first.ifindex == Some(ifindex) && first.name.as_deref() == Some("wlnt2"));
        ensure!(first.iftype == InterfaceType::Station && first.phy == phy.index);
        ensure!(
            events.iter().all(|e| e.ifindex() == Some(ifindex)),
            "{events:#?}"
        );
        ensure!(events[0].to_string() == "new interface type station use 4addr 0");
        events_match_iw(&events, &text)
    });
}

/// Adds a mesh point `name` on `phy`, brings it up and joins mesh
/// `nltmesh` on channel 1 (the kernel's own peering: open mesh).
fn mesh_point(ns: &Netns, h: &Handle, phy: u32, name: &str) -> Result<u32> {
    let new = NewInterface::new(phy, name, InterfaceType::MeshPoint);
    let i = h.wifi_interface_add(&new)?;
    ns.ip(["link", "set", name, "up"])?;
    ns.cmd(
        "iw",
        ["dev", name, "mesh", "join", "nltmesh", "freq", "2412"],
    )?;
    i.ifindex.context("mesh point without ifindex")
}

/// `iw dev DEV station dump`: each station's MAC and mesh plink state.
fn iw_stations(text: &str) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    let mut cur = None;
    for line in text.lines() {
        let body = line.trim();
        if let Some(rest) = body.strip_prefix("Station ") {
            let mac = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            out.insert(mac.clone(), None);
            cur = Some(mac);
        } else if let (Some(mac), Some(state)) = (&cur, body.strip_prefix("mesh plink:")) {
            out.insert(mac.clone(), Some(state.trim().to_string()));
        }
    }
    out
}

#[test]
fn mesh_peers_are_stations_as_iw_shows() {
    in_netns("mesh_peers_are_stations_as_iw_shows", |ns| {
        need_hwsim()?;
        let h = Handle::new()?;
        let a = Radio::new(&h, "ma")?;
        let b = Radio::new(&h, "mb")?;
        let (pa, pb) = (a.phy()?, b.phy()?);
        mesh_point(ns, &h, pa.index, "mesh0")?;
        let mb = mesh_point(ns, &h, pb.index, "mesh1")?;
        let peer_mac = h.wifi_interface_get(mb)?.mac.context("mesh1 MAC")?;
        // Beacons every ~1 s: peering takes a few.
        let deadline = Instant::now() + Duration::from_secs(20);
        let stations = loop {
            let s = h.wifi_station_list("mesh0")?;
            if s.iter().any(|s| s.plink_state == Some(PlinkState::Estab)) {
                break s;
            }
            ensure!(Instant::now() < deadline, "no established peer: {s:#?}");
            std::thread::sleep(Duration::from_millis(200));
        };
        ensure!(stations.len() == 1, "{stations:#?}");
        let st = &stations[0];
        ensure!(st.mac == Some(peer_mac), "{st:#?}");
        ensure!(
            st.rx_packets.is_some() && st.inactive_ms.is_some(),
            "{st:#?}"
        );
        ensure!(st.llid.is_some() && st.plid.is_some(), "{st:#?}");
        let one = h.wifi_station_get("mesh0", peer_mac)?;
        ensure!(one.mac == Some(peer_mac) && one.plink_state == Some(PlinkState::Estab));
        settled(|| {
            let ours: BTreeMap<String, Option<String>> = h
                .wifi_station_list("mesh0")?
                .iter()
                .map(|s| {
                    (
                        s.mac.map(|m| m.to_string()).unwrap_or_default(),
                        s.plink_state.map(|p| p.to_string()),
                    )
                })
                .collect();
            let iw = iw_stations(&ns.cmd("iw", ["dev", "mesh0", "station", "dump"])?);
            ensure!(ours == iw, "library {ours:?}\niw {iw:?}");
            Ok(())
        })?;
        // A station that is not there: an error, not an empty station.
        let stranger = "02:00:5e:00:53:01".parse()?;
        ensure!(h.wifi_station_get("mesh0", stranger).is_err());
        Ok(())
    });
}

#[test]
fn async_nl80211() {
    in_netns("async_nl80211", |ns| {
        need_hwsim()?;
        // Radios through the blocking handle (setup); everything else async.
        let setup = Handle::new()?;
        let radio = Radio::new(&setup, "a")?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let phys = h.wifi_phy_list().await?;
            ensure!(phys.len() == 1 && phys[0].name == radio.name, "{phys:#?}");
            let phy = h.wifi_phy_get(phys[0].index).await?;
            ensure!(phy.name == phys[0].name && phy.bands.len() == phys[0].bands.len());
            let target = format!("phy#{}", phy.index);
            let info = iw_phys(&ns.cmd("iw", [target.as_str(), "info"])?)?;
            ensure!(info.len() == 1 && info[0].index == Some(phy.index));
            ensure!(comparable(info[0].clone(), &phy).ciphers == our_phy(&phy).ciphers);

            let mut sub = h.genl_subscribe(FAMILY, &[CONFIG_GROUP]).await?;
            let new = NewInterface::new(phy.index, "wlnt3", InterfaceType::Station);
            let added = h.wifi_interface_add(&new).await?;
            let ifindex = added.ifindex.context("ifindex")?;
            let ev = tokio::time::timeout(Duration::from_secs(5), sub.next())
                .await?
                .context("subscription ended")??;
            let ev = WifiEvent::parse(&ev.msg()?)?;
            ensure!(
                matches!(&ev, WifiEvent::NewInterface(i) if i.ifindex == Some(ifindex)),
                "{ev:?}"
            );
            let got = h.wifi_interface_get("wlnt3").await?;
            iw_shows(ns, &got)?;
            let list = h.wifi_interface_list().await?;
            ensure!(list == [got.clone()], "{list:#?}");
            h.wifi_interface_set_type(ifindex, InterfaceType::Adhoc)
                .await?;
            let iw = iw_ifaces(&ns.cmd("iw", ["dev", "wlnt3", "info"])?)?;
            ensure!(
                iw.len() == 1 && iw[0].iftype.as_deref() == Some("IBSS"),
                "{iw:?}"
            );
            ensure!(h.wifi_station_list(ifindex).await?.is_empty());
            h.wifi_interface_del(ifindex).await?;
            ensure!(h.wifi_interface_list().await?.is_empty());
            ensure!(iw_ifaces(&ns.cmd("iw", ["dev"])?)?.is_empty());
            Ok(())
        })
    });
}

#[test]
fn iw_text_parsers() {
    // The parsers on iw 5.19's layout, so a wrong parse cannot make
    // both sides agree on nothing.
    let list = "Wiphy nlt1p\n\twiphy index: 3\n\tmax # scan SSIDs: 255\n\tBand 1:\n\t\tCapabilities: 0x107e\n\t\t\tHT20/HT40\n\t\tBitrates (non-HT):\n\t\t\t* 1.0 Mbps\n\t\t\t* 2.0 Mbps (short preamble supported)\n\t\tFrequencies:\n\t\t\t* 2412 MHz [1] (20.0 dBm)\n\t\t\t* 2484 MHz [14] (disabled)\n\t\t\t  DFS state: usable\n\tSupported Ciphers:\n\t\t* WEP40 (00-0f-ac:1)\n\t\t* CCMP-128 (00-0f-ac:4)\n\tSupported interface modes:\n\t\t * managed\n\t\t * mesh point\n\tsoftware interface modes (can always be added):\n\t\t * monitor\n";
    let phys = iw_phys(list).unwrap();
    assert_eq!(phys.len(), 1);
    let p = &phys[0];
    assert_eq!((p.name.as_str(), p.index), ("nlt1p", Some(3)));
    let band = &p.bands[&1];
    assert_eq!(
        band.0,
        ["2412 MHz [1] (20.0 dBm)", "2484 MHz [14] (disabled)"]
    );
    assert_eq!(band.1, ["1.0 Mbps", "2.0 Mbps (short preamble supported)"]);
    assert_eq!(p.ciphers.len(), 2);
    assert!(p.modes.contains("mesh point") && !p.modes.contains("monitor"));

    let dev = "phy#3\n\tInterface wlnt0\n\t\tifindex 7\n\t\twdev 0x300000001\n\t\taddr 02:00:00:00:03:00\n\t\ttype managed\n\t\ttxpower 20.00 dBm\n";
    let ifaces = iw_ifaces(dev).unwrap();
    assert_eq!(
        ifaces,
        [IwIface {
            name: "wlnt0".into(),
            ifindex: Some(7),
            wdev: Some("0x300000001".into()),
            addr: Some("02:00:00:00:03:00".into()),
            iftype: Some("managed".into()),
            phy: Some(3),
        }]
    );
    let dump =
        "Station 42:00:00:00:04:00 (on mesh0)\n\tinactive time:\t100 ms\n\tmesh plink:\tESTAB\n";
    let st = iw_stations(dump);
    assert_eq!(st["42:00:00:00:04:00"].as_deref(), Some("ESTAB"));
}
