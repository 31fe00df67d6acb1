import Testing
import VNetCore

struct InterfaceNameTests {
    @Test(arguments: ["br0", "virbr-lab", "vnet_12", "eth0.100", "enp0s31f6", "a", "abcdefghijklmno", "..."])
    func accepts(name: String) throws {
        #expect(try InterfaceName(name).description == name)
    }

    @Test(arguments: [
        ("", "'' is not a valid interface name: it is empty"),
        ("abcdefghijklmnop", "'abcdefghijklmnop' is not a valid interface name: it has 16 characters; the kernel allows at most 15"),
        (".", "'.' is not a valid interface name: '.' and '..' are reserved"),
        ("..", "'..' is not a valid interface name: '.' and '..' are reserved"),
        ("br/0", "'br/0' is not a valid interface name: character \"/\" is not allowed; use letters, digits, '_', '.' and '-'"),
        ("br 0", "'br 0' is not a valid interface name: character \" \" is not allowed; use letters, digits, '_', '.' and '-'"),
        ("br0\n", "'br0\n' is not a valid interface name: character \"\\n\" is not allowed; use letters, digits, '_', '.' and '-'"),
        ("eth0:1", "'eth0:1' is not a valid interface name: character \":\" is not allowed; use letters, digits, '_', '.' and '-'"),
        ("brü", "'brü' is not a valid interface name: character \"\\u{00FC}\" is not allowed; use letters, digits, '_', '.' and '-'"),
        ("a'/><x", "'a'/><x' is not a valid interface name: character \"'\" is not allowed; use letters, digits, '_', '.' and '-'"),
    ])
    func rejects(name: String, message: String) {
        let error = #expect(throws: AddressError.self) { try InterfaceName(name) }
        #expect(error?.message == message)
    }
}
