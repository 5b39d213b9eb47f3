//! Address calls: `ip addr` in Rust.

use nl_route::link::LinkId;
use nl_route::{Addr, AddrDump};

use crate::error::Result;
use crate::handle::Handle;

impl Handle {
    /// Addresses, of one link or all (`None`), of one family (`AF_INET`,
    /// `AF_INET6`) or both (0) — the Go library's `AddrList(link, family)`.
    pub fn addr_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Addr>> {
        let index = link.map(|l| self.link_index(l)).transpose()?;
        let filter = AddrDump { family, index };
        self.list(&filter, nl_route::uapi::rtnetlink::RTM_NEWADDR, Addr::parse)
    }

    /// Streams every address matching the filter to `f` (bounded memory).
    pub fn addr_for_each(
        &self,
        filter: &AddrDump,
        mut f: impl FnMut(Addr) -> Result<()>,
    ) -> Result<()> {
        self.route(|c| {
            c.dump_each(
                |b| Ok(filter.write(b)?),
                |m| {
                    if m.ty() == nl_route::uapi::rtnetlink::RTM_NEWADDR {
                        let a = Addr::parse(&m)?;
                        if filter.matches(&a) {
                            f(a)?;
                        }
                    }
                    Ok(())
                },
            )
        })
    }

    fn with_index(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<Addr> {
        let index = self.link_index(link)?;
        Ok(Addr {
            index,
            ..addr.clone()
        })
    }

    /// `ip addr add ADDR dev LINK` (`AddrAdd`).
    pub fn addr_add(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
        let addr = self.with_index(link, addr)?;
        self.route(|c| c.request(|b| Ok(addr.write_add(b)?)))?;
        Ok(())
    }

    /// `ip addr replace ADDR dev LINK` (`AddrReplace`).
    pub fn addr_replace(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
        let addr = self.with_index(link, addr)?;
        self.route(|c| c.request(|b| Ok(addr.write_replace(b)?)))?;
        Ok(())
    }

    /// `ip addr del ADDR dev LINK` (`AddrDel`).
    pub fn addr_del(&self, link: impl Into<LinkId>, addr: &Addr) -> Result<()> {
        let addr = self.with_index(link, addr)?;
        self.route(|c| c.request(|b| Ok(addr.write_del(b)?)))?;
        Ok(())
    }
}
