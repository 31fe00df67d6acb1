import CGraphviz

/// Graphviz's library (libgvc) in Swift: lays out DOT text with the `dot` engine and renders it,
/// loading libgvc only when called.
public enum Graphviz {
    /// Renders `dot` as `format`, one of Graphviz's output formats (`svg`; `png` through the
    /// cairo plugin, else gd). Throws when libgvc cannot be loaded, the text does not parse, or
    /// no installed plugin renders the format.
    public static func render(dot: String, format: String) throws(GraphvizError) -> [UInt8] {
        var api = vnet_gvc()
        if let problem = vnet_gvc_load(&api) {
            throw GraphvizError("cannot load Graphviz's library: \(String(cString: problem)); install libgvc6")
        }
        guard let newContext = api.gvContext, let freeContext = api.gvFreeContext, let read = api.agmemread,
              let close = api.agclose, let layout = api.gvLayout, let freeLayout = api.gvFreeLayout,
              let renderData = api.gvRenderData, let freeData = api.gvFreeRenderData, let setErrorLevel = api.agseterr,
              let lastError = api.aglasterr
        else { throw GraphvizError("Graphviz's library lacks a function vnetctl calls") }
        // Errors are kept for aglasterr instead of printed on stderr.
        _ = setErrorLevel(AGMAX)
        func failure(_ what: String) -> GraphvizError {
            let detail = lastError().map { String(cString: $0).split(separator: "\n").last.map(String.init) ?? "" } ?? ""
            return GraphvizError(what + (detail.isEmpty ? "" : ": \(detail)"))
        }
        guard let context = newContext() else { throw GraphvizError("Graphviz could not make a context") }
        defer { _ = freeContext(context) }
        guard let graph = dot.withCString({ read($0) }) else { throw failure("Graphviz could not read the DOT text") }
        defer { _ = close(graph) }
        guard layout(context, graph, "dot") == 0 else { throw failure("Graphviz could not lay the graph out") }
        defer { _ = freeLayout(context, graph) }
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard renderData(context, graph, format, &data, &length) == 0, let data else {
            throw failure("Graphviz cannot render \(format) (libgvc6's plugins render svg and png)")
        }
        defer { freeData(data) }
        return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }
}

/// Why Graphviz could not render a graph, in one line.
public struct GraphvizError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
