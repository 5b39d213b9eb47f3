// The MPTCP path manager over generic netlink (feature `mptcp`):
// `ip mptcp endpoint add|delete|change|show|flush`, `ip mptcp limits`.
// Events: `genl_subscribe(mptcp::FAMILY, &[mptcp::EVENTS_GROUP])`, read
// with `MptcpEvent::parse`. Shared by both handles: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::mptcp::{self as mp, Endpoint, EndpointFlags, Limits};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

impl H {
    call! {
        /// Adds a path-manager endpoint (`ip mptcp endpoint add ADDR [port
        /// P] [dev D] [id I] FLAGS`); id 0 lets the kernel choose.
        ///
        /// ```no_run
        /// use netlink::mptcp::{Endpoint, EndpointFlags, MptcpEvent, EVENTS_GROUP, FAMILY};
        /// let h = netlink::Handle::new()?;
        /// let flags = EndpointFlags::SIGNAL | EndpointFlags::BACKUP;
        /// h.mptcp_endpoint_add(&Endpoint { id: 3, ..Endpoint::new("192.0.2.1".parse()?, flags) })?;
        /// let mut sub = h.genl_subscribe(FAMILY, &[EVENTS_GROUP])?; // ip mptcp monitor
        /// println!("{}", MptcpEvent::parse(&sub.next()?.msg()?)?);
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn mptcp_endpoint_add(&self, endpoint: &Endpoint) -> Result<()> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(endpoint.write_add(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("mptcp endpoint {endpoint}")))?;
            Ok(())
        }
    }

    call! {
        /// Deletes endpoint `id` (`ip mptcp endpoint delete id ID`).
        pub fn mptcp_endpoint_del(&self, id: u8) -> Result<()> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Endpoint::write_del(fam.id, id, None, b)?)))
                .map_err(|e| e.about(format_args!("mptcp endpoint id {id}")))?;
            Ok(())
        }
    }

    call! {
        /// Endpoint `id` (`ip mptcp endpoint show id ID`).
        pub fn mptcp_endpoint_get(&self, id: u8) -> Result<Endpoint> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Endpoint::write_get(fam.id, id, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Endpoint::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))
            .map_err(|e| e.about(format_args!("mptcp endpoint id {id}")))?;
            out.ok_or_else(|| Error::not_found(format!("mptcp endpoint id {id}"), None))
        }
    }

    call! {
        /// Every endpoint (`ip mptcp endpoint show`).
        pub fn mptcp_endpoint_list(&self) -> Result<Vec<Endpoint>> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Endpoint::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Endpoint::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }

    call! {
        /// Deletes every endpoint (`ip mptcp endpoint flush`).
        pub fn mptcp_endpoint_flush(&self) -> Result<()> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Endpoint::write_flush(fam.id, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// Gives endpoint `id` the flags `flags` (`ip mptcp endpoint change
        /// id ID [no]backup [no]fullmesh`): the kernel changes backup and
        /// fullmesh only.
        pub fn mptcp_endpoint_change(&self, id: u8, flags: EndpointFlags) -> Result<()> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(Endpoint::write_change(fam.id, id, flags, b)?)))
                .map_err(|e| e.about(format_args!("mptcp endpoint id {id}")))?;
            Ok(())
        }
    }

    call! {
        /// The path manager's limits (`ip mptcp limits show`).
        pub fn mptcp_limits(&self) -> Result<Limits> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            let mut out = None;
            run!(self.do_exchange(
                GENERIC,
                |b| Ok(Limits::write_get(fam.id, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Limits::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ))?;
            out.ok_or(Error::Genl(nl_genl::Error::Unexpected {
                what: "an mptcp limits reply (the kernel acked without one)",
                msg_type: fam.id,
            }))
        }
    }

    call! {
        /// Sets the limits that are `Some` (`ip mptcp limits set
        /// [add_addr_accepted N] [subflows N]`).
        pub fn mptcp_set_limits(&self, limits: Limits) -> Result<()> {
            let fam = run!(self.genl_family_get(mp::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(limits.write_set(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("mptcp limits {limits}")))?;
            Ok(())
        }
    }
}
