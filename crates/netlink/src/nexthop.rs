//! Nexthop object calls: `ip nexthop` in Rust.

use nl_route::uapi::rtnetlink::RTM_NEWNEXTHOP;
use nl_route::{Nexthop, NexthopDump};

use crate::error::{Error, Result};
use crate::handle::Handle;

impl Handle {
    /// Every nexthop object (`ip nexthop show`).
    pub fn nexthop_list(&self) -> Result<Vec<Nexthop>> {
        self.nexthop_list_filtered(&NexthopDump::default())
    }

    /// Nexthops matching `filter` (`ip nexthop show dev X | groups | fdb`);
    /// the kernel filters, the library checks again.
    pub fn nexthop_list_filtered(&self, filter: &NexthopDump) -> Result<Vec<Nexthop>> {
        self.list(filter, RTM_NEWNEXTHOP, Nexthop::parse)
    }

    /// `ip nexthop get id ID`.
    pub fn nexthop_get(&self, id: u32) -> Result<Nexthop> {
        let mut found = None;
        let got = self.route(|c| {
            c.exchange(
                |b| Ok(Nexthop::write_get(id, b)?),
                |m| {
                    if found.is_none() && m.ty() == RTM_NEWNEXTHOP {
                        found = Some(Nexthop::parse(&m)?);
                    }
                    Ok(())
                },
            )
        });
        match got {
            Err(Error::Netlink(e)) if e.kind() == crate::ErrorKind::NotFound => {
                Err(Error::not_found(format!("nexthop id {id}"), Some(e)))
            }
            Err(e) => Err(e),
            Ok(_) => found.ok_or_else(|| Error::not_found(format!("nexthop id {id}"), None)),
        }
    }

    /// `ip nexthop add`.
    pub fn nexthop_add(&self, nh: &Nexthop) -> Result<()> {
        self.route(|c| c.request(|b| Ok(nh.write_add(b)?)))?;
        Ok(())
    }

    /// `ip nexthop replace`.
    pub fn nexthop_replace(&self, nh: &Nexthop) -> Result<()> {
        self.route(|c| c.request(|b| Ok(nh.write_replace(b)?)))?;
        Ok(())
    }

    /// `ip nexthop del id ID`.
    pub fn nexthop_del(&self, id: u32) -> Result<()> {
        self.route(|c| c.request(|b| Ok(Nexthop::write_del(id, b)?)))?;
        Ok(())
    }
}
