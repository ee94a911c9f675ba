/// Writes a ``GeneratedStatement`` as the bytes of a bank export in its account's format: the
/// `generic` CSV layout, QIF, OFX 1.02 (SGML), CAMT.053.001.02 or MT940 — each readable by
/// bankdrop's own readers. Pure: bytes go to a sink closure in chunks, so the caller decides where
/// they land and a large month never has to sit in memory as one file.
public struct StatementEncoder: Sendable {
    /// The format written.
    public var format: StatementFormat
    /// The buffer is handed to the sink whenever it passes this many bytes.
    public var chunkSize: Int

    /// Creates an encoder for `format`.
    public init(format: StatementFormat, chunkSize: Int = 256 * 1024) {
        self.format = format
        self.chunkSize = max(1024, chunkSize)
    }

    /// Encodes `statement`, handing the bytes to `sink` in order, in chunks of about ``chunkSize``.
    public func encode(_ statement: GeneratedStatement, to sink: ([UInt8]) throws -> Void) rethrows {
        var out = ByteWriter(capacity: chunkSize + 4096)
        var scratch = ByteWriter(capacity: 512)
        switch format {
        case .csv: Self.csvHeader(statement, into: &out)
        case .qif: Self.qifHeader(statement, into: &out)
        case .ofx: Self.ofxHeader(statement, into: &out)
        case .camt053: Self.camtHeader(statement, into: &out)
        case .mt940: Self.mt940Header(statement, into: &out)
        }
        for transaction in statement.transactions {
            switch format {
            case .csv: Self.csvRow(transaction, statement, into: &out)
            case .qif: Self.qifRow(transaction, into: &out)
            case .ofx: Self.ofxRow(transaction, into: &out)
            case .camt053: Self.camtRow(transaction, statement, into: &out)
            case .mt940: Self.mt940Row(transaction, into: &out, scratch: &scratch)
            }
            if out.bytes.count >= chunkSize {
                try sink(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        switch format {
        case .csv, .qif: break
        case .ofx: Self.ofxFooter(statement, into: &out)
        case .camt053: Self.camtFooter(statement, into: &out)
        case .mt940: Self.mt940Footer(statement, into: &out)
        }
        if !out.bytes.isEmpty { try sink(out.bytes) }
    }

    /// The whole file as one byte array (tests, small statements).
    public func encoded(_ statement: GeneratedStatement) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(statement) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
