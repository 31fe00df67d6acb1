import Foundation
import Libvirt
import Testing
import TestSupport
import VNetCore

/// A connection lost under a command and an object that is not there, told apart as a library
/// user and a script tell them: `VNetError.code` `.connection` or `.notFound` with libvirt's own
/// error kept as `cause`, and on the command line exit 1 or 2 with one line on stderr.
///
/// The connection goes through a ``SocketProxy`` in front of qemu:///system's socket, cut either
/// between two calls or at the moment the client asks for the network list.
@Suite(.onTestThreads) struct ConnectionLossTests {
    @Test func aConnectionCutBetweenCallsIsAConnectionErrorWithItsCause() throws {
        let proxy = try SocketProxy()
        defer { proxy.cut() }
        let connection = try LibvirtSession.open(uri: proxy.uri)
        _ = try connection.networks()
        proxy.cut()

        do throws(LibvirtError) {
            _ = try connection.networks()
            Issue.record("listing networks over a cut connection succeeded")
        } catch {
            #expect(VNetError(.failure, error.message, cause: error).code == .connection, "\(error.code) \(error.domain): \(error)")
        }
        let error = try #require(throws: VNetError.self) { try Inventory.read(connection) }
        #expect(error.code == .connection, "\(error)")
        #expect(error.kind == .failure, "\(error)")
        #expect(error.cause != nil, "\(error)")
    }

    @Test func aConnectionCutMidCommandIsAConnectionError() throws {
        let proxy = try SocketProxy(cutAt: SocketProxy.listAllNetworks)
        defer { proxy.cut() }
        let connection = try LibvirtSession.open(uri: proxy.uri)
        let error = try #require(throws: VNetError.self) { try Inventory.read(connection) }
        #expect(proxy.isCut, "the command never asked for the network list: \(proxy.procedures)")
        #expect(error.code == .connection, "\(error)")
        #expect(error.cause != nil, "\(error)")
    }

    @Test func aMissingNetworkIsNotFoundWithItsCause() throws {
        let proxy = try SocketProxy()
        defer { proxy.cut() }
        let connection = try LibvirtSession.open(uri: proxy.uri)
        let name = TestNames.unique("gone")
        do throws(LibvirtError) {
            _ = try connection.network(named: name)
            Issue.record("network \(name) exists")
        } catch {
            #expect(error.code == .noNetwork, "\(error)")
        }
        let error = try #require(throws: VNetError.self) { try LibvirtLookup.network(named: name, on: connection) }
        #expect(error.code == .notFound, "\(error)")
        #expect(error.cause?.code == .noNetwork, "\(error)")
        #expect(error.kind == .invalidInput, "\(error)")
    }

    @Test func theCommandLineExitsOneWithOneLineWhenTheConnectionIsCut() throws {
        let proxy = try SocketProxy(cutAt: SocketProxy.listAllNetworks)
        defer { proxy.cut() }
        let result = try VNetCtlBinary.run(["-c", proxy.uri, "list", "networks"])
        #expect(proxy.isCut, "vnetctl never asked for the network list: \(proxy.procedures)")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr must be one line: \(result)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("scripts/"), "\(result)")
    }

    /// The next call after the cut is written to a closed socket: SIGPIPE, unless it is ignored.
    @Test func theCommandLineExitsOneWhenTheConnectionIsCutBetweenTwoCalls() throws {
        let proxy = try SocketProxy(cutAfterReply: SocketProxy.listAllNetworks)
        defer { proxy.cut() }
        let result = try VNetCtlBinary.run(["-c", proxy.uri, "list"])
        #expect(proxy.isCut, "vnetctl never asked for the network list: \(proxy.procedures)")
        #expect(result.status == 1, "exit 0 is no call after the cut, a signal is SIGPIPE: \(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr must be one line: \(result)")
    }

    @Test func theCommandLineExitsTwoForAMissingNetworkThroughTheSameRelay() throws {
        let proxy = try SocketProxy()
        defer { proxy.cut() }
        let name = TestNames.unique("gone")
        let result = try VNetCtlBinary.run(["-c", proxy.uri, "show", "network", name])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(name), "\(result)")
    }
}
