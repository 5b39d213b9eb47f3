// Nexthop object calls: `ip nexthop` in Rust.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::uapi::rtnetlink::RTM_NEWNEXTHOP;
use nl_route::{Nexthop, NexthopDump};
use crate::error::{Error, Result};

impl H {
    call! {
        /// Every nexthop object (`ip nexthop show`).
        pub fn nexthop_list(&self) -> Result<Vec<Nexthop>> {
            run!(self.nexthop_list_filtered(&NexthopDump::default()))
        }
    }

    call! {
        /// Nexthops matching `filter` (`ip nexthop show dev X | groups | fdb`);
        /// the kernel filters, the library checks again.
        pub fn nexthop_list_filtered(&self, filter: &NexthopDump) -> Result<Vec<Nexthop>> {
            run!(self.list(filter, RTM_NEWNEXTHOP, Nexthop::parse))
        }
    }

    call! {
        /// `ip nexthop get id ID`.
        pub fn nexthop_get(&self, id: u32) -> Result<Nexthop> {
            let mut found = None;
            let got = run!(self.do_exchange(ROUTE, |b| Ok(Nexthop::write_get(id, b)?),
                    |m| {
                        if found.is_none() && m.ty() == RTM_NEWNEXTHOP {
                            found = Some(Nexthop::parse(&m)?);
                        }
                        Ok(())
                    }));
            match got {
                Err(Error::Netlink(e)) if e.kind() == crate::ErrorKind::NotFound => {
                    Err(Error::not_found(format!("nexthop id {id}"), Some(e)))
                }
                Err(e) => Err(e),
                Ok(_) => found.ok_or_else(|| Error::not_found(format!("nexthop id {id}"), None)),
            }
        }
    }

    call! {
        /// `ip nexthop add`.
        pub fn nexthop_add(&self, nh: &Nexthop) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(nh.write_add(b)?)))
                .map_err(|e| e.about(format_args!("nexthop add id {}", nh.id)))?;
            Ok(())
        }
    }

    call! {
        /// `ip nexthop replace`.
        pub fn nexthop_replace(&self, nh: &Nexthop) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(nh.write_replace(b)?)))
                .map_err(|e| e.about(format_args!("nexthop replace id {}", nh.id)))?;
            Ok(())
        }
    }

    call! {
        /// `ip nexthop del id ID`.
        pub fn nexthop_del(&self, id: u32) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(Nexthop::write_del(id, b)?)))
                .map_err(|e| e.about(format_args!("nexthop del id {id}")))?;
            Ok(())
        }
    }
}
