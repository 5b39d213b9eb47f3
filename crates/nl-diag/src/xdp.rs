//! AF_XDP sockets (`xdp_diag`, module `xsk_diag`): the dump request and
//! the reply (device and queue, rings, umem, memory, statistics).

use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder};

use crate::error::{Result, header, parse_msg};
use crate::uapi::sock_diag::SOCK_DIAG_BY_FAMILY;
use crate::uapi::xdp_diag::*;
use crate::{AF_XDP, SkMemInfo};

/// Everything `xdp_diag` can show (`XDP_SHOW_*`), as `ss --xdp -e` asks.
pub const SHOW_ALL: u32 =
    XDP_SHOW_INFO | XDP_SHOW_RING_CFG | XDP_SHOW_UMEM | XDP_SHOW_MEMINFO | XDP_SHOW_STATS;

/// Appends a dump request for every XDP socket, with the `XDP_SHOW_*`
/// bits of `show` ([`SHOW_ALL`] for everything).
pub fn write_dump(show: u32, buf: &mut Vec<u8>) -> Result<()> {
    let req = XdpDiagReq {
        sdiag_family: AF_XDP,
        sdiag_protocol: 0,
        pad: 0.into(),
        xdiag_ino: 0.into(),
        xdiag_show: show.into(),
        xdiag_cookie: [u32::MAX.into(), u32::MAX.into()],
    };
    let mut m = MsgBuilder::new(buf, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&req);
    m.finish()?;
    Ok(())
}

/// An XDP socket's umem (`struct xdp_diag_umem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XdpUmem {
    /// Size in bytes.
    pub size: u64,
    /// The umem's id.
    pub id: u32,
    /// Pages.
    pub num_pages: u32,
    /// Chunk size.
    pub chunk_size: u32,
    /// Headroom.
    pub headroom: u32,
    /// Device it is bound to.
    pub ifindex: u32,
    /// Queue it is bound to.
    pub queue_id: u32,
    /// `XDP_DU_F_*` (zero copy).
    pub flags: u32,
    /// Sockets sharing it.
    pub refs: u32,
}

/// An XDP socket's drop counters (`struct xdp_diag_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XdpStats {
    /// `n_rx_dropped`.
    pub rx_dropped: u64,
    /// `n_rx_invalid`.
    pub rx_invalid: u64,
    /// `n_rx_full`.
    pub rx_full: u64,
    /// `n_fill_ring_empty`.
    pub fill_ring_empty: u64,
    /// `n_tx_invalid`.
    pub tx_invalid: u64,
    /// `n_tx_ring_empty`.
    pub tx_ring_empty: u64,
}

/// An AF_XDP socket (the Go library's `XDPSocket` and `XDPInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XdpSocket {
    /// `SOCK_RAW`.
    pub kind: u8,
    /// Inode.
    pub inode: u32,
    /// The kernel's socket cookie.
    pub cookie: u64,
    /// `XDP_DIAG_INFO`: device index and queue id once bound.
    pub info: Option<(u32, u32)>,
    /// `XDP_DIAG_UID`.
    pub uid: Option<u32>,
    /// `XDP_DIAG_RX_RING` entries.
    pub rx_ring: Option<u32>,
    /// `XDP_DIAG_TX_RING` entries.
    pub tx_ring: Option<u32>,
    /// `XDP_DIAG_UMEM`.
    pub umem: Option<XdpUmem>,
    /// `XDP_DIAG_UMEM_FILL_RING` entries.
    pub fill_ring: Option<u32>,
    /// `XDP_DIAG_UMEM_COMPLETION_RING` entries.
    pub completion_ring: Option<u32>,
    /// `XDP_DIAG_MEMINFO`.
    pub meminfo: Option<SkMemInfo>,
    /// `XDP_DIAG_STATS`.
    pub stats: Option<XdpStats>,
}

