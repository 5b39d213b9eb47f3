//! Link calls: `ip link` in Rust.

use nl_route::link::LinkId;
use nl_route::{Link, LinkKind};
use nl_sock::Errno;
use nl_wire::Msg;

use crate::error::{Error, Result};

pub(crate) fn describe(id: &LinkId) -> String {
    match id {
        LinkId::Index(i) => format!("link with index {i}"),
        LinkId::Name(n) => format!("link {n:?}"),
    }
}

/// Maps the kernel's "no such device" to a not-found error naming the
/// link. Only `ENODEV`: other not-found answers (`ESRCH` for a netns pid,
/// `ENOENT` for an alternative name) are about something else.
pub(crate) fn not_found(id: &LinkId) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Netlink(inner) if inner.errno() == Some(Errno::ENODEV) => {
            Error::not_found(describe(id), Some(inner))
        }
        other => other,
    }
}

/// Whether the kernel picks the name: none given, or a `%d` template.
pub(crate) fn kernel_named(name: &str) -> bool {
    name.is_empty() || name.contains('%')
}

/// Whether `name` is what the kernel makes of `template` (`veth%d` ->
/// `veth0`, `veth12`): `dev_alloc_name` replaces one `%d` with a number.
pub(crate) fn from_template(template: &str, name: &str) -> bool {
    let Some((head, tail)) = template.split_once("%d") else {
        return false;
    };
    name.strip_prefix(head)
        .and_then(|rest| rest.strip_suffix(tail))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The peer of a pair kind (veth, netkit) as the request gives it.
pub(crate) fn peer_of(link: &Link) -> Option<&Link> {
    match &link.kind {
        Some(LinkKind::Veth(v)) => v.peer.as_deref(),
        Some(LinkKind::Netkit(n)) => n.peer.as_deref(),
        _ => None,
    }
}

pub(crate) fn parse_link(m: Msg<'_>) -> Result<Option<Link>> {
    if m.ty() != nl_route::uapi::rtnetlink::RTM_NEWLINK {
        return Ok(None);
    }
    Ok(Some(Link::parse(&m)?))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use nl_route::uapi::if_link::{IFLA_INFO_KIND, IFLA_LINK, IFLA_LINKINFO, IFLA_MASTER};
    use nl_route::uapi::rtnetlink::{RTM_GETLINK, RTM_NEWLINK};
    use nl_route::uapi::types::IfInfoMsg;
    use nl_sock::Socket;
    use nl_sock::fake::{self, Fake};
    use nl_wire::Msgs;
    use nl_wire::netlink::{NLM_F_DUMP, NLM_F_ECHO};

    use crate::Handle;
    use nl_route::link::NameAssignType;

    use super::*;

    #[test]
    fn template_names() {
        assert!(from_template("veth%d", "veth0"));
        assert!(from_template("veth%d", "veth123"));
        assert!(from_template("a%db", "a7b"));
        assert!(!from_template("veth%d", "veth"));
        assert!(!from_template("veth%d", "vethx1"));
        assert!(!from_template("veth%d", "xveth1"));
        assert!(!from_template("veth", "veth1"));
        assert!(kernel_named("") && kernel_named("br%d") && !kernel_named("br0"));
    }

    /// A link of the scripted kernel.
    struct FakeLink {
        index: u32,
        name: String,
        kind: String,
        peer: Option<u32>,
        master: Option<u32>,
    }

    /// A scripted kernel's links and the requests it saw.
    #[derive(Default)]
    struct State {
        links: Vec<FakeLink>,
        requests: Vec<u16>,
        echo: bool,
        /// A link another program creates during the next RTM_NEWLINK.
        intruder: Option<String>,
    }

    impl State {
        fn add(&mut self, name: &str, kind: &str) -> u32 {
            let index = self.links.iter().map(|l| l.index).max().unwrap_or(0) + 1;
            let name = if name.is_empty() || name.contains('%') {
                let template = if name.is_empty() {
                    format!("{kind}%d")
                } else {
                    name.to_string()
                };
                (0..)
                    .map(|n| template.replace("%d", &n.to_string()))
                    .find(|n| self.links.iter().all(|l| &l.name != n))
                    .unwrap()
            } else {
                name.to_string()
            };
            self.links.push(FakeLink {
                index,
                name,
                kind: kind.to_string(),
                peer: None,
                master: None,
            });
            index
        }
    }

    fn link_msg(req: &Msg<'_>, l: &FakeLink) -> Vec<u8> {
        fake::reply(req, RTM_NEWLINK, 0, |m| {
            m.header(&IfInfoMsg {
                ifi_index: i32::try_from(l.index).unwrap().into(),
                ..IfInfoMsg::default()
            });
            m.put_str(nl_route::uapi::if_link::IFLA_IFNAME, &l.name);
            if let Some(p) = l.peer {
                m.put_u32(IFLA_LINK, p);
            }
            if let Some(p) = l.master {
                m.put_u32(IFLA_MASTER, p);
            }
            m.nest(IFLA_LINKINFO, |m| {
                m.put_str(IFLA_INFO_KIND, &l.kind);
            });
        })
    }

    fn kernel(state: Arc<Mutex<State>>) -> Handle {
        let fake = Fake::new(move |d| {
            let mut s = state.lock().unwrap();
            let req = Msgs::new(d).next().unwrap().unwrap();
            s.requests.push(req.ty());
            if req.ty() == RTM_NEWLINK {
                let asked = Link::parse(&req).unwrap();
                let kind = asked.kind_name().unwrap_or_default().to_string();
                let mut peer = None;
                if let Some(LinkKind::Veth(v)) = &asked.kind {
                    let name = v.peer.as_ref().map(|p| p.name.clone()).unwrap_or_default();
                    peer = Some(s.add(&name, &kind));
                }
                if let Some(intruder) = s.intruder.take() {
                    s.add(&intruder, &kind);
                }
                let index = s.add(&asked.name, &kind);
                let master = asked.master;
                if let Some(p) = peer {
                    for l in &mut s.links {
                        if l.index == p {
                            l.peer = Some(index);
                        }
                    }
                }
                let echo = s.echo && req.flags() & NLM_F_ECHO != 0;
                let l = s.links.iter_mut().find(|l| l.index == index).unwrap();
                l.peer = peer;
                let mut out = Vec::new();
                if echo {
                    // Built before the master is set, as the kernel does.
                    out.push(link_msg(&req, l));
                }
                l.master = master;
                out.push(fake::ack(&req));
                out
            } else if req.flags() & NLM_F_DUMP != 0 {
                let all: Vec<_> = s.links.iter().map(|l| link_msg(&req, l)).collect();
                fake::multipart(&req, &all, 2, false)
            } else {
                assert_eq!(req.ty(), RTM_GETLINK);
                let asked = Link::parse(&req).unwrap();
                let hit = s.links.iter().find(|l| {
                    (asked.index != 0 && l.index == asked.index)
                        || (!asked.name.is_empty() && l.name == asked.name)
                });
                match hit {
                    Some(l) => vec![link_msg(&req, l), fake::ack(&req)],
                    None => vec![fake::error(&req, 19, None, None)],
                }
            }
        });
        Handle::with_route_socket(Socket::with_transport(fake, 0).unwrap())
    }

    fn setup(echo: bool) -> (Arc<Mutex<State>>, Handle) {
        let state = Arc::new(Mutex::new(State {
            echo,
            ..State::default()
        }));
        state.lock().unwrap().add("lo", "");
        let h = kernel(state.clone());
        (state, h)
    }

    fn requests(state: &Arc<Mutex<State>>) -> Vec<u16> {
        std::mem::take(&mut state.lock().unwrap().requests)
    }

    #[test]
    fn the_echo_is_the_answer_when_it_comes() {
        let (state, h) = setup(true);
        let made = h
            .link_add(&Link::new("br0").kind(LinkKind::bridge()))
            .unwrap();
        assert_eq!((made.index, made.name.as_str()), (2, "br0"));
        assert_eq!(made.name_assign_type, Some(NameAssignType::User));
        assert_eq!(requests(&state), [RTM_NEWLINK], "no second request");
        // A master is set after the echo is built: read the link again.
        let made = h
            .link_add(&Link::new("p0").kind(LinkKind::Ifb).master(2))
            .unwrap();
        assert_eq!(made.master, Some(2));
        assert_eq!(requests(&state), [RTM_NEWLINK, RTM_GETLINK]);
        // Unnamed: the links of the kind are listed first, in case.
        let made = h.link_add(&Link::default().kind(LinkKind::Ifb)).unwrap();
        assert_eq!(made.name, "ifb0");
        assert_eq!(made.name_assign_type, Some(NameAssignType::Enum));
        assert_eq!(requests(&state), [RTM_GETLINK, RTM_NEWLINK]);
    }

    #[test]
    fn without_an_echo_the_link_is_looked_up() {
        let (state, h) = setup(false);
        let made = h
            .link_add(&Link::new("br0").kind(LinkKind::bridge()))
            .unwrap();
        assert_eq!((made.index, made.name.as_str()), (2, "br0"));
        assert_eq!(requests(&state), [RTM_NEWLINK, RTM_GETLINK]);
        let made = h.link_add(&Link::default().kind(LinkKind::Ifb)).unwrap();
        assert_eq!((made.index, made.name.as_str()), (3, "ifb0"));
        assert_eq!(made.name_assign_type, Some(NameAssignType::Enum));
        assert_eq!(requests(&state), [RTM_GETLINK, RTM_NEWLINK, RTM_GETLINK]);
        // A template of the caller's.
        let made = h.link_add(&Link::new("x%d").kind(LinkKind::Ifb)).unwrap();
        assert_eq!(made.name, "x0");
        assert_eq!(made.name_assign_type, Some(NameAssignType::User));
    }

    #[test]
    fn an_unnamed_pair_is_told_from_its_peer() {
        let (_, h) = setup(false);
        // Both ends named by the kernel: the primary is registered last.
        let veth = LinkKind::Veth(nl_route::kind::Veth::with_peer(Link::default()));
        let made = h.link_add(&Link::default().kind(veth)).unwrap();
        assert_eq!((made.index, made.name.as_str()), (3, "veth1"));
        assert_eq!(made.parent, Some(2));
        // A named peer is simply left out.
        let made = h
            .link_add(&Link::default().kind(LinkKind::veth("peer9")))
            .unwrap();
        assert_eq!(made.name, "veth2");
        assert_eq!(made.parent.map(|p| p + 1), Some(made.index));
    }

    #[test]
    fn a_race_with_another_creator_is_an_error_not_a_guess() {
        let (state, h) = setup(false);
        state.lock().unwrap().intruder = Some(String::new());
        let e = h
            .link_add(&Link::default().kind(LinkKind::Ifb))
            .unwrap_err();
        assert!(e.is_not_found(), "{e:?}");
        assert!(e.to_string().contains("2 new links"), "{e}");
        // A link of the kind with a name of its own is no candidate.
        state.lock().unwrap().intruder = Some("other0".into());
        let made = h.link_add(&Link::default().kind(LinkKind::Ifb)).unwrap();
        assert_eq!(made.name, "ifb2");
    }
}
