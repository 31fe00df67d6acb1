import ArgumentParser

/// The two kinds of libvirt object vnetctl manages, as commands name them.
enum ObjectKind: String, ExpressibleByArgument, CaseIterable, Encodable {
    case network, vm
}