impl XdpSocket {
    /// Reads one reply. Unknown attributes are skipped.
    pub fn parse(msg: &Msg<'_>) -> Result<XdpSocket> {
        let hdr: &XdpDiagMsg = header(msg, "struct xdp_diag_msg")?;
        let [lo, hi] = hdr.xdiag_cookie;
        let mut s = XdpSocket {
            kind: hdr.xdiag_type,
            inode: hdr.xdiag_ino.get(),
            cookie: u64::from(lo.get()) | (u64::from(hi.get()) << 32),
            ..XdpSocket::default()
        };
        parse_msg(msg, || {
            msg.attrs::<XdpDiagMsg>().decode(|a| {
                match a.ty() {
                    XDP_DIAG_INFO => {
                        let i: &XdpDiagInfo = a.get()?;
                        s.info = Some((i.ifindex.get(), i.queue_id.get()));
                    }
                    XDP_DIAG_UID => s.uid = Some(a.u32()?),
                    XDP_DIAG_RX_RING => s.rx_ring = Some(a.u32()?),
                    XDP_DIAG_TX_RING => s.tx_ring = Some(a.u32()?),
                    XDP_DIAG_UMEM_FILL_RING => s.fill_ring = Some(a.u32()?),
                    XDP_DIAG_UMEM_COMPLETION_RING => s.completion_ring = Some(a.u32()?),
                    XDP_DIAG_UMEM => {
                        let u: XdpDiagUmem = a.read();
                        s.umem = Some(XdpUmem {
                            size: u.size.get(),
                            id: u.id.get(),
                            num_pages: u.num_pages.get(),
                            chunk_size: u.chunk_size.get(),
                            headroom: u.headroom.get(),
                            ifindex: u.ifindex.get(),
                            queue_id: u.queue_id.get(),
                            flags: u.flags.get(),
                            refs: u.refs.get(),
                        });
                    }
                    XDP_DIAG_MEMINFO => s.meminfo = Some(SkMemInfo::from_bytes(a.payload())),
                    XDP_DIAG_STATS => {
                        let st: XdpDiagStats = a.read();
                        s.stats = Some(XdpStats {
                            rx_dropped: st.n_rx_dropped.get(),
                            rx_invalid: st.n_rx_invalid.get(),
                            rx_full: st.n_rx_full.get(),
                            fill_ring_empty: st.n_fill_ring_empty.get(),
                            tx_invalid: st.n_tx_invalid.get(),
                            tx_ring_empty: st.n_tx_ring_empty.get(),
                        });
                    }
                    _ => {}
                }
                Ok(())
            })
        })?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msgs;
    use zerocopy::IntoBytes;

    /// A reply as xsk_diag builds it (`xsk_diag_fill`), parsed back.
    #[test]
    fn test_parse() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, SOCK_DIAG_BY_FAMILY, 0);
        m.header(&XdpDiagMsg {
            xdiag_family: AF_XDP,
            xdiag_type: 3,
            pad: 0.into(),
            xdiag_ino: 4242.into(),
            xdiag_cookie: [0x10.into(), 0x2.into()],
        });
        m.put(
            XDP_DIAG_INFO,
            &XdpDiagInfo {
                ifindex: 7.into(),
                queue_id: 1.into(),
            },
        )
        .put_u32(XDP_DIAG_UID, 1000)
        .put_u32(XDP_DIAG_RX_RING, 2048)
        .put_u32(XDP_DIAG_UMEM_FILL_RING, 4096)
        .put(
            XDP_DIAG_UMEM,
            XdpDiagUmem {
                size: 1_048_576.into(),
                id: 3.into(),
                num_pages: 256.into(),
                chunk_size: 4096.into(),
                headroom: 0.into(),
                ifindex: 7.into(),
                queue_id: 1.into(),
                flags: XDP_DU_F_ZEROCOPY.into(),
                refs: 1.into(),
            }
            .as_bytes(),
        )
        .put(
            XDP_DIAG_STATS,
            XdpDiagStats {
                n_rx_dropped: 5.into(),
                ..XdpDiagStats::default()
            }
            .as_bytes(),
        )
        .put_bytes(XDP_DIAG_MEMINFO, &[1, 0, 0, 0, 2, 0, 0, 0]);
        m.finish().unwrap();
        let msg = Msgs::new(&buf).next().unwrap().unwrap();
        let s = XdpSocket::parse(&msg).unwrap();
        assert_eq!((s.inode, s.cookie, s.kind), (4242, 0x2_0000_0010, 3));
        assert_eq!(s.info, Some((7, 1)));
        assert_eq!(
            (s.uid, s.rx_ring, s.tx_ring, s.fill_ring),
            (Some(1000), Some(2048), None, Some(4096))
        );
        let u = s.umem.unwrap();
        assert_eq!(
            (u.size, u.chunk_size, u.flags),
            (1_048_576, 4096, XDP_DU_F_ZEROCOPY)
        );
        assert_eq!(s.stats.unwrap().rx_dropped, 5);
        let mem = s.meminfo.unwrap();
        assert_eq!((mem.rmem_alloc, mem.rcvbuf, mem.drops), (1, 2, 0));
        // A ring attribute of the wrong size is an error naming it.
        let mut bad = Vec::new();
        let mut m = MsgBuilder::new(&mut bad, SOCK_DIAG_BY_FAMILY, 0);
        m.header(&XdpDiagMsg::default())
            .put_bytes(XDP_DIAG_UMEM_FILL_RING, &[1, 2]);
        m.finish().unwrap();
        let msg = Msgs::new(&bad).next().unwrap().unwrap();
        let e = XdpSocket::parse(&msg).unwrap_err();
        assert!(
            matches!(
                e,
                crate::Error::Wire {
                    attr: Some(XDP_DIAG_UMEM_FILL_RING),
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn test_emit() {
        let mut buf = Vec::new();
        write_dump(SHOW_ALL, &mut buf).unwrap();
        assert_eq!(buf.len(), 16 + 20);
        assert_eq!(buf[16], AF_XDP);
        assert_eq!(
            u32::from_ne_bytes(buf[24..28].try_into().unwrap()),
            SHOW_ALL
        );
    }
}
