import ArgumentParser

/// The two kinds of libvirt object vnetctl manages, as commands name them.
enum ObjectKind: String, ExpressibleByArgument, CaseIterable, Encodable, CustomStringConvertible {
    case network, vm

    /// The name, as in the command line; spelled out so that a message needs no reflection.
    var description: String { rawValue }
}
