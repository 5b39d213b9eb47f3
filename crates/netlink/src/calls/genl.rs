// Generic netlink calls: families (`genl ctrl list|get`), policies, and
// the generic path for any family.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::{Family, GenlMsg, Policy, request};
use nl_wire::MsgBuilder;
use nl_wire::netlink::{NETLINK_GENERIC, NLM_F_DUMP};

use crate::error::{Error, Result};

const GENERIC: i32 = NETLINK_GENERIC;

impl H {
    call! {
        /// A generic netlink family by name (`genl ctrl get name NAME`;
        /// the Go library's `GenlFamilyGet`): its id, version, operations
        /// and multicast groups. The first call asks nlctrl; later calls
        /// are answered from the handle's cache, which follows nlctrl's
        /// notifications so a family that unregisters (a module reloaded
        /// under a new id) is asked again.
        pub fn genl_family_get(&self, name: &str) -> Result<Family> {
            if let Some(f) = self.genl.lookup(&self.place, name) {
                return Ok(f);
            }
            let mut found = None;
            let asked = run!(self.do_exchange(
                GENERIC,
                |b| Ok(Family::write_get(name, b)?),
                |m| {
                    if found.is_none() {
                        found = Some(Family::parse(&m)?);
                    }
                    Ok(())
                },
            ));
            match asked {
                Err(e) if e.kind() == crate::ErrorKind::NotFound => {
                    return Err(Error::not_found(format!("genl family {name:?}"), e.netlink().cloned()));
                }
                other => other?,
            };
            let f = found.ok_or_else(|| Error::not_found(format!("genl family {name:?}"), None))?;
            self.genl.insert(&f);
            Ok(f)
        }
    }

    call! {
        /// Every registered generic netlink family (`genl ctrl list`; the Go
        /// library's `GenlFamilyList`).
        pub fn genl_family_list(&self) -> Result<Vec<Family>> {
            run!(self.do_dump(
                GENERIC,
                |b| Ok(Family::write_dump(b)?),
                |m| Ok(Some(Family::parse(&m)?)),
            ))
        }
    }

    call! {
        /// A family's attribute policies (`genl ctrl policy name NAME`), of
        /// one operation or all: what this kernel's family accepts, to test
        /// for a feature before using it ([`Policy::accepts`]).
        pub fn genl_policy(&self, name: &str, op: Option<u32>) -> Result<Policy> {
            let mut policy = Policy::default();
            run!(self.do_dump_each(
                GENERIC,
                |b| Ok(Policy::write_dump(name, op, b)?),
                |m| Ok(policy.add(&m)?),
            ))
            .map_err(|e| e.about(format_args!("genl policy of {name:?}")))?;
            Ok(policy)
        }
    }

    call! {
        /// Sends command `cmd` to family `family` (by name, resolved once)
        /// and hands every reply to `on_reply`: the generic path for a
        /// family this library does not type. `write` adds the family's
        /// header and attributes after the genl header; `dump` sends it as
        /// a dump. The version sent is the family's own.
        ///
        /// ```no_run
        /// use netlink::nl_genl::uapi::genetlink::{CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY};
        /// let h = netlink::Handle::new()?;
        /// // nlctrl asked through the generic path, as any family would be.
        /// let mut names = Vec::new();
        /// h.genl_call("nlctrl", CTRL_CMD_GETFAMILY, true, |_| Ok(()), |reply| {
        ///     if let Some(a) = reply.attrs().get(CTRL_ATTR_FAMILY_NAME)? {
        ///         names.push(a.cstr()?.to_string());
        ///     }
        ///     Ok(())
        /// })?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn genl_call(
            &self,
            family: &str,
            cmd: u8,
            dump: bool,
            write: impl FnOnce(&mut MsgBuilder<'_>) -> Result<()>,
            mut on_reply: impl FnMut(GenlMsg<'_>) -> Result<()>,
        ) -> Result<()> {
            let fam = run!(self.genl_family_get(family))?;
            let version = u8::try_from(fam.version).unwrap_or(u8::MAX);
            let hdrsize = usize::try_from(fam.hdrsize).unwrap_or(0);
            let build = |b: &mut Vec<u8>| -> Result<()> {
                let flags = if dump { NLM_F_DUMP } else { 0 };
                let mut m = request(b, fam.id, cmd, version, flags);
                write(&mut m)?;
                m.finish().map_err(nl_genl::Error::Build)?;
                Ok(())
            };
            let mut read = |m: nl_wire::Msg<'_>| -> Result<()> {
                if m.ty() != fam.id {
                    return Ok(());
                }
                on_reply(GenlMsg::parse(&m, hdrsize)?)
            };
            if dump {
                run!(self.do_dump_each(GENERIC, build, &mut read))
            } else {
                run!(self.do_exchange(GENERIC, build, &mut read)).map(drop)
            }
        }
    }
}
