// ethtool over generic netlink (feature `ethtool`): `ethtool DEV`, `-k/-K`,
// `-g/-G`, `-l/-L`, `-c/-C`, `-a/-A`, `--show-eee/--set-eee`, `-S --groups`.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::ethtool::{
    self as et, Channels, Coalesce, Dev, Eee, FeatureChanges, Features, LinkInfo, LinkModes,
    LinkState, Pause, Reply, Rings, Stats, StringSet,
};
use nl_genl::uapi::ethtool::ETH_SS_FEATURES;
use nl_genl::uapi::ethtool_netlink::{ETHTOOL_FLAG_COMPACT_BITSETS, ETHTOOL_FLAG_STATS};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

/// The error for a request the kernel acked without the reply it owes.
fn no_reply(what: &'static str) -> Error {
    Error::Genl(nl_genl::Error::Unexpected {
        what,
        msg_type: 0,
    })
}

impl H {
    call! {
        /// Reads one ethtool object of `dev` (any [`Reply`] type: the
        /// calls below name each), with request `flags`
        /// (`ETHTOOL_FLAG_COMPACT_BITSETS`, `ETHTOOL_FLAG_STATS`).
        pub fn ethtool_get<T: Reply>(&self, dev: impl Into<Dev>, flags: u32) -> Result<T> {
            let dev = dev.into();
            let fam = run!(self.genl_family_get(et::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(T::write_get(fam.id, Some(&dev), flags, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(T::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("ethtool {} of {dev}", T::WHAT)))?;
            out.ok_or_else(|| no_reply("an ethtool reply (the kernel acked without one)"))
        }
    }

    call! {
        /// One ethtool object of every device that has it (a dump; devices
        /// whose driver lacks it are left out).
        pub fn ethtool_dump<T: Reply>(&self, flags: u32) -> Result<Vec<T>> {
            let fam = run!(self.genl_family_get(et::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(T::write_get(fam.id, None, flags, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(T::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
            .map_err(|e| e.about(format_args!("ethtool {} of every device", T::WHAT)))
        }
    }

    call! {
        /// Sends an ethtool set request that `write` puts for family id
        /// `id`, and reads the reply if the kernel sends one.
        fn ethtool_set_with<T>(
            &self,
            dev: &Dev,
            what: &str,
            write: impl FnOnce(u16, &mut Vec<u8>) -> nl_genl::Result<()>,
            parse: impl Fn(&GenlMsg<'_>) -> nl_genl::Result<T>,
        ) -> Result<Option<T>> {
            let fam = run!(self.genl_family_get(et::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(write(fam.id, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("ethtool: setting {what} of {dev}")))?;
            Ok(out)
        }
    }

    call! {
        /// Port, PHY address, transceiver and MDI-X of `dev` (`ethtool DEV`;
        /// mdlayher/ethtool's `LinkInfo`).
        pub fn ethtool_link_info(&self, dev: impl Into<Dev>) -> Result<LinkInfo> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Autonegotiation, speed, duplex and link modes of `dev`
        /// (`ethtool DEV`; mdlayher/ethtool's `LinkMode`). The mode bitsets
        /// come verbose, each bit named (`"10000baseT/Full"`).
        pub fn ethtool_link_modes(&self, dev: impl Into<Dev>) -> Result<LinkModes> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Whether `dev` has a link, and why not (`ethtool DEV`'s `Link
        /// detected:`; mdlayher/ethtool's `LinkState`).
        pub fn ethtool_link_state(&self, dev: impl Into<Dev>) -> Result<LinkState> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// The features of `dev` (`ethtool -k`), every bit named from the
        /// device's feature string set: [`Features::iter`] and
        /// [`Features::get`] read like `ethtool -k`'s lines.
        pub fn ethtool_features(&self, dev: impl Into<Dev>) -> Result<Features> {
            let dev = dev.into();
            let mut f: Features = run!(self.ethtool_get(dev.clone(), ETHTOOL_FLAG_COMPACT_BITSETS))?;
            let sets = run!(self.ethtool_strings(Some(dev), &[ETH_SS_FEATURES]))?;
            if let Some(names) = sets.iter().find(|s| s.id == ETH_SS_FEATURES) {
                f.set_names(names);
            }
            Ok(f)
        }
    }

    call! {
        /// Turns features of `dev` on or off by name (`ethtool -K DEV
        /// rx-gro off ...`; the names of `ethtool -k`'s lines, not its
        /// legacy short words). The answer says which changed and which
        /// the device would not take: a feature it cannot change is not
        /// an error, as with `ethtool -K` ("Could not change any device
        /// features").
        pub fn ethtool_set_features(
            &self,
            dev: impl Into<Dev>,
            changes: &[(&str, bool)],
        ) -> Result<FeatureChanges> {
            let dev = dev.into();
            let reply = run!(self.ethtool_set_with(
                &dev,
                "features",
                |id, b| Features::write_set(id, &dev, changes, b),
                FeatureChanges::parse,
            ))?;
            Ok(reply.unwrap_or_default())
        }
    }

    call! {
        /// Ring sizes of `dev` (`ethtool -g`).
        pub fn ethtool_rings(&self, dev: impl Into<Dev>) -> Result<Rings> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Changes the ring sizes of `dev` that are `Some` in `rings`
        /// (`ethtool -G`).
        pub fn ethtool_set_rings(&self, dev: impl Into<Dev>, rings: &Rings) -> Result<()> {
            let dev = dev.into();
            run!(self.ethtool_set_with(&dev, "ring sizes", |id, b| rings.write_set(id, &dev, b), |_| Ok(())))
                .map(drop)
        }
    }

    call! {
        /// Channel counts of `dev` (`ethtool -l`).
        pub fn ethtool_channels(&self, dev: impl Into<Dev>) -> Result<Channels> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Changes the channel counts of `dev` that are `Some` in
        /// `channels` (`ethtool -L`).
        ///
        /// ```no_run
        /// use netlink::ethtool::{Channels, EthtoolEvent, FAMILY, MONITOR_GROUP};
        /// let h = netlink::Handle::new()?;
        /// let mut sub = h.genl_subscribe(FAMILY, &[MONITOR_GROUP])?; // ethtool --monitor
        /// h.ethtool_set_channels("eth0", &Channels { rx_count: Some(2), ..Channels::default() })?;
        /// if let EthtoolEvent::Channels(c) = EthtoolEvent::parse(&sub.next()?.msg()?)? {
        ///     println!("{}: {c}", c.header.name);
        /// }
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn ethtool_set_channels(&self, dev: impl Into<Dev>, channels: &Channels) -> Result<()> {
            let dev = dev.into();
            run!(self.ethtool_set_with(&dev, "channel counts", |id, b| channels.write_set(id, &dev, b), |_| Ok(())))
                .map(drop)
        }
    }

    call! {
        /// Interrupt coalescing of `dev` (`ethtool -c`).
        pub fn ethtool_coalesce(&self, dev: impl Into<Dev>) -> Result<Coalesce> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Changes the coalescing parameters of `dev` that are `Some` in
        /// `coalesce` (`ethtool -C`); the kernel refuses one the driver
        /// does not support.
        pub fn ethtool_set_coalesce(&self, dev: impl Into<Dev>, coalesce: &Coalesce) -> Result<()> {
            let dev = dev.into();
            run!(self.ethtool_set_with(&dev, "coalescing", |id, b| coalesce.write_set(id, &dev, b), |_| Ok(())))
                .map(drop)
        }
    }

    call! {
        /// Pause frame use of `dev`, with counters where the driver has
        /// them (`ethtool -I -a`).
        pub fn ethtool_pause(&self, dev: impl Into<Dev>) -> Result<Pause> {
            run!(self.ethtool_get(dev, ETHTOOL_FLAG_STATS))
        }
    }

    call! {
        /// Changes pause frame use of `dev` (`ethtool -A`): autoneg, rx, tx
        /// where `Some`.
        pub fn ethtool_set_pause(&self, dev: impl Into<Dev>, pause: &Pause) -> Result<()> {
            let dev = dev.into();
            run!(self.ethtool_set_with(&dev, "pause parameters", |id, b| pause.write_set(id, &dev, b), |_| Ok(())))
                .map(drop)
        }
    }

    call! {
        /// Energy-Efficient Ethernet of `dev` (`ethtool --show-eee`); the
        /// mode bitsets come verbose, named.
        pub fn ethtool_eee(&self, dev: impl Into<Dev>) -> Result<Eee> {
            run!(self.ethtool_get(dev, 0))
        }
    }

    call! {
        /// Changes EEE of `dev` (`ethtool --set-eee`) where `Some`.
        pub fn ethtool_set_eee(&self, dev: impl Into<Dev>, eee: &Eee) -> Result<()> {
            let dev = dev.into();
            run!(self.ethtool_set_with(&dev, "EEE parameters", |id, b| eee.write_set(id, &dev, b), |_| Ok(())))
                .map(drop)
        }
    }

    call! {
        /// String sets (`ETH_SS_*`; all when `ids` is empty) of `dev`, or
        /// the global ones (link mode, feature and statistics names) when
        /// `dev` is `None`.
        pub fn ethtool_strings(&self, dev: Option<Dev>, ids: &[u32]) -> Result<Vec<StringSet>> {
            let fam = run!(self.genl_family_get(et::FAMILY))?;
            let mut sets = Vec::new();
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(StringSet::write_get(fam.id, dev.as_ref(), ids, false, b)?),
                |m| {
                    if m.ty() == fam.id {
                        sets.extend(StringSet::parse_all(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| match &dev {
                Some(d) => e.about(format_args!("ethtool string sets of {d}")),
                None => e.about("ethtool string sets"),
            })?;
            Ok(sets)
        }
    }

    call! {
        /// Standard statistics of `dev` (`ethtool -S DEV --groups ...`) in
        /// the named groups ([`et::STATS_GROUPS`]: `"eth-phy"`, `"eth-mac"`,
        /// `"eth-ctrl"`, `"rmon"`, `"phydev"`); groups the driver does not
        /// fill are absent. Name counters with the string sets (`ethtool_strings`) of
        /// each group's `string_set`.
        pub fn ethtool_stats(&self, dev: impl Into<Dev>, groups: &[&str]) -> Result<Stats> {
            let dev = dev.into();
            let fam = run!(self.genl_family_get(et::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Stats::write_get(fam.id, &dev, groups, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Stats::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("ethtool statistics of {dev}")))?;
            out.ok_or_else(|| no_reply("an ethtool statistics reply"))
        }
    }
}
