import Testing
import VNetCore

struct ObjectNameTests {
    @Test(arguments: ["lab-nat", "vnet.test_1", "web1", "a+b", "Default", String(repeating: "n", count: 64)])
    func accepts(name: String) throws {
        #expect(try ObjectName(name).description == name)
    }

    @Test(arguments: [
        ("", "'' is not a valid libvirt object name: it is empty"),
        (String(repeating: "n", count: 65), "'\(String(repeating: "n", count: 65))' is not a valid libvirt object name: it has 65 characters; the limit is 64"),
        ("-lab", "'-lab' is not a valid libvirt object name: it must not start with '-'"),
        (".lab", "'.lab' is not a valid libvirt object name: it must not start with '.'"),
        ("a'/><x", "'a'/><x' is not a valid libvirt object name: character \"'\" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("lab/nat", "'lab/nat' is not a valid libvirt object name: character \"/\" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("lab&nat", "'lab&nat' is not a valid libvirt object name: character \"&\" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("lab\"nat", "'lab\"nat' is not a valid libvirt object name: character '\"' is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("lab\tnat", "'lab\tnat' is not a valid libvirt object name: character \"\\t\" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
        ("lab nat", "'lab nat' is not a valid libvirt object name: character \" \" is not allowed; use letters, digits, '_', '.', '+' and '-'"),
    ])
    func rejects(name: String, message: String) {
        let error = #expect(throws: AddressError.self) { try ObjectName(name) }
        #expect(error?.message == message)
    }
}
