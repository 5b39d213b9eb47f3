// Foo-over-UDP receive ports over generic netlink (feature `fou`):
// `ip fou add|del|show`, the Go library's FouAdd, FouDel, FouList.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::GenlMsg;
use nl_genl::fou::{self as fou_genl, Fou};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

impl H {
    call! {
        /// Opens a FOU receive port (`ip fou add port P ipproto N | gue`;
        /// Go's `FouAdd`).
        ///
        /// ```no_run
        /// use netlink::fou::Fou;
        /// let h = netlink::Handle::new()?;
        /// h.fou_add(&Fou::direct(5555, 4))?; // IPIP over UDP port 5555
        /// for port in h.fou_list()? {
        ///     println!("{port}");
        /// }
        /// h.fou_del(&Fou::direct(5555, 4))?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn fou_add(&self, port: &Fou) -> Result<()> {
            let fam = run!(self.genl_family_get(fou_genl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(port.write_add(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("fou {port}")))?;
            Ok(())
        }
    }

    call! {
        /// Closes the FOU port that matches `port`'s port number, family,
        /// addresses and device (`ip fou del`; Go's `FouDel`).
        pub fn fou_del(&self, port: &Fou) -> Result<()> {
            let fam = run!(self.genl_family_get(fou_genl::FAMILY))?;
            run!(self.do_request(GENERIC, |b| Ok(port.write_del(fam.id, b)?)))
                .map_err(|e| e.about(format_args!("fou port {}", port.port)))?;
            Ok(())
        }
    }

    call! {
        /// The FOU port that matches `port`'s port number, family,
        /// addresses and device, as the kernel has it.
        pub fn fou_get(&self, port: &Fou) -> Result<Fou> {
            let fam = run!(self.genl_family_get(fou_genl::FAMILY))?;
            let mut out = None;
            let what = || format!("fou port {}", port.port);
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(port.write_get(fam.id, b)?),
                |m| {
                    if m.ty() == fam.id && out.is_none() {
                        out = Some(Fou::parse(&GenlMsg::parse(&m, 0)?)?);
                    }
                    Ok(())
                },
            ));
            match asked {
                // The kernel answers a port it does not have with ENOENT.
                Err(e) if e.is_not_found() => Err(Error::not_found(what(), e.netlink().cloned())),
                Err(e) => Err(e.about(what())),
                Ok(_) => out.ok_or_else(|| Error::not_found(what(), None)),
            }
        }
    }

    call! {
        /// Every FOU port of the namespace (`ip fou show`; Go's `FouList`,
        /// which takes a family the kernel ignores: filter on
        /// [`Fou::family`] instead).
        pub fn fou_list(&self) -> Result<Vec<Fou>> {
            let fam = run!(self.genl_family_get(fou_genl::FAMILY))?;
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Fou::write_dump(fam.id, b)?),
                |m| {
                    if m.ty() != fam.id {
                        return Ok(None);
                    }
                    Ok(Some(Fou::parse(&GenlMsg::parse(&m, 0)?)?))
                },
            ))
        }
    }
}
