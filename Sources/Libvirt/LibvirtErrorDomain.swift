import CLibvirt

extension LibvirtError {
    /// The part of libvirt that reported an error, mirroring libvirt's `virErrorDomain`.
    ///
    /// A struct rather than an enum so that domains this list lacks still come through as themselves.
    public struct ErrorDomain: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ value: virErrorDomain) {
            self.init(rawValue: Int32(value.rawValue))
        }

        /// No particular part of libvirt (`VIR_FROM_NONE`).
        public static var none: Self { Self(VIR_FROM_NONE) }

        /// The XML code (`VIR_FROM_XML`).
        public static var xml: Self { Self(VIR_FROM_XML) }

        /// Operations on a domain (`VIR_FROM_DOM`).
        public static var dom: Self { Self(VIR_FROM_DOM) }

        /// The RPC code (`VIR_FROM_RPC`).
        public static var rpc: Self { Self(VIR_FROM_RPC) }

        /// Configuration file handling (`VIR_FROM_CONF`).
        public static var conf: Self { Self(VIR_FROM_CONF) }

        /// The QEMU driver (`VIR_FROM_QEMU`).
        public static var qemu: Self { Self(VIR_FROM_QEMU) }

        /// Operations on a network (`VIR_FROM_NET`).
        public static var net: Self { Self(VIR_FROM_NET) }

        /// The test driver (`VIR_FROM_TEST`).
        public static var test: Self { Self(VIR_FROM_TEST) }

        /// The remote driver, which talks to the daemon (`VIR_FROM_REMOTE`).
        public static var remote: Self { Self(VIR_FROM_REMOTE) }

        /// The LXC driver (`VIR_FROM_LXC`).
        public static var lxc: Self { Self(VIR_FROM_LXC) }

        /// The storage driver (`VIR_FROM_STORAGE`).
        public static var storage: Self { Self(VIR_FROM_STORAGE) }

        /// The network driver and network configuration (`VIR_FROM_NETWORK`).
        public static var network: Self { Self(VIR_FROM_NETWORK) }

        /// Domain configuration (`VIR_FROM_DOMAIN`).
        public static var domain: Self { Self(VIR_FROM_DOMAIN) }

        /// The node device driver (`VIR_FROM_NODEDEV`).
        public static var nodeDevice: Self { Self(VIR_FROM_NODEDEV) }

        /// The security framework (`VIR_FROM_SECURITY`).
        public static var security: Self { Self(VIR_FROM_SECURITY) }

        /// Host interface operations (`VIR_FROM_INTERFACE`).
        public static var interface: Self { Self(VIR_FROM_INTERFACE) }

        /// The network filter driver (`VIR_FROM_NWFILTER`).
        public static var nwfilter: Self { Self(VIR_FROM_NWFILTER) }

        /// The event loop (`VIR_FROM_EVENT`).
        public static var event: Self { Self(VIR_FROM_EVENT) }

        /// URI handling (`VIR_FROM_URI`).
        public static var uri: Self { Self(VIR_FROM_URI) }

        /// Authentication (`VIR_FROM_AUTH`).
        public static var auth: Self { Self(VIR_FROM_AUTH) }

        /// D-Bus (`VIR_FROM_DBUS`).
        public static var dbus: Self { Self(VIR_FROM_DBUS) }

        /// Devices (`VIR_FROM_DEVICE`).
        public static var device: Self { Self(VIR_FROM_DEVICE) }

        /// The libssh2 transport (`VIR_FROM_SSH`).
        public static var ssh: Self { Self(VIR_FROM_SSH) }

        /// Control groups (`VIR_FROM_CGROUP`).
        public static var cgroup: Self { Self(VIR_FROM_CGROUP) }

        /// Access control (`VIR_FROM_ACCESS`).
        public static var access: Self { Self(VIR_FROM_ACCESS) }

        /// Firewall rules (`VIR_FROM_FIREWALL`).
        public static var firewall: Self { Self(VIR_FROM_FIREWALL) }

        /// polkit (`VIR_FROM_POLKIT`).
        public static var polkit: Self { Self(VIR_FROM_POLKIT) }

        /// Thread utilities (`VIR_FROM_THREAD`).
        public static var thread: Self { Self(VIR_FROM_THREAD) }

        /// The libssh transport (`VIR_FROM_LIBSSH`).
        public static var libssh: Self { Self(VIR_FROM_LIBSSH) }

        /// firewalld (`VIR_FROM_FIREWALLD`).
        public static var firewalld: Self { Self(VIR_FROM_FIREWALLD) }
    }
}
