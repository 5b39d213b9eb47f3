// Address calls: `ip addr` in Rust.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::link::LinkId;
use nl_route::{Addr, AddrDump};
use crate::error::Result;

impl H {
    call! {
        /// Addresses, of one link or all (`None`), of one family (`AF_INET`,
        /// `AF_INET6`) or both (0) — the Go library's `AddrList(link, family)`.
        pub fn addr_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Addr>> {
            let index = run!(self.link_index_opt(link))?;
            let filter = AddrDump { family, index };
            run!(self.list(&filter, nl_route::uapi::rtnetlink::RTM_NEWADDR, Addr::parse))
        }
    }

    call! {
        /// Streams every address matching the filter to `f` (bounded memory).
        pub fn addr_for_each(
            &self,
            filter: &AddrDump,
            mut f: impl FnMut(Addr) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(ROUTE, |b| Ok(filter.write(b)?),
                    |m| {
                        if m.ty() == nl_route::uapi::rtnetlink::RTM_NEWADDR {
                            let a = Addr::parse(&m)?;
                            if filter.matches(&a) {
                                f(a)?;
                            }
                        }
                        Ok(())
                    }))
        }
    }

    call! {
        fn with_index(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<Addr> {
            let index = run!(self.link_index(link))?;
            Ok(Addr {
                index,
                ..addr.clone()
            })
        }
    }

    call! {
        /// `ip addr add ADDR dev LINK` (`AddrAdd`).
        pub fn addr_add(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
            let addr = run!(self.with_index(link, addr))?;
            run!(self.do_request(ROUTE, |b| Ok(addr.write_add(b)?)))
                .map_err(|e| e.about(format_args!("addr add {} dev {}", addr.prefix, addr.index)))?;
            Ok(())
        }
    }

    call! {
        /// `ip addr replace ADDR dev LINK` (`AddrReplace`).
        pub fn addr_replace(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
            let addr = run!(self.with_index(link, addr))?;
            run!(self.do_request(ROUTE, |b| Ok(addr.write_replace(b)?)))
                .map_err(|e| e.about(format_args!("addr replace {} dev {}", addr.prefix, addr.index)))?;
            Ok(())
        }
    }

    call! {
        /// `ip addr del ADDR dev LINK` (`AddrDel`).
        pub fn addr_del(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
            let addr = run!(self.with_index(link, addr))?;
            run!(self.do_request(ROUTE, |b| Ok(addr.write_del(b)?)))
                .map_err(|e| e.about(format_args!("addr del {} dev {}", addr.prefix, addr.index)))?;
            Ok(())
        }
    }
}
