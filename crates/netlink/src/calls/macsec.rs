// MACsec channels and associations over generic netlink (feature
// `macsec`): `ip macsec add|set|del|show|offload`. The macsec link itself
// is a link kind (`LinkKind::Macsec`). Requests that carry a key are
// built in a buffer of their own, zeroed once sent.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::macsec::{self as ms, MacsecDevice, Offload, RxScConfig, SaConfig, Sci};
use nl_route::link::LinkId;
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

/// Room for any macsec request, so writing one never reallocates (which
/// would leave a copy of the key behind).
const SECRET_REQUEST: usize = 512;

impl H {
    call! {
        /// Sends the request `write` builds in a buffer of its own, zeroed
        /// afterwards whatever happened: the request holds a key.
        fn macsec_secret_request(
            &self,
            write: impl FnOnce(&mut Vec<u8>) -> nl_genl::Result<()>,
        ) -> Result<()> {
            let mut buf = Vec::with_capacity(SECRET_REQUEST);
            let sent = match write(&mut buf) {
                Ok(()) => run!(self.do_raw_request(GENERIC, &mut buf)).map(drop),
                Err(e) => Err(e.into()),
            };
            buf.fill(0);
            // Keeps the zeroing from being optimized away as a dead store.
            core::hint::black_box(&buf);
            sent
        }
    }

    call! {
        /// Every macsec link's SecY, channels and associations (`ip macsec
        /// show`). Keys are never reported, only their ids.
        ///
        /// ```no_run
        /// use netlink::macsec::{Key, KeyId, RxScConfig, SaConfig, Sci};
        /// use netlink::kind::Macsec;
        /// use netlink::{Link, LinkKind};
        /// let h = netlink::Handle::new()?;
        /// let eth0 = h.link_index("eth0")?;
        /// let link = h.link_add(&Link::new("macsec0").link(eth0).kind(LinkKind::Macsec(Macsec {
        ///     port: Some(1),
        ///     encrypt: Some(true),
        ///     ..Macsec::default()
        /// })))?;
        /// let key = Key::from_hex("ad7cf13d86ec1f2d4a4a1f8d4e0f4c2b")?;
        /// h.macsec_txsa_add("macsec0", &SaConfig::new(0, 1, "01".parse()?, key.clone()))?;
        /// let peer: Sci = "5254001234570001".parse()?;
        /// h.macsec_rxsc_add("macsec0", &RxScConfig { sci: peer, active: Some(true) })?;
        /// h.macsec_rxsa_add("macsec0", peer, &SaConfig::new(0, 1, "02".parse()?, key))?;
        /// print!("{}", h.macsec_get(link.index)?);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn macsec_list(&self) -> Result<Vec<MacsecDevice>> {
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(MacsecDevice::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(MacsecDevice::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// One macsec link's state (`ip macsec show DEV`; the kernel dumps
        /// them all, this keeps `link`'s).
        pub fn macsec_get(&self, link: impl Into<LinkId>) -> Result<MacsecDevice> {
            let index = run!(self.link_index(link))?;
            let all = run!(self.macsec_list())?;
            all.into_iter()
                .find(|d| d.ifindex == index)
                .ok_or_else(|| Error::not_found(format!("macsec link {index}"), None))
        }
    }

    call! {
        /// Adds a receive channel to `link` (`ip macsec add DEV rx sci SCI [on|off]`).
        pub fn macsec_rxsc_add(&self, link: impl Into<LinkId>, sc: &RxScConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(sc.write_add(fam.id, index, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {}", sc.sci)))?;
            Ok(())
        }
    }

    call! {
        /// Turns a receive channel of `link` on or off (`ip macsec set DEV rx sci SCI on|off`).
        pub fn macsec_rxsc_set(&self, link: impl Into<LinkId>, sc: &RxScConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(sc.write_set(fam.id, index, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {}", sc.sci)))?;
            Ok(())
        }
    }

    call! {
        /// Deletes receive channel `sci` of `link` and its associations
        /// (`ip macsec del DEV rx sci SCI`).
        pub fn macsec_rxsc_del(&self, link: impl Into<LinkId>, sci: Sci) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(RxScConfig::write_del(fam.id, index, sci, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {sci}")))?;
            Ok(())
        }
    }

    call! {
        /// Adds a transmit association to `link` (`ip macsec add DEV tx sa
        /// AN pn PN on key ID KEY`).
        pub fn macsec_txsa_add(&self, link: impl Into<LinkId>, sa: &SaConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.macsec_secret_request(|b| sa.write_add_tx(fam.id, index, b)))
                .map_err(|e| e.about(format_args!("macsec link {index} tx sa {}", sa.an)))
        }
    }

    call! {
        /// Changes a transmit association of `link`: state, packet number
        /// (`ip macsec set DEV tx sa AN [pn PN] [on|off]`).
        pub fn macsec_txsa_set(&self, link: impl Into<LinkId>, sa: &SaConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(sa.write_set_tx(fam.id, index, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} tx sa {}", sa.an)))?;
            Ok(())
        }
    }

    call! {
        /// Deletes transmit association `an` of `link` (`ip macsec del DEV tx sa AN`).
        /// The kernel refuses an active one ([`ErrorKind::Busy`](crate::ErrorKind::Busy)):
        /// turn it off first.
        pub fn macsec_txsa_del(&self, link: impl Into<LinkId>, an: u8) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(SaConfig::write_del_tx(fam.id, index, an, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} tx sa {an}")))?;
            Ok(())
        }
    }

    call! {
        /// Adds a receive association to channel `sci` of `link` (`ip
        /// macsec add DEV rx sci SCI sa AN pn PN on key ID KEY`).
        pub fn macsec_rxsa_add(&self, link: impl Into<LinkId>, sci: Sci, sa: &SaConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.macsec_secret_request(|b| sa.write_add_rx(fam.id, index, sci, b)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {sci} sa {}", sa.an)))
        }
    }

    call! {
        /// Changes a receive association of channel `sci` of `link`
        /// (`ip macsec set DEV rx sci SCI sa AN [pn PN] [on|off]`).
        pub fn macsec_rxsa_set(&self, link: impl Into<LinkId>, sci: Sci, sa: &SaConfig) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(sa.write_set_rx(fam.id, index, sci, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {sci} sa {}", sa.an)))?;
            Ok(())
        }
    }

    call! {
        /// Deletes receive association `an` of channel `sci` of `link`
        /// (`ip macsec del DEV rx sci SCI sa AN`).
        pub fn macsec_rxsa_del(&self, link: impl Into<LinkId>, sci: Sci, an: u8) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(SaConfig::write_del_rx(fam.id, index, sci, an, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} rx sci {sci} sa {an}")))?;
            Ok(())
        }
    }

    call! {
        /// Moves `link`'s MACsec to software, the PHY or the MAC (`ip macsec
        /// offload DEV off|phy|mac`).
        pub fn macsec_offload_set(&self, link: impl Into<LinkId>, offload: Offload) -> Result<()> {
            let index = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(ms::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(offload.write_set(fam.id, index, b)?)))
                .map_err(|e| e.about(format_args!("macsec link {index} offload {}", offload.name())))?;
            Ok(())
        }
    }
}
