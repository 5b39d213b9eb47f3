//! The handle's socket settings (Go's `SetSocketTimeout`,
//! `SetSocketReceiveBufferSize`, `GetSocketReceiveBufferSize`,
//! `SupportsNetlinkFamily`), blocking and async, each in a private
//! namespace.

use std::os::fd::AsFd;
use std::time::Duration;

use anyhow::{Context, ensure};
use netlink::{AsyncHandle, Handle, NETLINK_ROUTE, NETLINK_XFRM, Socket};
use netlink_tests::in_netns;
use nix::sys::socket::{getsockopt, sockopt};

/// `NETLINK_FIREWALL`: removed from the kernel long ago.
const GONE_PROTOCOL: i32 = 3;
const NETLINK_NETFILTER: i32 = 12;

#[test]
fn timeout_reaches_idle_and_new_sockets_and_calls_still_work() {
    in_netns("timeout_reaches_idle_and_new_sockets", |_| {
        // A socket the test keeps a second descriptor of: the same socket,
        // so its options read back through it.
        let sock = Socket::open(NETLINK_ROUTE)?;
        let fd = sock.as_fd().try_clone_to_owned()?;
        let h = Handle::new()?
            .with_socket(NETLINK_ROUTE, sock)
            .with_timeout(Some(Duration::from_millis(1500)))?;
        let tv = getsockopt(&fd, sockopt::ReceiveTimeout)?;
        ensure!(
            (tv.tv_sec(), tv.tv_usec()) == (1, 500_000),
            "SO_RCVTIMEO {tv:?}"
        );
        // Calls go on over it, and over new sockets of other protocols.
        ensure!(h.link_by_name("lo")?.index == 1);
        ensure!(h.xfrm_state_list()?.is_empty());
        // No timeout at all: SO_RCVTIMEO 0 (wait for ever).
        let h = h.with_timeout(None)?;
        let tv = getsockopt(&fd, sockopt::ReceiveTimeout)?;
        ensure!((tv.tv_sec(), tv.tv_usec()) == (0, 0), "SO_RCVTIMEO {tv:?}");
        ensure!(h.link_list()?.len() == 1);
        Ok(())
    });
}

#[test]
fn receive_buffer_size_set_and_read_back() {
    in_netns("receive_buffer_size_set_and_read_back", |_| {
        let h = Handle::new()?.with_recv_buffer_size(1 << 20, true)?;
        // The kernel doubles what it is asked for (its own overhead).
        ensure!(h.recv_buffer_size(NETLINK_ROUTE)? == 2 << 20);
        ensure!(h.recv_buffer_size(NETLINK_XFRM)? == 2 << 20);
        // The sibling (what subscriptions list with) keeps the setting.
        ensure!(h.sibling().recv_buffer_size(NETLINK_ROUTE)? == 2 << 20);
        // Set on a handle whose socket is already open.
        let h = Handle::new()?
            .connect()?
            .with_recv_buffer_size(1 << 19, true)?;
        ensure!(h.recv_buffer_size(NETLINK_ROUTE)? == 1 << 20);
        Ok(())
    });
}

#[test]
fn supported_protocols_are_the_kernels() {
    in_netns("supported_protocols_are_the_kernels", |_| {
        let h = Handle::new()?;
        ensure!(h.supports_protocol(NETLINK_ROUTE));
        ensure!(h.supports_protocol(NETLINK_XFRM));
        ensure!(h.supports_protocol(NETLINK_NETFILTER));
        ensure!(!h.supports_protocol(GONE_PROTOCOL));
        ensure!(!h.supports_protocol(-1));
        Ok(())
    });
}

#[test]
fn async_handle_options() {
    in_netns("async_handle_options", |_| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?
                .with_timeout(Some(Duration::from_secs(2)))
                .with_recv_buffer_size(1 << 20, true)?;
            ensure!(h.recv_buffer_size(NETLINK_ROUTE)? == 2 << 20);
            ensure!(h.supports_protocol(NETLINK_XFRM));
            ensure!(!h.supports_protocol(GONE_PROTOCOL));
            let lo = h.link_by_name("lo").await.context("lo")?;
            ensure!(lo.index == 1);
            // The blocking twin keeps the settings.
            ensure!(h.blocking().recv_buffer_size(NETLINK_ROUTE)? == 2 << 20);
            Ok(())
        })
    });
}
