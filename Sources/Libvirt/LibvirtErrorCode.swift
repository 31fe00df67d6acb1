import CLibvirt

extension LibvirtError {
    /// What went wrong, mirroring libvirt's `virErrorNumber`.
    ///
    /// A struct rather than an enum so that codes this list lacks still come through as themselves.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ value: virErrorNumber) {
            self.init(rawValue: Int32(value.rawValue))
        }

        /// An internal error in libvirt (`VIR_ERR_INTERNAL_ERROR`).
        public static var internalError: Self { Self(VIR_ERR_INTERNAL_ERROR) }

        /// A memory allocation failed (`VIR_ERR_NO_MEMORY`).
        public static var noMemory: Self { Self(VIR_ERR_NO_MEMORY) }

        /// The driver does not support this function (`VIR_ERR_NO_SUPPORT`).
        public static var noSupport: Self { Self(VIR_ERR_NO_SUPPORT) }

        /// A host name could not be resolved (`VIR_ERR_UNKNOWN_HOST`).
        public static var unknownHost: Self { Self(VIR_ERR_UNKNOWN_HOST) }

        /// The hypervisor could not be reached (`VIR_ERR_NO_CONNECT`).
        public static var noConnect: Self { Self(VIR_ERR_NO_CONNECT) }

        /// The connection object is invalid (`VIR_ERR_INVALID_CONN`).
        public static var invalidConnection: Self { Self(VIR_ERR_INVALID_CONN) }

        /// The domain object is invalid (`VIR_ERR_INVALID_DOMAIN`).
        public static var invalidDomain: Self { Self(VIR_ERR_INVALID_DOMAIN) }

        /// An argument is invalid, including flags the driver does not know (`VIR_ERR_INVALID_ARG`).
        public static var invalidArgument: Self { Self(VIR_ERR_INVALID_ARG) }

        /// A command to the hypervisor failed (`VIR_ERR_OPERATION_FAILED`).
        public static var operationFailed: Self { Self(VIR_ERR_OPERATION_FAILED) }

        /// The OS type is unknown (`VIR_ERR_OS_TYPE`).
        public static var osType: Self { Self(VIR_ERR_OS_TYPE) }

        /// The name is missing (`VIR_ERR_NO_NAME`).
        public static var noName: Self { Self(VIR_ERR_NO_NAME) }

        /// No driver supports the call (`VIR_ERR_CALL_FAILED`).
        public static var callFailed: Self { Self(VIR_ERR_CALL_FAILED) }

        /// An XML description is malformed or not valid for libvirt (`VIR_ERR_XML_ERROR`).
        public static var xmlError: Self { Self(VIR_ERR_XML_ERROR) }

        /// The domain already exists (`VIR_ERR_DOM_EXIST`).
        public static var domainExist: Self { Self(VIR_ERR_DOM_EXIST) }

        /// The operation is forbidden on a read-only connection (`VIR_ERR_OPERATION_DENIED`).
        public static var operationDenied: Self { Self(VIR_ERR_OPERATION_DENIED) }

        /// A configuration file could not be opened (`VIR_ERR_OPEN_FAILED`).
        public static var openFailed: Self { Self(VIR_ERR_OPEN_FAILED) }

        /// A configuration file could not be read (`VIR_ERR_READ_FAILED`).
        public static var readFailed: Self { Self(VIR_ERR_READ_FAILED) }

        /// A configuration file could not be parsed (`VIR_ERR_PARSE_FAILED`).
        public static var parseFailed: Self { Self(VIR_ERR_PARSE_FAILED) }

        /// A configuration file has a syntax error (`VIR_ERR_CONF_SYNTAX`).
        public static var configSyntax: Self { Self(VIR_ERR_CONF_SYNTAX) }

        /// A configuration file could not be written (`VIR_ERR_WRITE_FAILED`).
        public static var writeFailed: Self { Self(VIR_ERR_WRITE_FAILED) }

        /// The XML parser's detail about malformed XML (`VIR_ERR_XML_DETAIL`).
        public static var xmlDetail: Self { Self(VIR_ERR_XML_DETAIL) }

        /// The network object is invalid (`VIR_ERR_INVALID_NETWORK`).
        public static var invalidNetwork: Self { Self(VIR_ERR_INVALID_NETWORK) }

        /// The network already exists (`VIR_ERR_NETWORK_EXIST`).
        public static var networkExist: Self { Self(VIR_ERR_NETWORK_EXIST) }

        /// A system call failed (`VIR_ERR_SYSTEM_ERROR`).
        public static var systemError: Self { Self(VIR_ERR_SYSTEM_ERROR) }

        /// The RPC layer to the daemon failed (`VIR_ERR_RPC`).
        public static var rpc: Self { Self(VIR_ERR_RPC) }

        /// A GnuTLS call failed (`VIR_ERR_GNUTLS_ERROR`).
        public static var gnutlsError: Self { Self(VIR_ERR_GNUTLS_ERROR) }

        /// No domain matches, or it went away (`VIR_ERR_NO_DOMAIN`).
        public static var noDomain: Self { Self(VIR_ERR_NO_DOMAIN) }

        /// No network matches (`VIR_ERR_NO_NETWORK`).
        public static var noNetwork: Self { Self(VIR_ERR_NO_NETWORK) }

        /// No storage pool matches (`VIR_ERR_NO_STORAGE_POOL`).
        public static var noStoragePool: Self { Self(VIR_ERR_NO_STORAGE_POOL) }

        /// No storage volume matches (`VIR_ERR_NO_STORAGE_VOL`).
        public static var noStorageVolume: Self { Self(VIR_ERR_NO_STORAGE_VOL) }

        /// A MAC address is invalid (`VIR_ERR_INVALID_MAC`).
        public static var invalidMAC: Self { Self(VIR_ERR_INVALID_MAC) }

        /// Authentication failed (`VIR_ERR_AUTH_FAILED`).
        public static var authFailed: Self { Self(VIR_ERR_AUTH_FAILED) }

        /// The operation does not apply to the object's current state, such as starting a running network (`VIR_ERR_OPERATION_INVALID`).
        public static var operationInvalid: Self { Self(VIR_ERR_OPERATION_INVALID) }

        /// No host interface matches (`VIR_ERR_NO_INTERFACE`).
        public static var noInterface: Self { Self(VIR_ERR_NO_INTERFACE) }

        /// The configuration is valid XML but this driver or host cannot provide it (`VIR_ERR_CONFIG_UNSUPPORTED`).
        public static var configUnsupported: Self { Self(VIR_ERR_CONFIG_UNSUPPORTED) }

        /// The operation timed out (`VIR_ERR_OPERATION_TIMEOUT`).
        public static var operationTimeout: Self { Self(VIR_ERR_OPERATION_TIMEOUT) }

        /// A synchronous hook script failed (`VIR_ERR_HOOK_SCRIPT_FAILED`).
        public static var hookScriptFailed: Self { Self(VIR_ERR_HOOK_SCRIPT_FAILED) }

        /// The argument is valid but unsupported by this driver (`VIR_ERR_ARGUMENT_UNSUPPORTED`).
        public static var argumentUnsupported: Self { Self(VIR_ERR_ARGUMENT_UNSUPPORTED) }

        /// The operation was aborted (`VIR_ERR_OPERATION_ABORTED`).
        public static var operationAborted: Self { Self(VIR_ERR_OPERATION_ABORTED) }

        /// Authentication was cancelled (`VIR_ERR_AUTH_CANCELLED`).
        public static var authCancelled: Self { Self(VIR_ERR_AUTH_CANCELLED) }

        /// An integer overflowed (`VIR_ERR_OVERFLOW`).
        public static var overflow: Self { Self(VIR_ERR_OVERFLOW) }

        /// The operation is not supported by this driver or host (`VIR_ERR_OPERATION_UNSUPPORTED`).
        public static var operationUnsupported: Self { Self(VIR_ERR_OPERATION_UNSUPPORTED) }

        /// The resource is already in use (`VIR_ERR_RESOURCE_BUSY`).
        public static var resourceBusy: Self { Self(VIR_ERR_RESOURCE_BUSY) }

        /// Access control denied the operation (`VIR_ERR_ACCESS_DENIED`).
        public static var accessDenied: Self { Self(VIR_ERR_ACCESS_DENIED) }

        /// The XML does not validate against libvirt's schema (`VIR_ERR_XML_INVALID_SCHEMA`).
        public static var xmlInvalidSchema: Self { Self(VIR_ERR_XML_INVALID_SCHEMA) }

        /// No authentication method is available (`VIR_ERR_AUTH_UNAVAILABLE`).
        public static var authUnavailable: Self { Self(VIR_ERR_AUTH_UNAVAILABLE) }

        /// The device was not found (`VIR_ERR_DEVICE_MISSING`).
        public static var deviceMissing: Self { Self(VIR_ERR_DEVICE_MISSING) }

        /// The network port object is invalid (`VIR_ERR_INVALID_NETWORK_PORT`).
        public static var invalidNetworkPort: Self { Self(VIR_ERR_INVALID_NETWORK_PORT) }

        /// The network port already exists (`VIR_ERR_NETWORK_PORT_EXIST`).
        public static var networkPortExist: Self { Self(VIR_ERR_NETWORK_PORT_EXIST) }

        /// No network port matches (`VIR_ERR_NO_NETWORK_PORT`).
        public static var noNetworkPort: Self { Self(VIR_ERR_NO_NETWORK_PORT) }

        /// The domain's hostname could not be found (`VIR_ERR_NO_HOSTNAME`).
        public static var noHostname: Self { Self(VIR_ERR_NO_HOSTNAME) }

        /// More than one domain matches (`VIR_ERR_MULTIPLE_DOMAINS`).
        public static var multipleDomains: Self { Self(VIR_ERR_MULTIPLE_DOMAINS) }
    }
}
