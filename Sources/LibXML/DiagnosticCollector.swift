internal import CLibXML2

/// Gathers the errors libxml2 reports during one call, through a structured error handler.
///
/// Pass `opaque` as the handler's user data and `DiagnosticCollector.receive` as the handler;
/// the collector must outlive the call that reports into it.
final class DiagnosticCollector {
    private struct Report {
        var diagnostic: XMLDiagnostic
        /// The file libxml2 names, such as a schema's included file.
        var file: String?
        /// The name of the node libxml2 blamed.
        var nodeName: String?
        /// The first string argument of the message, for RelaxNG the element it is about.
        var subject: String?
    }

    private var reports: [Report] = []

    /// The first error, with the file it is in when libxml2 named one.
    var firstError: (file: String?, diagnostic: XMLDiagnostic)? {
        reports.first.map { ($0.file, $0.diagnostic) }
    }

    var opaque: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// The handler body: records `error` in the collector behind `userData`.
    static func receive(_ userData: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<xmlError>?) {
        guard let userData, let error, error.pointee.level != XML_ERR_WARNING else { return }
        Unmanaged<DiagnosticCollector>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
    }

    private func record(_ error: xmlError) {
        let node = error.node?.assumingMemoryBound(to: xmlNode.self)
        var line = Int(error.line)
        if line <= 0, let node {
            line = Int(xmlGetLineNo(node))
        }
        let message = error.message.map { String(cString: $0) } ?? "libxml2 error \(error.code)"
        reports.append(
            Report(
                diagnostic: XMLDiagnostic(line: line > 0 ? line : nil, message: message.trimmingTrailingWhitespace()),
                file: error.file.map { String(cString: $0) },
                nodeName: node.flatMap { XMLString.borrow($0.pointee.name) },
                subject: error.str1.map { String(cString: $0) }))
    }

    /// The errors, each one libxml2 gave no line given the line of the element it is about.
    ///
    /// RelaxNG reports errors found while backtracking through an interleave ("Extra element
    /// devices in interleave") without a node. Such an error takes the line of the only element of
    /// the name it mentions in `document`, else of the nearest error blamed on an element of that
    /// name, else of the nearest later error with a line, else of the nearest earlier one.
    func locatedErrors(in document: xmlDocPtr) -> [XMLDiagnostic] {
        let located = reports.indices.filter { reports[$0].diagnostic.line != nil }
        return reports.indices.map { index in
            var diagnostic = reports[index].diagnostic
            guard diagnostic.line == nil else { return diagnostic }
            let subject = reports[index].subject
            if let subject, let line = Self.lineOfOnlyElement(named: subject, in: document) {
                diagnostic.line = line
                return diagnostic
            }
            let sameElement = located
                .filter { subject != nil && reports[$0].nodeName == subject }
                .min { abs($0 - index) < abs($1 - index) }
            let neighbour = sameElement ?? located.first { $0 > index } ?? located.last { $0 < index }
            diagnostic.line = neighbour.flatMap { reports[$0].diagnostic.line }
            return diagnostic
        }
    }

    private static func lineOfOnlyElement(named name: String, in document: xmlDocPtr) -> Int? {
        var found: [xmlNodePtr] = []
        func search(_ first: xmlNodePtr?) {
            var node = first
            while let current = node, found.count < 2 {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if XMLString.borrow(current.pointee.name) == name {
                        found.append(current)
                    }
                    search(current.pointee.children)
                }
                node = current.pointee.next
            }
        }
        search(document.pointee.children)
        guard found.count == 1 else { return nil }
        let line = Int(xmlGetLineNo(found[0]))
        return line > 0 ? line : nil
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var trimmed = Substring(self)
        while let last = trimmed.last, last.isWhitespace {
            trimmed.removeLast()
        }
        return String(trimmed)
    }
}
