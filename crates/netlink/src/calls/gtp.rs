// GTP PDP contexts over generic netlink (feature `gtp`): the Go library's
// GTPPDPAdd, GTPPDPDel, GTPPDPList, GTPPDPByTID, GTPPDPByITEI,
// GTPPDPByMSAddress. The gtp link itself is a link kind (`LinkKind::Gtp`).
// Notifications: `genl_subscribe(gtp::FAMILY, &[gtp::GROUP])`, read with
// `Pdp::parse`. Shared by both handles: see calls.rs.

use std::net::IpAddr;

use nl_genl::GenlMsg;
use nl_genl::gtp::{self as gtp_genl, Pdp, PdpKey};
use nl_route::link::LinkId;
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

impl H {
    call! {
        /// Adds a PDP context to its gtp link (Go's `GTPPDPAdd`; `gtp-tunnel
        /// add`); one with the same ids on the link is an error.
        ///
        /// ```no_run
        /// use netlink::gtp::Pdp;
        /// use netlink::kind::{Gtp, GtpRole};
        /// use netlink::{Link, LinkKind};
        /// let h = netlink::Handle::new()?;
        /// let gtp = h.link_add(&Link::new("gtp0").kind(LinkKind::Gtp(Gtp::with_own_sockets(GtpRole::Ggsn))))?;
        /// let pdp = Pdp::v1(gtp.index, "198.51.100.1".parse()?, "192.0.2.10".parse()?, 100, 200);
        /// h.gtp_pdp_add(&pdp)?;
        /// assert_eq!(h.gtp_pdp_by_itei("gtp0", 100)?, pdp);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn gtp_pdp_add(&self, pdp: &Pdp) -> Result<()> {
            let fam = run!(self.genl_family_get(gtp_genl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(pdp.write_add(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("gtp pdp {pdp}")))?;
            Ok(())
        }
    }

    call! {
        /// Deletes the PDP context with `pdp`'s link, version and TID or
        /// input TEI (Go's `GTPPDPDel`).
        pub fn gtp_pdp_del(&self, pdp: &Pdp) -> Result<()> {
            let fam = run!(self.genl_family_get(gtp_genl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(pdp.write_del(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("gtp pdp {pdp}")))?;
            Ok(())
        }
    }

    call! {
        /// Every PDP context of the namespace's gtp links (Go's
        /// `GTPPDPList`; `gtp-tunnel list`).
        pub fn gtp_pdp_list(&self) -> Result<Vec<Pdp>> {
            let fam = run!(self.genl_family_get(gtp_genl::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Pdp::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Pdp::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// The PDP context of gtp link `link` that `key` names.
        pub fn gtp_pdp_get(&self, link: impl Into<LinkId>, key: PdpKey) -> Result<Pdp> {
            let link = run!(self.link_index(link))?;
            let fam = run!(self.genl_family_get(gtp_genl::FAMILY))?;
            let what = || format!("gtp pdp {key} on link {link}");
            let mut out = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(Pdp::write_get(fam.id, link, key, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Pdp::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            match asked {
                Err(e) if e.is_not_found() => Err(Error::not_found(what(), e.netlink().cloned())),
                Err(e) => Err(e.about(what())),
                Ok(_) => out.ok_or_else(|| Error::not_found(what(), None)),
            }
        }
    }

    call! {
        /// The GTPv0 context with tunnel id `tid` on `link` (Go's `GTPPDPByTID`).
        pub fn gtp_pdp_by_tid(&self, link: impl Into<LinkId>, tid: u64) -> Result<Pdp> {
            run!(self.gtp_pdp_get(link, PdpKey::Tid(tid)))
        }
    }

    call! {
        /// The GTPv1 context with input TEI `i_tei` on `link` (Go's `GTPPDPByITEI`).
        pub fn gtp_pdp_by_itei(&self, link: impl Into<LinkId>, i_tei: u32) -> Result<Pdp> {
            run!(self.gtp_pdp_get(link, PdpKey::ITei(i_tei)))
        }
    }

    call! {
        /// The context of mobile station `ms` on `link` (Go's `GTPPDPByMSAddress`).
        pub fn gtp_pdp_by_ms_address(&self, link: impl Into<LinkId>, ms: IpAddr) -> Result<Pdp> {
            run!(self.gtp_pdp_get(link, PdpKey::MsAddress(ms)))
        }
    }
}
